"""How long work in media/ tells its caller how far it got (`media scan` shows a bar).

A step calls its `Progress` with (done, total) after each unit of work: each file
fingerprinted, each video's pairs judged, each copy group measured, each pair of groups
searched for the same scene.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
