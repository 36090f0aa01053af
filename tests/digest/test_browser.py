"""The HTML preview opened in Chromium: it renders, its images load, nothing from a post
runs, Arabic reads right-to-left and moves no word around it, in either part. A
screenshot is kept in test-artifacts/ to look at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from config.settings import Settings
from digest.compose import compose
from digest.gather import gather
from storage import Store
from storage.records import Batch, Channel, Extraction, Post, Target
from tests.chromium import ARGS, ARTIFACTS, CHROMIUM, drawn_in_order, needs_chromium
from tests.digest.seed import DAY, END, START, Seeded
from tests.digest.sqlite_only import database_url  # noqa: F401
from tests.explained import explained_claim

pytestmark = needs_chromium


def test_the_preview_renders_in_chromium(
    store: Store, settings: Settings, seeded: Seeded, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    composed = compose(
        gather(store, settings, DAY), settings, datetime(2026, 11, 20, 4, tzinfo=UTC)
    )
    page_file = tmp_path / "digest.html"
    page_file.write_text(composed.preview_html(), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 760, "height": 900})
            page.goto(page_file.as_uri())
            page.wait_for_load_state("load")
            page.screenshot(path=str(ARTIFACTS / "digest-preview.png"), full_page=True)
            pwned = page.evaluate(
                "() => window.__pwned === undefined && !document.querySelector('script')"
            )
            widths = page.evaluate("() => [...document.images].map(i => i.naturalWidth)")
            post_dirs = page.evaluate(
                "() => [...document.querySelectorAll('.post')]"
                ".map(p => getComputedStyle(p).direction)"
            )
            overflow = page.evaluate("() => document.documentElement.scrollWidth")
        finally:
            browser.close()

    assert pwned, "text from a post ran as script in the preview"
    assert len(widths) == 3 and all(w > 0 for w in widths), widths
    assert post_dirs == ["rtl", "rtl", "ltr"]  # two Arabic posts, the hostile Latin one
    assert overflow <= 760, "the page is wider than the window"


def test_arabic_names_keep_the_words_after_them_in_place(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    """An Arabic name pulls the neutral marks and numbers after it into its right-to-left
    run unless it is isolated: a channel after its group, a date or a count before the
    name they follow."""
    channel, group, place = "قناة_المقاومة", "المقاومة الإسلامية", "إيلات"
    post = Post("telegram", channel, 1, START + timedelta(hours=2), "بيان", "tg-export")
    store.archive.ingest(Batch(Channel("telegram", channel, group=group), (post,)))
    stored = store.archive.find("telegram", channel, 1)
    assert stored is not None
    target = Target(place, None, None, 29.55, 34.95)
    when = START.date()
    store.claims.save(stored.id, Extraction(True, group, (target,), claimed_date=when))
    store.status.failure("telegram-web", channel, "HTTP 502 from t.me")
    shown = write_parts(store, settings, tmp_path)
    gist = ["claims an attack on", place, when.isoformat()]
    assert_drawn_in_order(
        tmp_path,
        {
            "html.html": [(".claim .muted", [channel, group]), (".gist", gist)],
            "text.html": [
                (row(shown, "* ", group), [channel, group]),
                (row(shown, gist[0]), gist),
                (row(shown, "FAILING"), [channel, "1 failure,"]),
            ],
        },
    )


def test_names_in_a_claims_reasons_cannot_reorder_them(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    """Arabic place names listed one after another keep their order, and an Arabic analyst
    name stays before the date after it, in a claim's reasons in both parts."""
    explained = explained_claim(store, settings, START + timedelta(hours=2))
    shown = write_parts(store, settings, tmp_path)
    reasons = [explained.words["target_named"], explained.words["analyst_corroborated"]]
    assert_drawn_in_order(
        tmp_path,
        {
            "html.html": [(f".reasons li:has-text('{words[1]}')", words) for words in reasons],
            "text.html": [(row(shown, *words), words) for words in reasons],
        },
    )


def write_parts(store: Store, settings: Settings, folder: Path) -> list[str]:
    """The day's digest as html.html and text.html in `folder`; the plain text's lines."""
    message = compose(gather(store, settings, DAY), settings, END).message
    html, text = (message.get_body((kind,)) for kind in ("html", "plain"))
    assert html is not None and text is not None
    (folder / "html.html").write_text(html.get_content(), encoding="utf-8")
    # As a mail client shows plain text: each line a paragraph of its own.
    shown = text.get_content().splitlines()
    rows = "".join(f'<div style="white-space: pre">{escape(row)}</div>' for row in shown)
    (folder / "text.html").write_text(f'<body dir="ltr">{rows}</body>', encoding="utf-8")
    return shown


def row(shown: list[str], *words: str) -> str:
    """The plain-text line holding all of `words`, as a locator in text.html."""
    return f"div >> nth={next(n for n, r in enumerate(shown) if all(w in r for w in words))}"


def assert_drawn_in_order(folder: Path, lines: dict[str, list[tuple[str, list[str]]]]) -> None:
    """In each file of `folder`, each located element draws its words in reading order."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 760, "height": 900})
            for name, checks in lines.items():
                page.goto((folder / name).as_uri())
                for where, words in checks:
                    assert drawn_in_order(page.locator(where).first, words), (name, words)
        finally:
            browser.close()
