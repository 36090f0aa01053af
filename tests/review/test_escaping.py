"""Hostile post text, channel names and file names render as inert text on every page."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from starlette.testclient import TestClient

from storage.records import Batch, Channel, MediaRef, Post
from tests.review.archive import HOSTILE_CHANNEL, Seeded
from tests.review.conftest import Site


def pages(seeded: Seeded) -> list[str]:
    return [
        "/queue",
        "/queue?status=all",
        f"/matches/{seeded.scene_match}",
        f"/posts/{seeded.hostile_post}",
        "/channels",
        "/search?q=click",
        f"/channels/telegram/{HOSTILE_CHANNEL}",
    ]


def test_hostile_text_is_escaped_everywhere(reader: TestClient, site: Site) -> None:
    for path in pages(site.seeded):
        html = reader.get(path).text
        assert "<script>window" not in html, path
        assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", ""), (
            path
        )
        assert 'href="javascript:' not in html.lower(), path
        assert "<svg onload" not in html, path
        assert "<b>bold</b>" not in html and "<i>group</i>" not in html, path
        # No script element other than the one static file, and no inline handlers at all.
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/keys.js" defer>'], path
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path


def test_hostile_text_is_shown_literally(reader: TestClient, site: Site) -> None:
    html = reader.get(f"/posts/{site.seeded.hostile_post}").text
    assert "&lt;script&gt;window.__pwned" in html
    assert "&lt;a href=&#34;javascript:window.__pwned=&#39;link&#39;&#34;&gt;" in html


def test_a_javascript_source_address_is_not_a_link(reader: TestClient, site: Site) -> None:
    html = reader.get(f"/posts/{site.seeded.hostile_post}").text
    assert "Source address (not linked)" in html
    assert "javascript:window.__pwned=&#39;url&#39;" in html


def unisolated(html: str, marker: str) -> list[str]:
    """Where `marker` is shown among other words without <bdi> (or dir="auto") around it."""
    found = []
    for at in re.finditer(marker, html):
        inside = html[max(0, at.start() - 200) : at.start()].rsplit("<", 1)[-1]
        if inside.endswith('value="'):
            continue  # a form value is sent back, never displayed
        if not (inside.startswith(("bdi>", "bdi dir")) or 'dir="auto"' in inside):
            found.append(html[at.start() - 80 : at.end() + 20])
    return found


def test_channel_names_are_bidi_isolated(reader: TestClient, site: Site) -> None:
    for path in pages(site.seeded):
        assert unisolated(reader.get(path).text, "evil\u202e") == [], path


def test_media_kinds_file_names_and_missing_reasons_are_bidi_isolated(
    writer: TestClient, fresh: Site
) -> None:
    """All three come from the channel, through its export or its web page."""
    ref = MediaRef(
        "\u202evideo",
        file_name="\u202eclip.mp4",
        missing="not in the export: \u202ecl\u2069ip.mp4",
    )
    when = datetime(2024, 11, 1, tzinfo=UTC)
    post = Post("telegram", "export_test", 1, when, "بيان", "tg-export", media=(ref,))
    fresh.store.archive.ingest(Batch(Channel("telegram", "export_test"), (post,)))
    stored = fresh.store.archive.find("telegram", "export_test", 1)
    assert stored is not None
    html = writer.get(f"/posts/{stored.id}").text
    assert html.count("\u202e") == 3 and unisolated(html, "\u202e") == []
    assert "missing: <bdi>not in the export: \u202ecl\ufffdip.mp4\u202c</bdi>" in html


def test_titles_and_options_show_bidi_controls_as_replacement_marks(
    reader: TestClient, site: Site
) -> None:
    html = reader.get(f"/channels/telegram/{HOSTILE_CHANNEL}").text
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)  # type: ignore[union-attr]
    assert "\u202e" not in title and "evil\ufffdoc.xss" in title
    options = re.findall(r"<option[^>]*>([^<]*)</option>", reader.get("/queue").text)
    assert "evil\ufffdoc.xss" in options


@pytest.mark.parametrize(
    "path",
    [
        "/queue?status=bogus",
        "/queue?kind=x",
        "/queue?page=-1",
        "/search?from=yesterday",
        "/search?from=2024-02-01&to=2024-01-01",
    ],
)
def test_bad_filters_get_a_clear_400(reader: TestClient, path: str) -> None:
    response = reader.get(path)
    assert response.status_code == 400
    assert re.search(r"is not|after", response.text)


def test_a_channel_named_with_slashes_and_marks_opens_from_its_link(
    writer: TestClient, fresh: Site
) -> None:
    """An export without a channel id is filed under its title, which may hold anything."""
    title = "المقاومة / Resistance #2? 100%"
    post = Post("telegram", title, 1, datetime(2024, 11, 1, tzinfo=UTC), "بيان", "tg-export")
    fresh.store.archive.ingest(Batch(Channel("telegram", title), (post,)))
    listing = writer.get("/channels").text
    (link,) = re.findall(r'<a href="(/channels/telegram/[^"]*)"><bdi>المقاومة', listing)
    page = writer.get(html.unescape(link))
    assert page.status_code == 200 and "Resistance #2? 100%" in page.text
    api = writer.get("/api" + html.unescape(link))
    assert api.status_code == 200 and api.json()["channel"]["handle"] == title
