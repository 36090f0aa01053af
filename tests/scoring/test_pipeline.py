"""The scoring stage through the store: extract, score, rescore on new evidence, idempotent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

import config
from claimwatch.phrase import told
from scoring import decisions, pipeline
from scoring.extract import EXTRACTOR_VERSION
from scoring.pipeline import rescore, score_claims
from storage import Store
from storage.records import Alert, Batch, Channel, Extraction, Post, Verdict
from tests.scoring.helpers import add_post

SETTINGS = config.Settings()
UAV = "חדירת כלי טיס עוין"
# Sunday 29 Sep 2024, 06:20 in Baghdad: "at dawn today, Sunday, a vital target in Eilat".
POSTED = datetime(2024, 9, 29, 3, 20, tzinfo=UTC)
CLAIM = (
    "بسم الله الرحمن الرحيم\nاستمراراً بنهجنا في مقاومة الاحتلال، استهدف مجاهدو المقاومة "
    "الإسلامية في العراق، فجر اليوم الأحد، هدفاً حيوياً في أم الرشراش المحتلة، بواسطة "
    "الطيران المسيّر."
)
STATEMENT = "تتقدم المقاومة الإسلامية في العراق بأحرّ التعازي إلى الأمة الإسلامية."


def alerts(
    store: Store,
    *times: datetime,
    area: str = "אילת",
    rid: int = 40000,
    covered: tuple[datetime, datetime] | None = None,
) -> None:
    """Store UAV alerts, covering their first to last time (as a CSV import does) unless
    `covered` says otherwise."""
    rows = [Alert(rid + i, t, area, 2, UAV) for i, t in enumerate(times)]
    store.alerts.add_many(rows, source="test", covered=covered or (min(times), max(times)))


def history_bounds(store: Store) -> None:
    """Alerts long before and after, so the alert history covers the claimed time."""
    alerts(store, POSTED - timedelta(days=30), POSTED + timedelta(days=30), area="מטולה")


def test_extracts_scores_and_is_idempotent(store: Store) -> None:
    add_post(store, 1, POSTED, CLAIM)
    add_post(store, 2, POSTED + timedelta(hours=1), STATEMENT)
    first = score_claims(store, SETTINGS)
    assert (first.extracted, first.claims_found, first.scored, first.changed) == (2, 1, 1, 1)
    (claim,) = store.claims.list()
    assert claim.extraction.targets[0].name == "Eilat" and claim.score is not None
    assert claim.score.model_version.startswith("score-7+")
    again = score_claims(store, SETTINGS)
    assert (again.extracted, again.scored, again.changed) == (0, 0, 0)  # nothing changed
    everything = score_claims(store, SETTINGS, everything=True)
    assert (everything.scored, everything.changed) == (1, 0)
    assert len(store.claims.history(claim.id)) == 1
    assert "1 claim scored, 0 new scores" in everything.summary()


def test_a_new_alert_raises_the_score_and_keeps_the_history(store: Store) -> None:
    add_post(store, 1, POSTED, CLAIM)
    history_bounds(store)
    score_claims(store, SETTINGS)
    (before,) = store.claims.list()
    assert before.score is not None
    assert "alert_missing" in [f.name for f in before.score.factors if f.weight]
    alerts(store, POSTED - timedelta(hours=1), rid=43000)  # 05:20 Baghdad, dawn, in Eilat
    score_claims(store, SETTINGS)
    (after,) = store.claims.list()
    assert after.score is not None and after.score.value > before.score.value + 20
    match = next(f for f in after.score.factors if f.name == "alert_match")
    assert match.direction == "supports" and match.evidence[0].kind == "alert"
    assert after.score.inputs["alerts"]["found"] == ["43000/אילת"]
    assert [s.value for s in store.claims.history(after.id)] == [
        before.score.value, after.score.value
    ]  # fmt: skip


def test_rescore_after_an_analyst_records_contradicting_evidence(store: Store) -> None:
    add_post(store, 1, POSTED, CLAIM)
    score_claims(store, SETTINGS)
    (claim,) = store.claims.list()
    note = "IDF: no aerial target entered from the east that morning"
    store.verdicts.add(Verdict("claim", claim.id, "lina", decisions.CONTRADICTED, note, POSTED))
    report = rescore(store, SETTINGS, [claim.id])
    assert (report.scored, report.changed) == (1, 1)
    (after,) = store.claims.list()
    assert after.score is not None and claim.score is not None
    assert after.score.value < claim.score.value - 30
    assert any(note in told(f.explanation) for f in after.score.factors)


def test_edited_post_is_extracted_again(store: Store) -> None:
    add_post(store, 1, POSTED, CLAIM)
    score_claims(store, SETTINGS)
    add_post(store, 1, POSTED, CLAIM.replace("أم الرشراش", "حيفا"))
    report = score_claims(store, SETTINGS)
    assert report.extracted == 1
    (claim,) = store.claims.list()
    assert claim.extraction.targets[0].name == "Haifa"
    assert claim.score is not None
    assert "edited" in [f.name for f in claim.score.factors]


def test_track_record_moves_with_verdicts_on_other_claims(store: Store) -> None:
    for day in range(6):
        add_post(store, day + 1, POSTED + timedelta(days=day), CLAIM)
    score_claims(store, SETTINGS)
    claims = store.claims.list(newest_first=False)
    for claim in claims[1:]:
        store.verdicts.add(Verdict("claim", claim.id, "lina", decisions.FALSE, "", POSTED))
    score_claims(store, SETTINGS)
    first = store.claims.get(claims[0].id)
    assert first is not None and first.score is not None and claims[0].score is not None
    track = next(f for f in first.score.factors if f.name == "track_record")
    assert track.direction == "undermines" and "0 of 5 reviewed claims" in told(track.explanation)
    assert first.score.value < claims[0].score.value


def test_this_evening_in_a_claim_posted_just_after_midnight_is_the_evening_before(
    store: Store,
) -> None:
    # Posted at 00:30 on Friday 1 Nov 2024 in Baghdad, half an hour after the drone alerts:
    # "this evening, Thursday, ... in Eilat".
    posted = datetime(2024, 10, 31, 21, 30, tzinfo=UTC)
    text = (
        "استهدف مجاهدو المقاومة الإسلامية في العراق مساء اليوم الخميس هدفاً حيوياً في أم "
        "الرشراش المحتلة بواسطة الطيران المسيّر."
    )
    add_post(store, 1, posted, text)
    alerts(store, posted - timedelta(days=30), posted + timedelta(days=30), area="מטולה")
    alerts(store, datetime(2024, 10, 31, 17, 0, tzinfo=UTC), rid=43000)  # 20:00 Thursday
    score_claims(store, SETTINGS)
    (claim,) = store.claims.list()
    assert claim.score is not None
    named = {f.name: f for f in claim.score.factors}
    assert named["alert_match"].direction == "supports"
    assert "posted_before_claimed" not in named
    assert told(named["delay_prompt"].explanation).startswith("Posted within the claimed time")
    assert claim.score.label in ("corroborated", "plausible")


def test_posts_are_extracted_in_batches_and_one_failure_spares_the_rest(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(1, 6):
        add_post(store, n, POSTED + timedelta(hours=n), CLAIM if n != 3 else "BROKEN " + CLAIM)
    real = pipeline.extract

    def extract(text: str, posted_at: datetime) -> Extraction:
        if text.startswith("BROKEN"):
            raise ValueError("cannot read this post")
        return real(text, posted_at)

    monkeypatch.setattr(pipeline, "EXTRACT_BATCH", 2)
    monkeypatch.setattr(pipeline, "extract", extract)
    report = score_claims(store, SETTINGS)
    assert (report.extracted, report.claims_found) == (4, 4)
    (error,) = report.errors
    assert error.startswith("post 3 (@sabreen): ValueError: cannot read this post")
    assert len(store.claims.list()) == 4
    monkeypatch.setattr(pipeline, "extract", real)
    assert score_claims(store, SETTINGS).extracted == 1  # the failed post is tried again


def test_an_edit_seen_while_its_post_was_being_extracted_is_extracted_again(store: Store) -> None:
    post = add_post(store, 1, POSTED, CLAIM)
    read_at = datetime.now(UTC)
    add_post(store, 1, POSTED, CLAIM.replace("أم الرشراش", "حيفا"))  # the edit arrives
    text = CLAIM  # what was read before the edit
    store.claims.save_many([(post.id, pipeline.extract(text, POSTED))], read_at)
    assert store.claims.posts_to_extract(EXTRACTOR_VERSION) == [post.id]
    score_claims(store, SETTINGS)
    (claim,) = store.claims.list()
    assert claim.extraction.targets[0].name == "Haifa"


def test_a_likely_chance_match_on_a_busy_front_is_not_corroboration(store: Store) -> None:
    # UAV alerts over Kiryat Shmona once a day (Hezbollah's drones), so more than half of
    # all 13-hour windows hold one: two dawn claims on it each meet an alert by chance.
    text = CLAIM.replace("أم الرشراش", "الخالصة")
    add_post(store, 1, POSTED, text)
    add_post(store, 2, POSTED + timedelta(days=2), text.replace("الأحد", "الثلاثاء"))
    history_bounds(store)
    daily = [POSTED - timedelta(hours=1) + timedelta(days=d) for d in range(-40, 4)]
    alerts(store, *daily, area="קריית שמונה", rid=41000)
    score_claims(store, SETTINGS)
    for claim in store.claims.list():
        assert claim.score is not None
        named = {f.name: f for f in claim.score.factors}
        assert named["alert_match"].direction == "supports"
        assert "so a chance match is likely" in told(named["alert_match"].explanation)
        assert claim.score.value >= SETTINGS.scoring.corroborated_at
        assert claim.score.label == "plausible"  # no independent support
        assert "has no reviewed or corroborated claims yet" in told(
            named["track_record"].explanation
        )


# The claim without its weekday: "at dawn today" is all that dates it.
TODAY_ONLY = CLAIM.replace("فجر اليوم الأحد", "فجر اليوم")
NEXT_DAY = POSTED + timedelta(days=1, hours=6)  # Monday 30 September, 12:20 in Baghdad


def post(
    store: Store, channel: Channel, message_id: int, posted_at: datetime, origin: str | None = None
) -> None:
    """Archive a post of TODAY_ONLY; a forward of `origin` when given."""
    name = "Sabreen News" if origin else None
    item = Post(
        "telegram", channel.handle, message_id, posted_at, TODAY_ONLY, "telegram",
        forwarded_from=name, forwarded_from_id=origin,
    )  # fmt: skip
    store.archive.ingest(Batch(channel, (item,)))


def claimed_dates(store: Store) -> dict[tuple[str, int], date | None]:
    found = {}
    for claim in store.claims.list():
        stored = store.archive.get(claim.post_id)
        assert stored is not None
        found[claim.channel, stored.post.message_id] = claim.extraction.claimed_date
    return found


SABREEN = Channel("telegram", "Sabreen_News", "-1001234567890")
NEWS = Channel("telegram", "news")


def test_a_forward_a_day_later_is_dated_by_its_original(store: Store) -> None:
    post(store, SABREEN, 7, POSTED)
    post(store, NEWS, 1, NEXT_DAY, origin="sabreen_news/7")  # as the web preview names it
    post(store, NEWS, 2, NEXT_DAY, origin="-1001234567890/7")  # as the Telegram API does
    post(store, NEWS, 3, NEXT_DAY, origin="other_channel/7")  # an original not archived
    pipeline.extract_posts(store)
    sunday, monday = date(2024, 9, 29), date(2024, 9, 30)
    assert claimed_dates(store) == {
        ("Sabreen_News", 7): sunday, ("news", 1): sunday, ("news", 2): sunday,
        ("news", 3): monday,
    }  # fmt: skip


def test_a_forward_is_read_again_when_its_original_arrives(store: Store) -> None:
    post(store, NEWS, 1, NEXT_DAY, origin="Sabreen_News/7")
    pipeline.extract_posts(store)
    assert claimed_dates(store) == {("news", 1): date(2024, 9, 30)}
    post(store, SABREEN, 7, POSTED)
    assert pipeline.extract_posts(store)[0] == 2
    assert claimed_dates(store) == {
        ("news", 1): date(2024, 9, 29),
        ("Sabreen_News", 7): date(2024, 9, 29),
    }
