"""How long work in media/ tells its caller how far it got (`media scan` shows a bar).

A step calls its `Progress` with (done, total) after each unit of work: each file
fingerprinted, each video's pairs judged, each copy group measured, each pair of groups
searched for the same scene. A command of several steps hears them all through one
StepProgress, which names the step.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
StepProgress = Callable[[str, int, int], None]  # (step, done, total): several steps


def named_steps(progress: StepProgress | None, names: tuple[str, ...]) -> list[Progress]:
    """One Progress per step of `names`, each telling `progress` its step's name."""

    def step(name: str) -> Progress:
        def heard(done: int, total: int) -> None:
            if progress is not None:
                progress(name, done, total)

        return heard

    return [step(name) for name in names]
