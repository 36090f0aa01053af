"""claimwatch's own messages (errors, job details) quote channel data: NUL or half an emoji
in them is recorded as a visible mark, never a crash of the job that records it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from storage import Store
from tests.scoring.helpers import add_post, video_file

WHEN = datetime(2024, 10, 29, 3, 15, tzinfo=UTC)
UNWRITABLE = pytest.mark.parametrize("bad", ["\x00", "\ud83d"], ids=["nul", "half-emoji"])


@UNWRITABLE
def test_a_source_error_quoting_channel_data_is_recorded(store: Store, bad: str) -> None:
    store.status.failure("x", "warcube", f"X post '17{bad}' of @warcube is malformed")
    store.status.success("telegram-web", "sabreen", f"3 posts, last '{bad}'")
    health = {h.source: h for h in store.status.all()}
    assert health["x"].last_error == "X post '17\ufffd' of @warcube is malformed"
    assert health["x"].failures == 1
    assert health["telegram-web"].detail == "3 posts, last '\ufffd'"


@UNWRITABLE
def test_a_media_error_quoting_a_file_name_is_recorded(
    store: Store, tmp_path: Path, bad: str
) -> None:
    post = add_post(store, 1, WHEN, "", media=video_file(tmp_path / "in", "a.mp4", b"not video"))
    sha = post.media[0].sha256
    assert sha is not None
    store.media.set_status(sha, "failed", f"clip{bad}.mp4: cannot decode video")
    recorded = store.media.get(sha)
    assert recorded is not None and recorded.error == "clip\ufffd.mp4: cannot decode video"


@UNWRITABLE
def test_a_digest_failure_quoting_the_mail_server_is_recorded(store: Store, bad: str) -> None:
    record = store.digests.ensure(date(2024, 10, 29), "lead@example.org", WHEN)
    taken = store.digests.take(record, WHEN)
    assert taken is not None
    assert store.digests.mark_failed(taken, f"550 no such user{bad}")
    failed = store.digests.get(date(2024, 10, 29), "lead@example.org")
    assert failed is not None and failed.last_error == "550 no such user\ufffd"
