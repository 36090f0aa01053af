"""The x source against a mock X API v2: pagination, media, edits, deletions, rate limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collector.run import CollectReport, collect
from collector.sources import open_sources
from collector.x_convert import best_mp4, snowflake_time
from collector.x_source import NOT_FOUND
from config.settings import Settings
from storage import Store
from storage.records import Batch, Channel, Checkpoint, Post, StoredPost
from tests.collector.clock import FakeClock
from tests.collector.conftest import MakeSettings, channel
from tests.collector.fake_x import START, USER_ID, FakeX, tweet, tweet_id

PHOTO = "https://pbs.twimg.com/media/GAbc123.jpg"
VIDEO_BEST = "https://video.twimg.com/ext_tw_video/1/pu/vid/1280x720/best.mp4?tag=12"
VIDEO_LOW = "https://video.twimg.com/ext_tw_video/1/pu/vid/480x270/low.mp4?tag=12"
THUMB = "https://pbs.twimg.com/ext_tw_video_thumb/1/pu/img/thumb.jpg"
RT_PHOTO = "https://pbs.twimg.com/media/RT999.jpg"


@pytest.fixture
def x(clock: FakeClock) -> FakeX:
    fake = FakeX(lambda: clock.now)
    fake.media = {
        "3_1": {"media_key": "3_1", "type": "photo", "url": PHOTO, "width": 1200, "height": 800},
        "7_2": {
            "media_key": "7_2",
            "type": "video",
            "duration_ms": 21500,
            "width": 1280,
            "height": 720,
            "preview_image_url": THUMB,
            "variants": [
                {"bit_rate": 256000, "content_type": "video/mp4", "url": VIDEO_LOW},
                {"content_type": "application/x-mpegURL", "url": "https://video.twimg.com/x.m3u8"},
                {"bit_rate": 2176000, "content_type": "video/mp4", "url": VIDEO_BEST},
            ],
        },
        "3_9": {"media_key": "3_9", "type": "photo", "url": RT_PHOTO},
        "3_6": {"media_key": "3_6", "type": "photo", "url": "https://evil.example/pixel.jpg"},
    }
    fake.extra_tweets = {
        "900": {
            "id": "900",
            "author_id": "77",
            "text": "original",
            "attachments": {"media_keys": ["3_9"]},
        }
    }
    first = tweet(1, "Targets hit <script>alert(1)</script>", attachments={"media_keys": ["3_1"]})
    fake.tweets = [
        first,
        tweet(2, "Launch video https://t.co/abc", attachments={"media_keys": ["7_2"]}),
        tweet(3, "RT @otheracct: original", referenced_tweets=[{"type": "retweeted", "id": "900"}]),
        tweet(4, "Reply", referenced_tweets=[{"type": "replied_to", "id": first["id"]}]),
        tweet(5, "Short version…", note_tweet={"text": "The whole long statement " * 20}),
        tweet(6, "Tracker", attachments={"media_keys": ["3_6"]}),
        tweet(7, "Seventh"),
    ]
    fake.files = {
        PHOTO: b"photo" * 100,
        VIDEO_BEST: b"best video" * 100,
        VIDEO_LOW: b"low video",
        THUMB: b"thumb" * 50,
        RT_PHOTO: b"rt" * 50,
    }
    return fake


def x_settings(make_settings: MakeSettings, tmp_path: Path, **x: object) -> Settings:
    token = tmp_path / "x-token"
    token.write_text("test-token\n")
    return make_settings(
        channel("warcube", "x", group="Harakat al-Nujaba"),
        x={"bearer_token_file": str(token), "page_size": 5, "first_run_pages": 10, **x},
    )


def run(store: Store, settings: Settings, x: FakeX, clock: FakeClock) -> CollectReport:
    sources = open_sources(settings, clock=clock, transport=x.transport())
    try:
        return collect(store, settings, sources)
    finally:
        sources.close()


def stored(store: Store, message_id: str) -> StoredPost:
    found = store.archive.find("x", "warcube", int(message_id))
    assert found is not None
    return found


def test_a_first_run_archives_every_post_across_pages(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    report = run(store, x_settings(make_settings, tmp_path), x, clock)
    (only,) = report.channels
    assert (only.error, only.new_posts, only.batches) == (None, 7, 2)
    assert (only.media_stored, only.media_missing) == (4, 1)
    assert store.archive.checkpoint("x", "warcube") == tweet_id(7)
    timeline = [r for r in x.requests if r.url.path.endswith("/tweets")]
    assert [r.url.params.get("pagination_token") for r in timeline] == [None, "t5"]
    (row,) = store.archive.channels()
    assert (row.platform, row.external_id, row.title, row.group) == (
        "x",
        "2244994945",
        "War Cube",
        "Harakat al-Nujaba",
    )

    first = stored(store, tweet_id(1))
    assert first.post.text == "Targets hit <script>alert(1)</script>"
    assert first.post.posted_at == START.replace(minute=1)
    assert (first.post.views, first.post.forwards, first.post.source) == (1001, 1, "x")
    assert first.post.url == f"https://x.com/warcube/status/{tweet_id(1)}"
    assert first.media[0].path.read_bytes() == x.files[PHOTO]
    assert (first.media[0].width, first.media[0].height) == (1200, 800)


def test_videos_take_the_best_mp4_and_keep_the_thumbnail(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    run(store, x_settings(make_settings, tmp_path), x, clock)
    post = stored(store, tweet_id(2))
    assert [m.kind for m in post.post.media] == ["video", "thumbnail"]
    assert post.post.media[0].url == VIDEO_BEST
    assert post.media[0].path.read_bytes() == x.files[VIDEO_BEST]
    assert post.media[0].duration == 21.5
    assert VIDEO_LOW not in [str(r.url) for r in x.requests]


def test_reposts_replies_and_long_posts(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    run(store, x_settings(make_settings, tmp_path), x, clock)
    repost = stored(store, tweet_id(3))
    assert (repost.post.forwarded_from, repost.post.forwarded_from_id) == ("@otheracct", "900")
    assert repost.media[0].path.read_bytes() == x.files[RT_PHOTO]
    assert stored(store, tweet_id(4)).post.reply_to == int(tweet_id(1))
    assert stored(store, tweet_id(5)).post.text == "The whole long statement " * 20


def test_media_off_x_hosts_are_refused_and_the_token_never_leaves_the_api(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    run(store, x_settings(make_settings, tmp_path), x, clock)
    (tracker,) = stored(store, tweet_id(6)).post.media
    assert tracker.missing == (
        "refused: evil.example is not one of the platform's hosts (pbs.twimg.com, video.twimg.com)"
    )
    assert all(r.url.host != "evil.example" for r in x.requests)
    assert all("authorization" not in r.headers for r in x.requests if r.url.host != "api.x.com")


def test_a_second_run_reads_only_newer_posts(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    settings = x_settings(make_settings, tmp_path)
    run(store, settings, x, clock)
    again = run(store, settings, x, clock)
    assert (again.channels[0].new_posts, again.channels[0].batches) == (0, 0)
    assert x.requests[-1].url.params["since_id"] == tweet_id(7)
    x.tweets.append(tweet(8, "Eighth"))
    third = run(store, settings, x, clock)
    assert third.channels[0].new_posts == 1
    assert store.archive.checkpoint("x", "warcube") == tweet_id(8)


def test_a_first_run_reads_only_first_run_pages(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    report = run(store, x_settings(make_settings, tmp_path, first_run_pages=1), x, clock)
    assert report.channels[0].new_posts == 5
    assert store.archive.checkpoint("x", "warcube") == tweet_id(7)


def test_an_edit_becomes_a_revision_of_the_first_version(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    settings = x_settings(make_settings, tmp_path, recheck_recent=10)
    run(store, settings, x, clock)
    original = x.tweets[6]
    history = [original["id"], tweet_id(9)]
    original["edit_history_tweet_ids"] = history
    x.tweets.append(tweet(9, "Seventh, corrected", edit_history_tweet_ids=history))
    report = run(store, settings, x, clock)
    assert (report.channels[0].new_posts, report.channels[0].revisions) == (0, 1)
    post = stored(store, original["id"])
    assert [r.text for r in post.revisions] == ["Seventh", "Seventh, corrected"]
    assert post.post.posted_at == START.replace(minute=7)
    assert post.revisions[-1].edited_at == START.replace(minute=9)
    again = run(store, settings, x, clock)  # looking up the first id answers the first text
    assert (again.channels[0].revisions, again.channels[0].deleted) == (0, 0)
    assert len(stored(store, original["id"]).revisions) == 2


def test_deletions_are_found_by_looking_posts_up_again(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    settings = x_settings(make_settings, tmp_path, recheck_recent=10)
    run(store, settings, x, clock)
    x.deleted.add(tweet_id(4))
    report = run(store, settings, x, clock)
    assert report.channels[0].deleted == 1
    gone = stored(store, tweet_id(4))
    assert gone.deleted_at is not None and gone.post.text == "Reply"
    assert stored(store, tweet_id(3)).deleted_at is None


def test_a_429_sleeps_until_the_window_resets(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    x.limits[3] = (429, 120)  # the second timeline page
    report = run(store, x_settings(make_settings, tmp_path), x, clock)
    assert (report.channels[0].error, report.channels[0].new_posts) == (None, 7)
    assert clock.slept == [121.0]


def test_a_spent_window_is_waited_for_before_the_next_request(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    x.limits[1] = (200, 30)  # the user lookup spends the window
    report = run(store, x_settings(make_settings, tmp_path), x, clock)
    assert report.channels[0].new_posts == 7
    assert clock.slept == [31.0]
    assert len([r for r in x.requests if r.url.host == "api.x.com"]) == 3


def test_a_long_rate_limit_reschedules_the_account(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    x.limits[2] = (429, 900)
    report = run(store, x_settings(make_settings, tmp_path), x, clock)
    assert report.channels[0].error == (
        "https://api.x.com/2/users/2244994945/tweets answered HTTP 429; asked to wait 900 s"
    )
    assert store.archive.counts()["posts"] == 0 and clock.slept == []


def test_an_unknown_account_and_a_bad_token_are_named(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    token = tmp_path / "bad-token"
    token.write_text("wrong")
    settings = make_settings(channel("nobody", "x"), x={"bearer_token_file": str(token)})
    assert run(store, settings, x, clock).channels[0].error == (
        "X refused the request to /2/users/by/username/nobody (HTTP 401): check the bearer "
        "token (CLAIMWATCH_X_BEARER_TOKEN) and the app's access level"
    )
    x_settings(make_settings, tmp_path)  # writes the good token
    settings = make_settings(
        channel("nobody", "x"), x={"bearer_token_file": str(tmp_path / "x-token")}
    )
    assert run(store, settings, x, clock).channels[0].error == (
        "X account @nobody cannot be read: Could not find user with username: [nobody]."
    )


def test_a_timeline_x_will_not_show_is_an_error_not_an_empty_success(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    x.timeline_errors = [
        {
            "title": "Authorization Error",
            "detail": "Sorry, you are not authorized to see the user with id: [2244994945].",
            "type": "https://api.twitter.com/2/problems/not-authorized-for-resource",
        }
    ]
    report = run(store, x_settings(make_settings, tmp_path), x, clock)
    assert report.channels[0].error == (
        "X will not show the posts of @warcube: Sorry, you are not authorized to see the "
        "user with id: [2244994945]."
    )
    health = {(h.source, h.channel): h for h in store.status.all()}
    assert health["x", "warcube"].last_success_at is None


@pytest.mark.parametrize(
    "body", [b"<html>busy</html>", b"[" * 100_000, b'{"meta": {"result_count": ' + b"9" * 5000]
)
def test_a_timeline_that_is_not_readable_json_is_an_error_naming_the_request(
    store: Store,
    make_settings: MakeSettings,
    tmp_path: Path,
    clock: FakeClock,
    x: FakeX,
    body: bytes,
) -> None:
    x.timeline_body = body
    report = run(store, x_settings(make_settings, tmp_path), x, clock)
    assert report.channels[0].error == (
        f"X answered /2/users/{USER_ID}/tweets with something that is not JSON"
    )
    assert store.archive.counts()["posts"] == 0


def test_x_is_off_without_a_token(
    store: Store, make_settings: MakeSettings, clock: FakeClock, x: FakeX
) -> None:
    settings = make_settings(channel("warcube", "x"))
    report = run(store, settings, x, clock)
    assert report.channels[0].error == (
        "no X bearer token: set CLAIMWATCH_X_BEARER_TOKEN or x.bearer_token_file"
    )
    assert x.requests == []


def test_best_mp4_and_id_times() -> None:
    assert (
        best_mp4(
            [
                {"content_type": "video/mp4", "url": "a", "bit_rate": 1},
                {"content_type": "video/mp4", "url": "b", "bit_rate": 9},
            ]
        )
        == "b"
    )
    assert best_mp4([{"content_type": "application/x-mpegURL", "url": "c"}]) is None
    assert snowflake_time(int(tweet_id(42))) == START.replace(minute=42)


def test_a_reclaimed_handle_is_refused_before_its_posts_are_read_as_edits(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    """The archived account posted up to the checkpoint; the handle now names another."""
    old = Channel("x", "warcube", "1111", "The suspended account")
    posts = tuple(
        Post("x", "warcube", int(tweet_id(i)), snowflake_time(int(tweet_id(i))), "old", "x")
        for i in range(1, 8)
    )
    store.archive.ingest(Batch(old, posts, Checkpoint("x", "warcube", tweet_id(7))))

    report = run(store, x_settings(make_settings, tmp_path, recheck_recent=10), x, clock)

    (only,) = report.channels
    assert only.error is not None and "1111" in only.error and USER_ID in only.error
    assert (only.revisions, only.deleted) == (0, 0)
    assert [r.text for r in stored(store, tweet_id(1)).revisions] == ["old"]


def test_a_post_cut_inside_an_emoji_is_archived_and_later_posts_follow(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    """X cuts long texts anywhere, even between the two halves of an emoji."""
    half = "\ud83d"  # the first half of 🔥, without its second
    x.users[USER_ID]["name"] = f"War Cube {half}"
    x.media["3_5"] = {"media_key": "3_5", "type": "photo", "url": f"{PHOTO[:-4]}{half}.jpg"}
    x.tweets = [tweet(1, f"Targets hit {half}", attachments={"media_keys": ["3_5"]}), tweet(2, "2")]
    settings = x_settings(make_settings, tmp_path)

    report = run(store, settings, x, clock)

    (only,) = report.channels
    assert (only.error, only.new_posts) == (None, 2)
    first = stored(store, tweet_id(1)).post
    assert first.text == f"Targets hit {half}"
    assert first.media[0].missing == f"refused: {first.media[0].url!r} is not a valid URL"
    assert store.archive.channels()[0].title == f"War Cube {half}"
    assert store.archive.checkpoint("x", "warcube") == tweet_id(2)
    x.tweets.append(tweet(3, "Third"))
    assert run(store, settings, x, clock).channels[0].new_posts == 1


def test_an_error_x_cut_inside_an_emoji_is_recorded_with_a_replacement_mark(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    x.timeline_errors = [{"title": "Authorization Error", "detail": "Not for you \ud83d"}]
    report = run(store, x_settings(make_settings, tmp_path), x, clock)
    expected = "X will not show the posts of @warcube: Not for you \ufffd"
    assert report.channels[0].error == expected
    health = {(h.source, h.channel): h for h in store.status.all()}
    assert health["x", "warcube"].last_error == expected


def test_a_pagination_token_that_repeats_is_an_error_not_a_loop(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    """Each page is billed: a token X names again would read the same page for ever."""
    settings = x_settings(make_settings, tmp_path)
    run(store, settings, x, clock)
    x.tweets.extend(tweet(minute, f"post {minute}") for minute in range(10, 30))
    x.stuck_token = "t5"
    before = len(x.requests)

    report = run(store, settings, x, clock)

    assert report.channels[0].error == (
        "X named the same next page twice (pagination_token 't5') for @warcube; stopped "
        "rather than read it again"
    )
    assert len(x.requests) - before == 3  # the user, the first page and the next page once
    assert store.archive.counts()["posts"] == 7
    assert store.archive.checkpoint("x", "warcube") == tweet_id(7)


def test_a_5xx_is_retried_soon_whatever_the_rate_limit_window(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    """X sends x-rate-limit-reset with every answer: only a 429 means waiting for it."""
    x.limits[2] = (503, 900)
    report = run(store, x_settings(make_settings, tmp_path), x, clock)
    assert (report.channels[0].error, report.channels[0].new_posts) == (None, 7)
    assert len(clock.slept) == 1 and clock.slept[0] < 10


def test_counts_and_sizes_x_cannot_mean_are_dropped_and_the_post_kept(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    x.media["3_1"] |= {"width": 10**20, "height": "800"}
    x.media["7_2"] |= {"duration_ms": "21500"}
    x.media["7_2"]["variants"][0]["bit_rate"] = "9999999"
    metrics = {"impression_count": 10**30, "retweet_count": "many"}
    x.tweets = [
        tweet(1, "photo", attachments={"media_keys": ["3_1", ["3_1"]]}, public_metrics=metrics),
        tweet(
            2,
            "video",
            attachments={"media_keys": ["7_2"]},
            referenced_tweets=[{"type": "retweeted", "id": 900}],
        ),
    ]

    report = run(store, x_settings(make_settings, tmp_path), x, clock)

    assert (report.channels[0].error, report.channels[0].new_posts) == (None, 2)
    photo = stored(store, tweet_id(1))
    assert (photo.post.views, photo.post.forwards) == (None, None)
    assert (photo.media[0].width, photo.media[0].height) == (None, None)
    assert photo.post.media[1].missing == "X did not expand media ['3_1']"
    video = stored(store, tweet_id(2))
    assert video.post.media[0].url == VIDEO_BEST and video.media[0].duration is None
    assert video.post.forwarded_from_id is None


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ({"data": {"id": "1"}}, f"X answered /2/users/{USER_ID}/tweets with a malformed list"),
        ({"data": [{"text": "no id"}]}, "with a malformed list of posts"),
        ({"data": [tweet(1, "a", id="1_000")]}, "with a malformed list of posts"),
        ({"data": [tweet(1, "a", id=str(2**64))]}, "with a malformed list of posts"),
        (
            {"data": [{**tweet(1, "a"), "text": None}]},
            f"X post '{tweet_id(1)}' of @warcube is malformed: 'text'",
        ),
        (
            {"data": [tweet(1, "a", created_at="2024-02-01T06:01:00")]},
            "is malformed: 'created_at' has no time zone",
        ),
        (
            {"data": [tweet(1, "a", edit_history_tweet_ids=[-5])]},
            "is malformed: no usable first id",
        ),
        ({"data": [tweet(1, "a")], "meta": "next"}, "with 'meta' that is not an object"),
        ({"data": [tweet(1, "a")], "meta": {"next_token": 5}}, "with a next_token that is not"),
    ],
)
def test_a_malformed_timeline_is_named_and_stores_nothing(
    store: Store,
    make_settings: MakeSettings,
    tmp_path: Path,
    clock: FakeClock,
    x: FakeX,
    page: dict[str, object],
    expected: str,
) -> None:
    x.timeline_body = json.dumps(page).encode()
    report = run(store, x_settings(make_settings, tmp_path), x, clock)
    error = report.channels[0].error or ""
    assert expected in error and not error.startswith("unexpected")
    assert store.archive.counts()["posts"] == 0


def test_a_lookup_counts_as_deleted_only_the_posts_it_was_asked_about(
    store: Store, make_settings: MakeSettings, tmp_path: Path, clock: FakeClock, x: FakeX
) -> None:
    settings = x_settings(make_settings, tmp_path, recheck_recent=3)
    run(store, settings, x, clock)
    x.deleted.add(tweet_id(1))  # archived, but not among the three newest looked up
    x.extra_lookup_errors = [{"type": NOT_FOUND, "resource_id": tweet_id(1)}, "junk"]
    report = run(store, settings, x, clock)
    assert (report.channels[0].error, report.channels[0].deleted) == (None, 0)
    assert stored(store, tweet_id(1)).deleted_at is None
