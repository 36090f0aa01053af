"""The review page in a real browser (Debian's Chromium driven by Playwright).

An analyst logs in, clears the queue with the keyboard and sees the affected claim's score
change; hostile archive content stays inert. Screenshots land in test-artifacts/ for a
person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, expect, sync_playwright

from review.app import create_app
from scoring.pipeline import rescore
from storage import open_store
from storage.records import Batch, Channel, Extraction, MediaRef, Post, Weapon
from tests.chromium import ARGS, ARTIFACTS, CHROMIUM, drawn_in_order, needs_chromium
from tests.explained import HANDLE, REVIEWER, explained_claim
from tests.review.archive import EILAT, HOSTILE_CHANNEL
from tests.review.conftest import ANALYST, PASSWORD, Site, make_site, status_of
from tests.review.server import running

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def fresh(tmp_path: Path, password_hash: str) -> Iterator[Site]:
    """A seeded archive of its own on SQLite: what the browser sees does not depend on the
    database, and the decisions themselves are tested on every backend elsewhere."""
    store = open_store(f"sqlite:///{tmp_path / 'claimwatch.db'}", tmp_path / "data", 50 << 20)
    yield make_site(store, tmp_path, password_hash)
    store.close()


@pytest.fixture
def served(fresh: Site) -> Iterator[str]:
    with running(create_app(fresh.store, fresh.settings)) as base:
        yield base


@pytest.fixture
def page(browser: Browser, served: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=served)
    opened = context.new_page()
    yield opened
    context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"review-{name}.png"), full_page=True)


def log_in_with_the_keyboard(page: Page) -> None:
    page.goto("/")
    expect(page.locator("input[name=name]")).to_be_focused()
    shot(page, "login")
    page.keyboard.type(ANALYST)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/queue")


def test_an_analyst_clears_the_queue_with_the_keyboard(page: Page, fresh: Site) -> None:
    seeded, store = fresh.seeded, fresh.store
    before = store.claims.get(seeded.reused_claim).score  # type: ignore[union-attr]
    log_in_with_the_keyboard(page)
    current = page.locator("article.card.current")
    expect(current).to_have_id(f"m{seeded.scene_match}")
    frames = page.locator(f"#m{seeded.scene_match} table.frames img")
    expect(frames).to_have_count(4)
    page.wait_for_load_state("networkidle")
    loaded = "imgs => imgs.every(i => i.complete && i.naturalWidth > 0)"
    assert page.evaluate(loaded, frames.element_handles()), "keyframes must load under the CSP"
    shot(page, "queue")

    page.keyboard.press("j")
    expect(current).to_have_id(f"m{seeded.copy_match}")
    page.keyboard.press("k")
    expect(current).to_have_id(f"m{seeded.scene_match}")

    page.keyboard.press("e")
    page.keyboard.type("second angle of the same launch")
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.keyboard.press("l")
    expect(page.locator(".flash")).to_contain_text(
        f"Match {seeded.scene_match}: Same event, legitimate (by {ANALYST})"
    )
    expect(current).to_have_id(f"m{seeded.copy_match}")
    with page.expect_navigation():
        page.keyboard.press("r")
    expect(page.locator(".empty")).to_contain_text("Nothing to review")
    shot(page, "queue-cleared")

    (verdict,) = store.verdicts.for_target("match", seeded.scene_match)
    assert verdict.note == "second angle of the same launch"
    page.goto(f"/claims/{seeded.reused_claim}")
    expect(page.locator("#score-label")).to_have_text("likely false")
    after = int(page.locator("#score-value").inner_text())
    assert before is not None and after < round(before.value)
    expect(page.locator("table.factors")).to_contain_text("media_recycled_confirmed")
    expect(page.locator("table.history-table tr")).to_have_count(3)
    shot(page, "claim")


def test_the_match_page_steps_through_the_queue(page: Page, fresh: Site) -> None:
    log_in_with_the_keyboard(page)
    page.goto(f"/matches/{fresh.seeded.scene_match}")
    videos = page.locator("section.players video")
    expect(videos).to_have_count(2)
    page.wait_for_function(
        "() => [...document.querySelectorAll('section.players video')]"
        ".every(v => v.readyState >= 1 || v.error)"
    )
    durations = page.evaluate(
        "() => [...document.querySelectorAll('section.players video')]"
        ".map(v => v.error ? 'error ' + v.error.code : Math.round(v.duration))"
    )
    assert durations == [4, 4], "both videos play from /media/<sha256> under the CSP"
    shot(page, "match")
    with page.expect_navigation():
        page.keyboard.press("j")
    assert page.url.endswith(f"/matches/{fresh.seeded.copy_match}?status=pending")
    with page.expect_navigation():
        page.keyboard.press("n")
    assert "/queue" in page.url
    assert status_of(fresh.store, fresh.seeded.copy_match) == "not_same"


def test_hostile_content_stays_inert(page: Page, fresh: Site) -> None:
    refused: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused" in message.text:
            refused.append(message.text)

    page.on("console", watch)
    log_in_with_the_keyboard(page)
    pages = [
        "/queue",
        f"/posts/{fresh.seeded.hostile_post}",
        f"/matches/{fresh.seeded.scene_match}",
        f"/channels/telegram/{HOSTILE_CHANNEL}",
        "/search?q=click",
    ]
    for path in pages:
        page.goto(path)
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator('a[href^="javascript:" i]').count() == 0, path
        assert page.locator("script:not([src])").count() == 0, path
    assert refused == [], "the pages themselves must need nothing the CSP forbids"
    page.goto(f"/posts/{fresh.seeded.hostile_post}")
    expect(page.locator(".post-text").first).to_contain_text("<script>window.__pwned")
    shot(page, "hostile-post")


def test_an_rtl_override_in_a_channel_name_cannot_reorder_the_page(page: Page, fresh: Site) -> None:
    log_in_with_the_keyboard(page)
    page.goto(f"/posts/{fresh.seeded.hostile_post}")
    meta = page.locator("section.panel p.meta").first
    assert isolated(meta.locator("bdi").first, meta.locator("time").first)
    # The same line without isolation is reordered: the check above can tell.
    page.set_content(
        f'<p><span id="c">{HOSTILE_CHANNEL}</span> · <time id="t">2024-06-12 19:05 UTC</time></p>'
    )
    assert not isolated(page.locator("#c"), page.locator("#t"))


def test_a_stray_closing_isolate_cannot_undo_the_isolation(page: Page, fresh: Site) -> None:
    """U+2069 ends the isolation <bdi> gives, and an override after it would reach out."""
    handle = "evil\u2069\u202eoc.xss"
    post = Post("telegram", handle, 1, datetime(2024, 6, 12, 19, 5, tzinfo=UTC), "x", "tg-export")
    fresh.store.archive.ingest(Batch(Channel("telegram", handle), (post,)))
    stored = fresh.store.archive.find("telegram", handle, 1)
    assert stored is not None
    log_in_with_the_keyboard(page)
    page.goto(f"/posts/{stored.id}")
    meta = page.locator("section.panel p.meta").first
    assert isolated(meta.locator("bdi").first, meta.locator("time").first)


def test_an_override_in_one_field_cannot_reorder_a_claim_summary(page: Page, fresh: Site) -> None:
    post = Post("telegram", "bidi_test", 1, datetime(2024, 6, 12, 19, tzinfo=UTC), "x", "tg-export")
    fresh.store.archive.ingest(Batch(Channel("telegram", "bidi_test"), (post,)))
    stored = fresh.store.archive.find("telegram", "bidi_test", 1)
    assert stored is not None
    extraction = Extraction(
        True,
        group="Kataib\u202e Hezbollah",
        targets=(EILAT,),
        weapons=(Weapon("drone"),),
        claimed_date=date(2024, 6, 12),
        extractor="test",
    )
    claim_id = fresh.store.claims.save(stored.id, extraction)
    words = ["Kataib", "claims a drone attack on", "Eilat", "Israel", "2024-06-12"]
    log_in_with_the_keyboard(page)
    for path, line in (
        (f"/claims/{claim_id}", ".claim-summary"),
        (f"/posts/{stored.id}", ".claim-line"),
        ("/channels/telegram/bidi_test", f"td:has(a[href='/claims/{claim_id}'])"),
    ):
        page.goto(path)
        assert drawn_in_order(page.locator(line).first, words), path


def test_names_in_a_factors_explanation_cannot_reorder_it(page: Page, fresh: Site) -> None:
    """An override in the channel handle, an Arabic place before its distance and an Arabic
    analyst name before a date each stay in their place in the Why table."""
    explained = explained_claim(fresh.store, fresh.settings, datetime(2024, 6, 12, 19, tzinfo=UTC))
    log_in_with_the_keyboard(page)
    page.goto(f"/claims/{explained.claim_id}")
    for factor, words in explained.words.items():
        row = page.locator("table.factors tr", has=page.locator(f"td:text-is('{factor}')"))
        assert drawn_in_order(row.locator("td").nth(2), words), factor
    shot(page, "claim-explanations")


def test_names_in_evidence_labels_cannot_reorder_them(page: Page, fresh: Site) -> None:
    """The date after an Arabic analyst name, and the words after a handle holding a
    right-to-left override, stay in their place in each evidence label of the Why table."""
    posted = datetime(2024, 6, 12, 19, tzinfo=UTC)
    explained = explained_claim(fresh.store, fresh.settings, posted)
    fresh.store.archive.mark_deleted("telegram", HANDLE, [1])
    rescore(fresh.store, fresh.settings, [explained.claim_id])
    log_in_with_the_keyboard(page)
    page.goto(f"/claims/{explained.claim_id}")
    for factor, words in (
        ("analyst_corroborated", [REVIEWER, "2024-06-12", "20:00", "UTC"]),
        ("deleted", ["@", "over", "this", "post"]),
    ):
        row = page.locator("table.factors tr", has=page.locator(f"td:text-is('{factor}')"))
        assert drawn_in_order(row.locator("li").first, words), factor
    shot(page, "claim-evidence")


def isolated(name: Locator, after: Locator) -> bool:
    """True when the element after the name is drawn after it, as in the markup."""
    box, following = name.bounding_box(), after.bounding_box()
    assert box is not None and following is not None
    return following["x"] >= box["x"] + box["width"]


def test_channel_and_search_pages(page: Page) -> None:
    log_in_with_the_keyboard(page)
    page.goto("/channels/telegram/kataib_test")
    expect(page.locator("figure.chart rect.bar")).to_have_count(7)
    shot(page, "channel")
    page.goto("/search")
    page.keyboard.type("ايلات")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("table.results tr")).to_have_count(3)
    shot(page, "search")


def test_a_link_in_an_email_opens_the_page_for_a_logged_in_analyst(
    page: Page, served: str, fresh: Site
) -> None:
    log_in_with_the_keyboard(page)
    target = f"{served}/matches/{fresh.seeded.copy_match}"
    # A page on another site (localhost is not the same site as 127.0.0.1) links to us.
    page.goto(served.replace("127.0.0.1", "localhost") + "/login")
    page.evaluate(
        "url => { const a = document.createElement('a'); a.href = url;"
        " document.body.append(a); a.click(); }",
        target,
    )
    page.wait_for_url(f"**/matches/{fresh.seeded.copy_match}")
    expect(page.locator("article.card")).to_have_id(f"m{fresh.seeded.copy_match}")
    page.goto("/queue")
    expect(page.locator("header .who")).to_have_text(ANALYST)


def test_an_endless_word_in_a_name_stays_inside_the_page(page: Page, fresh: Site) -> None:
    """A channel name or file name with no space in it cannot push the page sideways."""
    endless = "ءلا" * 150 + "W" * 300
    post = Post(
        "telegram", endless, 1, datetime(2024, 6, 12, 20, 0, tzinfo=UTC), endless, "tg-export",
        forwarded_from=endless,
        media=(MediaRef("document", file_name=endless + ".mp4", missing=endless),),
    )  # fmt: skip
    fresh.store.archive.ingest(Batch(Channel("telegram", endless, title=endless), (post,)))
    stored = fresh.store.archive.find("telegram", endless, 1)
    assert stored is not None
    log_in_with_the_keyboard(page)
    for path in (
        f"/posts/{stored.id}",
        "/channels",
        "/queue",
        "/search?q=WWW",
        f"/channels/telegram/{endless}",
    ):
        page.goto(path)
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, (path, wide)
    shot(page, "endless-word")
