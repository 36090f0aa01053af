"""A channel's page: how much it claims, how its claims are labelled, how they held up."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from config.settings import Settings
from scoring.case import TrackRecord
from scoring.counts import RateChange, counts, rate_changes
from scoring.decisions import judgement
from scoring.track_record import outcome_from_inputs, tally, track_record
from storage import Store
from storage.records import Channel, StoredClaim, closest

LABEL_ORDER = ("corroborated", "plausible", "unverified", "doubtful", "likely false")
RECENT = 25


@dataclass(frozen=True)
class ChannelView:
    channel: Channel
    claims: int
    labels: list[tuple[str, int]]
    unscored: int
    record: TrackRecord
    recent: list[StoredClaim]
    weeks: list[tuple[date, int]]
    changes: list[RateChange]

    @property
    def label_max(self) -> int:
        return max((count for _, count in self.labels), default=0) or 1


def find_channel(store: Store, platform: str, handle: str) -> Channel | None:
    """The channel archived under `handle` in any case (the exact spelling first)."""
    archived = (c for c in store.archive.channels() if c.platform == platform)
    return closest(archived, handle, lambda c: c.handle)


def channel_view(store: Store, settings: Settings, channel: Channel) -> ChannelView:
    claims = [
        c
        for c in store.claims.list(channel=channel.handle, newest_first=False)
        if c.platform == channel.platform
    ]
    zone = ZoneInfo(settings.scoring.timezone)
    labels: Counter[str] = Counter(c.score.label for c in claims if c.score is not None)
    verdicts = store.claims.verdicts([c.id for c in claims]) if claims else {}
    outcomes = {
        c.id: outcome_from_inputs(c.score.inputs if c.score else {}, judgement(verdicts[c.id]))
        for c in claims
    }
    return ChannelView(
        channel=channel,
        claims=len(claims),
        labels=[(label, labels.get(label, 0)) for label in LABEL_ORDER],
        unscored=sum(1 for c in claims if c.score is None),
        record=track_record(channel.handle, tally(outcomes.values()), None, settings.scoring),
        recent=claims[::-1][:RECENT],
        weeks=weekly(claims, zone),
        changes=rate_changes(claims, by="channel", zone=zone),
    )


def weekly(claims: list[StoredClaim], zone: ZoneInfo) -> list[tuple[date, int]]:
    """Claims per week (Monday starts, the claimants' zone), empty weeks included."""
    found = {c.start: c.claims for c in counts(claims, "week", "channel", zone)}
    if not found:
        return []
    week, last, series = min(found), max(found), []
    while week <= last:
        series.append((week, found.get(week, 0)))
        week += timedelta(days=7)
    return series
