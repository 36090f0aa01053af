"""Reading saved t.me/s pages: every field of every kind of post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from claimwatch.errors import SourceError
from collector.web_media import WebMedia
from collector.web_parse import WebPost, embed_state, parse_count, parse_page
from tests.collector.fake_tme import PAGES

BASE = "https://cdn4.telesco.pe"


def page(name: str) -> dict[int, WebPost]:
    parsed = parse_page((PAGES / name).read_text().replace("@BASE@", BASE), name)
    return {post.message_id: post for post in parsed.posts}


def test_the_page_names_the_channel_and_the_older_page() -> None:
    parsed = parse_page((PAGES / "testchan.html").read_text(), "testchan.html")
    assert (parsed.slug, parsed.title, parsed.channel_id) == (
        "testchan",
        "Test Channel",
        "-1001234567890",
    )
    assert parsed.before == 108
    assert parsed.ids == [108, 109, 110, 111, 112, 113, 114]
    assert parse_page((PAGES / "testchan_before_103.html").read_text(), "a").before is None


def test_text_is_verbatim_with_newlines_and_link_text() -> None:
    post = page("testchan_before_103.html")[101]
    assert post.text == (
        'Warning <script>alert("x")</script> & bold 🔥\nSecond line the report #Iraq'
    )
    assert post.posted_at == datetime(2024, 1, 27, 9, 5, tzinfo=timezone(timedelta(hours=3)))
    assert (post.url, post.views, post.edited) == ("https://t.me/testchan/101", 987, False)
    assert (post.forwarded_from, post.reply_to, post.grouped_id, post.media) == (
        None,
        None,
        None,
        (),
    )


def test_a_photo_post() -> None:
    post = page("testchan_before_103.html")[102]
    assert post.text == "Photo of the launch"
    assert post.views == 12_300
    assert post.media == (WebMedia("photo", f"{BASE}/file/photo102.jpg"),)


def test_a_service_message_is_marked_and_has_no_text() -> None:
    posts = page("testchan_before_103.html")
    assert posts[100].service and posts[100].text == ""
    assert page("testchan.html")[114].service


def test_a_forward_names_its_public_origin() -> None:
    post = page("testchan_before_108.html")[103]
    assert (post.forwarded_from, post.forwarded_from_id) == ("Other Channel", "otherchan/55")
    assert post.views == 1_480_000
    assert post.text == "Statement of the Islamic Resistance"


def test_a_reply_keeps_the_id_and_not_the_quoted_text() -> None:
    post = page("testchan_before_108.html")[104]
    assert post.reply_to == 101
    assert post.text == "Follow-up to the warning"


def test_an_album_is_one_post_per_item_with_the_caption_on_the_first() -> None:
    posts = page("testchan_before_108.html")
    items = [posts[105], posts[106], posts[107]]
    assert [p.grouped_id for p in items] == [105, 105, 105]
    assert [p.text for p in items] == ["Album caption: three pictures of the operation", "", ""]
    assert [p.url for p in items] == [f"https://t.me/testchan/{i}" for i in (105, 106, 107)]
    assert {p.views for p in items} == {3_400}
    assert posts[105].media == (WebMedia("photo", f"{BASE}/file/album105.jpg"),)
    assert posts[106].media == (
        WebMedia("video", f"{BASE}/file/3f9a1c.mp4?token=abc", 22.0),
        WebMedia("thumbnail", f"{BASE}/file/thumb106.jpg"),
    )
    assert posts[107].media == (WebMedia("photo", f"{BASE}/file/album107.jpg"),)


def test_a_video_with_thumbnail_and_duration() -> None:
    post = page("testchan.html")[108]
    assert post.media == (
        WebMedia("video", f"{BASE}/file/7c1e02.mp4?token=xyz", 65.0),
        WebMedia("thumbnail", f"{BASE}/file/thumb108.jpg"),
    )
    assert post.posted_at == datetime(2024, 1, 28, 8, 0, tzinfo=UTC)


def test_an_edited_post_with_a_signature() -> None:
    post = page("testchan.html")[109]
    assert (post.edited, post.author, post.text) == (True, "Abu Ali", "Corrected statement")
    assert not page("testchan.html")[108].edited


def test_a_video_too_big_for_the_preview_keeps_its_thumbnail_and_the_reason() -> None:
    video, thumb = page("testchan.html")[110].media
    assert (video.kind, video.url, video.duration) == ("video", None, 761.0)
    assert video.missing is not None and video.missing.startswith("Media is too big")
    assert thumb == WebMedia("thumbnail", f"{BASE}/file/thumb110.jpg")


def test_the_unsupported_copy_of_a_post_is_skipped() -> None:
    post = page("testchan.html")[113]
    assert post.text == "Poll results below"
    assert post.media == (WebMedia("photo", f"{BASE}/file/photo113.jpg"),)


def test_an_off_platform_url_is_read_as_is_for_the_downloader_to_refuse() -> None:
    assert page("testchan.html")[112].media == (
        WebMedia("photo", "https://evil.example/track.jpg"),
    )


def test_a_page_that_is_not_a_channel_preview_is_an_error() -> None:
    with pytest.raises(SourceError, match=r"malformed.html: no message list"):
        parse_page((PAGES / "malformed.html").read_text(), "malformed.html")
    with pytest.raises(SourceError, match="no message list"):
        parse_page((PAGES / "channel_no_preview.html").read_text(), "x")


def test_a_post_without_a_date_is_an_error_not_a_half_post() -> None:
    html = (
        (PAGES / "testchan.html")
        .read_text()
        .replace('<time datetime="2024-01-28T09:00:00+00:00" class="time">10:15</time>', "")
    )
    with pytest.raises(SourceError, match=r"post testchan/109 has no date"):
        parse_page(html, "p")


def test_text_nested_thousands_of_tags_deep_is_read_whole() -> None:
    deep = "<b>" * 20_000 + "Corrected<br>statement" + "</b>" * 20_000
    html = (PAGES / "testchan.html").read_text().replace(">Corrected statement<", f">{deep}<")
    post = {p.message_id: p for p in parse_page(html, "p").posts}[109]
    assert post.text == "Corrected\nstatement"


def test_embed_pages_tell_deleted_from_present() -> None:
    assert embed_state((PAGES / "embed_deleted.html").read_text()) == "deleted"
    assert embed_state((PAGES / "testchan.html").read_text()) == "present"
    assert embed_state("<html><body>maintenance</body></html>") == "unknown"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("987", 987),
        ("12.3K", 12_300),
        ("1.48M", 1_480_000),
        ("2K", 2_000),
        ("", None),
        ("many", None),
    ],
)
def test_view_counts(text: str, count: int | None) -> None:
    assert parse_count(text) == count
