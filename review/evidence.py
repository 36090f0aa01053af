"""Where a score factor's evidence can be seen on the review page."""

from __future__ import annotations

from storage.records import EvidenceRef

PAGES = {"post": "/posts/{}", "match": "/matches/{}", "claim": "/claims/{}"}


def evidence_link(ref: EvidenceRef) -> str | None:
    """The page showing this evidence, or None when it has no page of its own (alerts)."""
    page = PAGES.get(ref.kind)
    if page is None or not ref.ref.isdigit() or not ref.ref.isascii():
        return None
    return page.format(int(ref.ref))
