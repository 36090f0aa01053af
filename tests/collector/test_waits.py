"""A wait a platform asks for beyond a day is held to a day, and the channel's error says
so: a Retry-After or reset years ahead no longer holds a channel until restart."""

from __future__ import annotations

import pytest

from collector.run import collect
from collector.sources import open_sources
from storage import Store
from tests.collector.clock import FakeClock
from tests.collector.conftest import MakeSettings, channel
from tests.collector.fake_tme import FakeTme, Reply


@pytest.mark.parametrize("retry_after", ["Fri, 31 Dec 9999 23:59:59 GMT", "99999999999999"])
def test_a_retry_after_far_ahead_holds_a_channel_a_day_not_until_restart(
    store: Store, make_settings: MakeSettings, tme: FakeTme, clock: FakeClock, retry_after: str
) -> None:
    limited = Reply(429, headers={"Retry-After": retry_after})
    tme.route("/s/testchan", limited, *tme.routes["/s/testchan"])
    settings = make_settings(channel("testchan"))
    sources = open_sources(settings, clock=clock)
    try:
        first = collect(store, settings, sources).channels[0]
        assert first.error is not None and first.error.startswith(f"{tme.url}/s/testchan "
            "answered HTTP 429; asked to wait ")  # fmt: skip
        assert first.error.endswith(" days is longer than any real wait: waiting 24 h, "
            "the longest honoured)")  # fmt: skip
        assert store.status.all()[0].last_error == first.error
        clock.now += 23 * 3600
        held = collect(store, settings, sources).channels[0]
        assert held.skipped == "backing off after failures; next try in 60 min"
        clock.now += 3600
        assert collect(store, settings, sources).channels[0].new_posts == 13
    finally:
        sources.close()
