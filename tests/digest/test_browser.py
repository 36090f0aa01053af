"""The HTML preview opened in Chromium: it renders, its images load, nothing from a post
runs, Arabic reads right-to-left. A screenshot is kept in test-artifacts/ to look at."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from config.settings import Settings
from digest.compose import compose
from digest.gather import gather
from storage import Store
from tests.chromium import ARGS, ARTIFACTS, CHROMIUM, needs_chromium
from tests.digest.seed import DAY, Seeded
from tests.digest.sqlite_only import database_url  # noqa: F401

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
