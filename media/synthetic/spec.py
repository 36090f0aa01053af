"""What a synthetic launch clip is: a seed and a few knobs, nothing else.

Everything about a clip (terrain, launcher, weapon, timing, camera, noise) is derived from
these fields, so a spec is a complete, reproducible description of the footage. Tests,
the demo and the benchmark pass specs around instead of files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# Length of the channel's branded intro card; every clip of a channel opens with it.
INTRO_S = 1.75


@dataclass(frozen=True)
class ClipSpec:
    """A synthetic launch video.

    `site` seeds the terrain and launcher (two specs with the same site show the same place;
    `None` means the site of `seed`). `channel` seeds the intro card and the corner logo.
    `view` 0 is the original camera; other views film the same launch from elsewhere.
    """

    seed: int
    duration_s: float = 8.0
    width: int = 426
    height: int = 240
    fps: int = 25
    night: bool = False
    site: int | None = None
    intro: bool = True
    logo: bool = True
    channel: int = 0
    view: int = 0

    def __post_init__(self) -> None:
        if self.width % 2 or self.height % 2 or self.width < 64 or self.height < 36:
            raise ValueError(f"clip size {self.width}x{self.height}: need even sides >= 64x36")
        if not 1 <= self.fps <= 120:
            raise ValueError(f"clip fps {self.fps}: need 1..120")
        shortest = INTRO_S + 2.0
        if self.duration_s < shortest:
            raise ValueError(f"clip duration {self.duration_s}s: need at least {shortest}s")

    @property
    def site_seed(self) -> int:
        return self.seed if self.site is None else self.site

    @property
    def frame_count(self) -> int:
        return round(self.duration_s * self.fps)


def second_angle(spec: ClipSpec) -> ClipSpec:
    """The same launch filmed by another camera: same site, weapon, plume and timing.

    The other camera stands elsewhere (perspective), frames and zooms differently, starts
    recording at a slightly different moment and has no intro card.
    """
    return replace(spec, site=spec.site_seed, view=spec.view + 1, intro=False)
