"""The launch event: a missile or a drone leaving the rail, its flame and its smoke plume.

Everything is planned up front in world coordinates (the flight track at 200 Hz, every
smoke particle's birth, drift and fade), so any camera can draw the same event at any
time: the second angle of a launch shows the very same plume.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from media.synthetic.world import World

TRACK_HZ = 200
Kind = Literal["missile", "drone"]


@dataclass(frozen=True)
class Particles:
    """Smoke puffs: birth time, birth place, drift velocity, size, fade and colour."""

    born: np.ndarray
    xy: np.ndarray  # (n, 2)
    velocity: np.ndarray  # (n, 2) world px/s, decaying with drag
    radius: np.ndarray
    growth: np.ndarray
    life: np.ndarray
    alpha: np.ndarray
    colour: np.ndarray  # (n, 3) BGR of cold smoke


@dataclass(frozen=True)
class Launch:
    kind: Kind
    t_launch: float
    burn_end: float
    track_xy: np.ndarray  # (n, 2) at TRACK_HZ from scene time 0
    track_pitch: np.ndarray
    facing: int
    body_length: float
    particles: Particles
    wind: tuple[float, float]

    def at(self, t: float) -> tuple[np.ndarray, float]:
        """Position and pitch of the weapon at scene time t."""
        i = int(np.clip(round(t * TRACK_HZ), 0, len(self.track_xy) - 1))
        return self.track_xy[i], float(self.track_pitch[i])


def plan_launch(rng: np.random.Generator, world: World, scene_s: float) -> Launch:
    """A launch from the world's rail at a random moment of the first half of the scene."""
    kind: Kind = "drone" if rng.random() < 0.4 else "missile"
    t_launch = float(rng.uniform(0.2, 0.42) * scene_s)
    u = world.unit
    burn = float(rng.uniform(1.0, 1.6)) if kind == "drone" else 1e9
    track, pitch = _fly(rng, world, kind, t_launch, burn, scene_s + 2.0)
    wind = (float(rng.uniform(-4, 4) * u), float(-rng.uniform(0.5, 2.0) * u))
    body = u * (rng.uniform(5, 7) if kind == "missile" else rng.uniform(3.5, 5))
    launch = Launch(
        kind, t_launch, t_launch + burn, track, pitch, world.facing, body, _no_particles(), wind
    )
    smoke = _exhaust(rng, launch, u, scene_s)
    dust = _dust(rng, world, t_launch, u)
    return Launch(
        kind,
        t_launch,
        t_launch + burn,
        track,
        pitch,
        world.facing,
        body,
        _concat(smoke, dust),
        wind,
    )


def _fly(
    rng: np.random.Generator, world: World, kind: Kind, t0: float, burn: float, end: float
) -> tuple[np.ndarray, np.ndarray]:
    """Integrate the flight: along the rail, then turning toward its cruise pitch."""
    u, dt = world.unit, 1.0 / TRACK_HZ
    n = int(end * TRACK_HZ) + 1
    accel = u * (rng.uniform(25, 45) if kind == "missile" else rng.uniform(30, 50))
    cruise_speed = u * rng.uniform(6, 10)
    target = np.radians(rng.uniform(65, 85) if kind == "missile" else rng.uniform(4, 16))
    turn = rng.uniform(0.5, 1.1)
    pos = np.array(world.rail_foot, np.float64)
    pos += (
        world.rail_length
        * 0.3
        * np.array([world.facing * np.cos(world.rail_pitch), -np.sin(world.rail_pitch)])
    )
    pitch, speed, along = world.rail_pitch, 0.0, 0.0
    xy, pitches = np.zeros((n, 2)), np.zeros(n)
    for i in range(n):
        t = i * dt
        if t >= t0:
            if t - t0 < burn:
                speed += accel * dt
            else:
                speed += (cruise_speed - speed) * min(1.0, 1.5 * dt)
            if along > world.rail_length * 0.65:
                pitch += (target - pitch) * min(1.0, turn * dt)
            step = speed * dt
            along += step
            pos += step * np.array([world.facing * np.cos(pitch), -np.sin(pitch)])
        xy[i], pitches[i] = pos, pitch
    return xy.astype(np.float32), pitches.astype(np.float32)


def _no_particles() -> Particles:
    e = np.zeros(0, np.float32)
    return Particles(
        e,
        np.zeros((0, 2), np.float32),
        np.zeros((0, 2), np.float32),
        e,
        e,
        e,
        e,
        np.zeros((0, 3), np.float32),
    )


def _exhaust(rng: np.random.Generator, launch: Launch, u: float, scene_s: float) -> Particles:
    """Puffs shed behind the flame while the engine burns."""
    end = min(launch.burn_end, scene_s + 1.0)
    rate = 45.0 if launch.kind == "missile" else 30.0
    born = np.arange(launch.t_launch, end, 1.0 / rate, dtype=np.float32)
    born = born + rng.uniform(0, 0.5 / rate, len(born)).astype(np.float32)
    idx = np.clip(np.round(born * TRACK_HZ).astype(int), 0, len(launch.track_xy) - 1)
    pitch = launch.track_pitch[idx]
    back = np.stack([-launch.facing * np.cos(pitch), np.sin(pitch)], 1)
    xy = launch.track_xy[idx] + back * launch.body_length * 0.55
    n = len(born)
    xy = xy + rng.normal(0, 0.3 * u, (n, 2))
    velocity = back * u * rng.uniform(2, 6, (n, 1)) + rng.normal(0, 1.2 * u, (n, 2))
    grey = rng.uniform(185, 235, (n, 1))
    colour = np.concatenate([grey, grey * 0.98, grey * 0.95], 1)
    return Particles(
        born,
        xy.astype(np.float32),
        velocity.astype(np.float32),
        rng.uniform(0.5, 1.0, n).astype(np.float32) * u,
        rng.uniform(1.5, 2.6, n).astype(np.float32) * u,
        rng.uniform(2.5, 5.0, n).astype(np.float32),
        rng.uniform(0.55, 0.85, n).astype(np.float32),
        colour.astype(np.float32),
    )


def _dust(rng: np.random.Generator, world: World, t0: float, u: float) -> Particles:
    """The dust and smoke cloud that billows sideways from the launcher at ignition."""
    n = 36
    born = (t0 + rng.uniform(0, 0.6, n)).astype(np.float32)
    foot = np.array(world.rail_foot, np.float32)
    xy = foot + rng.normal(0, u, (n, 2)).astype(np.float32) + np.array([0, 2.5 * u], np.float32)
    velocity = np.stack([rng.normal(0, 9 * u, n), -np.abs(rng.normal(0, 2 * u, n))], 1)
    colour = np.stack([rng.uniform(120, 170, n)] * 3, 1) * np.array([0.85, 0.95, 1.05])
    return Particles(
        born,
        xy,
        velocity.astype(np.float32),
        rng.uniform(1.0, 2.0, n).astype(np.float32) * u,
        rng.uniform(2.5, 4.0, n).astype(np.float32) * u,
        rng.uniform(2.0, 4.0, n).astype(np.float32),
        rng.uniform(0.5, 0.8, n).astype(np.float32),
        colour.astype(np.float32),
    )


def _concat(a: Particles, b: Particles) -> Particles:
    return Particles(
        *(np.concatenate([x, y]) for x, y in zip(vars(a).values(), vars(b).values(), strict=True))
    )
