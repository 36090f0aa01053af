"""Write the sample channel as a Telegram Desktop export, with its footage drawn on the spot.

Nothing is downloaded: every clip is drawn by media.synthetic from a seed, so the sample
is the same on every machine. Some clips re-use earlier footage after re-encoding,
cropping, trimming, mirroring or a new logo; one films an earlier launch from a second
angle; one is another launch at the same site (which must not count as a copy).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from claimwatch.demo.posts import POSTS, SamplePost

BAGHDAD = ZoneInfo("Asia/Baghdad")
CHANNEL_NAME = "المقاومة الإسلامية في العراق"
CHANNEL_ID = 1862040145
HANDLE = "sample_channel"  # its t.me username: the import files it under this, as analysts do

# name -> (how, argument, family or seed): "render" a new launch, "derive" from another clip.
ORIGINALS: dict[str, dict[str, Any]] = {
    "tiberias": {"seed": 101},
    "eilat_evening": {"seed": 202},
    "eilat_dawn": {"seed": 303},
    "golan": {"seed": 404},
    "arqab": {"seed": 505},
    "night_launch": {"seed": 606, "night": True},
    "fresh_site_launch": {"seed": 707, "site": 303},
}
DERIVED: dict[str, tuple[str, str]] = {
    "tiberias_reencoded": ("tiberias", "reencode_low"),
    "eilat_evening_cropped": ("eilat_evening", "crop"),
    "golan_mirrored": ("golan", "mirror"),
    "eilat_dawn_trimmed": ("eilat_dawn", "trim"),
    "eilat_evening_logo": ("eilat_evening", "logo_banner"),
    "eilat_dawn_greyscale": ("eilat_dawn", "greyscale"),
}


@dataclass(frozen=True)
class Sample:
    export_dir: Path
    later_export_dir: Path
    clips: int
    photos: int
    posts: int


def build_sample(folder: Path, track: Callable[[str], None] = lambda _name: None) -> Sample:
    """Draw the footage and write two exports: one now, one later with an edited post."""
    media_dir = folder / "export" / "video_files"
    media_dir.mkdir(parents=True, exist_ok=True)
    clips = _draw_clips(media_dir, track)
    photos = _grab_photos(folder / "export" / "photos", clips)
    export_dir = _write_export(folder / "export", clips, photos, edited=False)
    later = folder / "export-later"
    later.mkdir(exist_ok=True)
    for sub in ("video_files", "photos"):
        link = later / sub
        if not link.exists():
            link.symlink_to(Path("..") / "export" / sub)
    _write_export(later, clips, photos, edited=True)
    return Sample(export_dir, later, len(clips), len(photos), len(POSTS))


def _draw_clips(folder: Path, track: Callable[[str], None]) -> dict[str, Path]:
    from media.synthetic import ClipSpec, compilation, render_clip, second_angle, transform

    clips: dict[str, Path] = {}
    for name, fields in ORIGINALS.items():
        track(name)
        clips[name] = render_clip(folder / f"{name}.mp4", ClipSpec(**fields))
    for name, (source, family) in DERIVED.items():
        track(name)
        clips[name] = transform(clips[source], folder / f"{name}.mp4", family, seed=len(clips))
    track("eilat_dawn_second_angle")
    angle = second_angle(ClipSpec(**ORIGINALS["eilat_dawn"]))
    clips["eilat_dawn_second_angle"] = render_clip(folder / "eilat_dawn_second_angle.mp4", angle)
    track("tiberias_compilation")
    fillers = [
        render_clip(folder.parent.parent / f"filler_{seed}.mp4", ClipSpec(seed=seed))
        for seed in (901, 902)
    ]
    clips["tiberias_compilation"] = compilation(
        [clips["tiberias"], *fillers], folder / "tiberias_compilation.mp4", seed=9, total_s=20.0
    )
    return clips


def _grab_photos(folder: Path, clips: dict[str, Path]) -> dict[str, Path]:
    """A still from a clip, as groups post photos taken from their own launch videos."""
    import av

    folder.mkdir(parents=True, exist_ok=True)
    photos = {}
    for name in {p.photo for p in POSTS if p.photo}:
        with av.open(str(clips[name])) as container:
            frames = container.decode(video=0)
            frame = next(f for i, f in enumerate(frames) if i == 100)
            path = folder / f"{name}.jpg"
            frame.to_image().save(path, quality=90)
            photos[name] = path
    return photos


def _write_export(
    folder: Path, clips: dict[str, Path], photos: dict[str, Path], edited: bool
) -> Path:
    messages = [_message(i, post, clips, photos, edited) for i, post in enumerate(POSTS, 1)]
    document = {
        "name": CHANNEL_NAME,
        "type": "public_channel",
        "id": CHANNEL_ID,
        "messages": messages,
    }
    path = folder / "result.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def _message(
    message_id: int, post: SamplePost, clips: dict[str, Path], photos: dict[str, Path], edited: bool
) -> dict[str, Any]:
    posted = datetime.fromisoformat(post.when).replace(tzinfo=BAGHDAD)
    text = post.edited_text if edited and post.edited_text else post.text
    entry: dict[str, Any] = {
        "id": message_id,
        "type": "message",
        "date": posted.strftime("%Y-%m-%dT%H:%M:%S"),
        "date_unixtime": str(int(posted.timestamp())),
        "from": CHANNEL_NAME,
        "from_id": f"channel{CHANNEL_ID}",
        "text": text,
        "text_entities": [],
    }
    if edited and post.edited_text:
        entry["edited_unixtime"] = str(int(posted.timestamp()) + 2 * 3600)
    if post.clip:
        entry.update(
            file=f"video_files/{clips[post.clip].name}",
            media_type="video_file",
            mime_type="video/mp4",
            file_name=clips[post.clip].name,
        )
    if post.photo:
        entry.update(photo=f"photos/{photos[post.photo].name}")
    return entry
