"""A post's poll on the post page: every option and version shown, hostile text inert."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

from starlette.testclient import TestClient

from storage.attachments import attachment
from storage.records import Batch, Channel, Post
from tests.review.conftest import Site

SCRIPT = "<script>alert(1)</script>"
OPTIONS = ["Ain al-Asad", f"NUL \x00 {SCRIPT}", "half \ud83d emoji"]
AT = datetime(2024, 6, 13, 18, tzinfo=UTC)


def test_a_poll_and_its_edit_are_shown_escaped(writer: TestClient, fresh: Site) -> None:
    channel = Channel("telegram", "poll_test", title="Polls")
    first = attachment("poll", question=f"Next? {SCRIPT}", options=OPTIONS, closed=False)
    closed = attachment("poll", question=f"Next? {SCRIPT}", options=OPTIONS, closed=True)
    for poll, edited in ((first, None), (closed, AT + timedelta(hours=1))):
        post = Post("telegram", "poll_test", 1, AT, "", "telegram", attachment=poll,
                    edited_at=edited)  # fmt: skip
        fresh.store.archive.ingest(Batch(channel, (post,)))
    stored = fresh.store.archive.find("telegram", "poll_test", 1)
    assert stored is not None

    page = writer.get(f"/posts/{stored.id}")
    assert page.status_code == 200
    assert SCRIPT not in page.text and "\ud83d" not in page.text
    assert html.escape(f"Poll: Next? {SCRIPT}", quote=False) in page.text.replace("&#34;", '"')
    assert "Poll (closed): Next?" in page.text
    assert "- Ain al-Asad" in page.text and "half \ufffd emoji" in page.text
    assert f"- NUL \x00 {html.escape(SCRIPT)}" in page.text  # NUL as post texts show it
    # question and option, in the current poll and in each of the two versions
    assert page.text.count(html.escape(SCRIPT)) == 3 * 2
