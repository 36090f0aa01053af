"""Keyframe thumbnails: the frame at the asked second, small, cached, written atomically."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageChops, ImageStat

from claimwatch.errors import MediaDecodeError
from media import thumbnails
from media.frames import WIDTH, frames_at
from media.thumbnails import thumbnail
from storage.records import MediaFile
from tests.media import clips
from tests.review.clips import gray_clip, photo

LEVELS = [20, 90, 160, 230]


def media(path: Path, kind: str = "video", mime: str = "video/mp4") -> MediaFile:
    return MediaFile(sha256="ab" * 32, kind=kind, mime=mime, size=path.stat().st_size, path=path)


def brightness(path: Path) -> float:
    with Image.open(path) as image:
        return float(ImageStat.Stat(image.convert("L")).mean[0])


@pytest.mark.parametrize("second", [0, 1, 2, 3])
def test_frame_shows_the_asked_second(tmp_path: Path, second: int) -> None:
    clip = gray_clip(tmp_path / "clip.mp4", LEVELS)
    thumb = thumbnail(media(clip), second + 0.5, tmp_path / "thumbs")
    nearest = min(LEVELS, key=lambda level: abs(level - brightness(thumb)))
    assert nearest == LEVELS[second]


def test_second_past_the_end_gives_the_last_frame(tmp_path: Path) -> None:
    clip = gray_clip(tmp_path / "clip.mp4", LEVELS)
    thumb = thumbnail(media(clip), 60, tmp_path / "thumbs")
    assert abs(brightness(thumb) - LEVELS[-1]) < 15


def test_large_frames_are_downscaled_keeping_the_aspect(tmp_path: Path) -> None:
    clip = gray_clip(tmp_path / "clip.mp4", [128], size=(640, 360))
    with Image.open(thumbnail(media(clip), 0, tmp_path / "thumbs")) as image:
        assert image.format == "JPEG"
        assert image.size == (320, 180)


def test_cached_thumbnail_is_reused_without_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clip = gray_clip(tmp_path / "clip.mp4", LEVELS)
    first = thumbnail(media(clip), 1.04, tmp_path / "thumbs")

    def refuse(*_args: object) -> None:
        raise AssertionError("decoded again")

    monkeypatch.setattr(thumbnails, "video_frame", refuse)
    assert thumbnail(media(clip), 1.0, tmp_path / "thumbs") == first
    assert first.name == f"{'ab' * 32}-1.0.jpg"
    assert first.parent == tmp_path / "thumbs" / "ab"
    assert not list(first.parent.glob("*.part"))


def test_images_are_only_downscaled(tmp_path: Path) -> None:
    picture = photo(tmp_path / "p.png", (1000, 500), (200, 30, 30))
    thumb = thumbnail(media(picture, "photo", "image/png"), 7, tmp_path / "thumbs")
    with Image.open(thumb) as image:
        assert image.size == (320, 160)
        red, green, _ = ImageStat.Stat(image).mean
        assert red > 150 and green < 60
    assert thumb.name.endswith("-0.0.jpg")


def test_rotated_phone_video_is_shown_upright_like_ffmpeg_shows_it(tmp_path: Path) -> None:
    flat = half_white_clip(tmp_path / "flat.mp4")
    rotated = tmp_path / "rotated.mp4"
    ffmpeg("-i", str(flat), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(rotated))
    reference = tmp_path / "reference.png"
    ffmpeg("-i", str(rotated), "-frames:v", "1", str(reference))
    ours = thumbnail(media(rotated), 0, tmp_path / "thumbs")
    with Image.open(ours) as mine, Image.open(reference) as theirs:
        assert mine.size == theirs.size == (32, 64)
        difference = ImageChops.difference(mine.convert("L"), theirs.convert("L"))
        assert ImageStat.Stat(difference).mean[0] < 10


def test_frames_compared_for_the_camera_check_are_upright_too(tmp_path: Path) -> None:
    """The camera check and the same-scene search compare frames as they are played."""
    flat = half_white_clip(tmp_path / "flat.mp4")
    rotated = tmp_path / "rotated.mp4"
    ffmpeg("-i", str(flat), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(rotated))
    reference = tmp_path / "reference.png"
    ffmpeg("-i", str(rotated), "-frames:v", "1", "-vf", f"scale={WIDTH}:-1", str(reference))
    (ours,) = frames_at(rotated, [0.0])
    assert ours is not None and ours.shape == (WIDTH * 2, WIDTH)
    with Image.open(reference) as theirs:
        assert np.abs(ours.astype(int) - np.asarray(theirs.convert("L"), int)).mean() < 10


def half_white_clip(path: Path) -> Path:
    pixels = np.zeros((32, 64, 3), dtype=np.uint8)
    pixels[:, :32] = 255
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 32, "yuv420p"
        for _ in range(10):
            container.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        container.mux(stream.encode(None))
    return path


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-y", "-v", "error", *args], check=True)


@pytest.mark.parametrize("content", [b"", b"not a video at all" * 50])
def test_undecodable_files_raise_a_clear_error(tmp_path: Path, content: bytes) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(content)
    with pytest.raises(MediaDecodeError, match=r"broken\.mp4"):
        thumbnail(media(broken), 1, tmp_path / "thumbs")
    assert not list((tmp_path / "thumbs").rglob("*"))


def test_undecodable_image_raises_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff garbage")
    with pytest.raises(MediaDecodeError, match=r"broken\.jpg"):
        thumbnail(media(broken, "photo", "image/jpeg"), 0, tmp_path / "thumbs")


def test_seconds_past_a_known_duration_share_the_last_frame(tmp_path: Path) -> None:
    clip = gray_clip(tmp_path / "clip.mp4", LEVELS)
    known = MediaFile("cd" * 32, "video", "video/mp4", clip.stat().st_size, clip, duration=4.0)
    paths = {thumbnail(known, s, tmp_path / "thumbs") for s in (4.0, 9.5, 1e6)}
    assert {p.name for p in paths} == {f"{'cd' * 32}-4.0.jpg"}


def test_no_keyframe_is_cut_from_video_too_large_to_decode_safely(tmp_path: Path) -> None:
    with pytest.raises(MediaDecodeError, match="9600x9600 are too large to decode safely"):
        thumbnail(media(clips.oversized(tmp_path)), 0, tmp_path / "thumbs")
    assert not list((tmp_path / "thumbs").rglob("*.jpg"))
