"""A channel's page: how much it claims, how its claims are labelled, how they held up."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from config.settings import Settings
from scoring.case import TrackRecord
from scoring.counts import RateChange, count_moments, moment_changes
from scoring.decisions import judgement
from scoring.track_record import recorded_outcome, tally, track_record
from storage import Store
from storage.records import Channel, StoredClaim, closest, mention

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
    """The channel's page, read from its claims in outline (a busy channel holds tens of
    thousands) and the most recent claims in full."""
    claims = store.claims.outlines([(channel.platform, channel.handle)])
    zone = ZoneInfo(settings.scoring.timezone)
    labels: Counter[str] = Counter(c.label for c in claims if c.label is not None)
    verdicts = store.claims.verdicts([c.id for c in claims]) if claims else {}
    outcomes = {c.id: recorded_outcome(c.outcome, judgement(verdicts[c.id])) for c in claims}
    recent = [c.id for c in claims[::-1][:RECENT]]
    keyed = [(mention(c.channel), c.posted_at) for c in claims]
    return ChannelView(
        channel=channel,
        claims=len(claims),
        labels=[(label, labels.get(label, 0)) for label in LABEL_ORDER],
        unscored=sum(1 for c in claims if c.label is None),
        record=track_record(channel.handle, tally(outcomes.values()), None, settings.scoring),
        recent=store.claims.list(ids=recent) if recent else [],
        weeks=weekly(keyed, zone),
        changes=moment_changes(keyed, zone),
    )


def weekly(keyed: list[tuple[str, datetime]], zone: ZoneInfo) -> list[tuple[date, int]]:
    """Claims per week (Monday starts, the claimants' zone), empty weeks included."""
    found = {c.start: c.claims for c in count_moments(keyed, "week", zone)}
    if not found:
        return []
    week, last, series = min(found), max(found), []
    while week <= last:
        series.append((week, found.get(week, 0)))
        week += timedelta(days=7)
    return series
