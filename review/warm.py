"""Cut the keyframes of the queue's first page ahead of time, so it opens without waiting.

The demo runs it after its matching stage; the service can run it after each matching run.
A frame that cannot be cut is recorded for the operator (`claimwatch status`), as when
the page asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimwatch.errors import MediaDecodeError
from media.thumbnails import thumbnail
from review.match_view import MatchView
from review.routes.forms import QueueFilters
from review.routes.matches import PAGE, queue_views
from storage import Store


@dataclass(frozen=True)
class Warmed:
    matches: int
    keyframes: int
    failures: int


def warm_thumbnails(store: Store, pages: int = 1) -> Warmed:
    """Thumbnails for every keyframe shown on the first `pages` pages of pending matches."""
    views: list[MatchView] = []
    for page in range(1, pages + 1):
        found, more = queue_views(store, QueueFilters(), page, PAGE)
        views += found
        if not more:
            break
    made = failed = 0
    for view in views:
        for side, seconds in ((view.a, [k.a for k in view.keyframes]),
                              (view.b, [k.b for k in view.keyframes])):  # fmt: skip
            if side.media is None:
                continue
            for second in seconds:
                try:
                    thumbnail(side.media, second, store.data_dir / "thumbs")
                    made += 1
                except MediaDecodeError as exc:
                    store.status.failure("review", "thumbnails", str(exc))
                    failed += 1
    return Warmed(len(views), made, failed)
