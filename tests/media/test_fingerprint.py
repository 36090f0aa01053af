"""Fingerprinting files: sampling, decode modes, stills, bad files, and the stored bytes."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from claimwatch.errors import MediaDecodeError
from media import decode, streams
from media.decode import sample_file, working_frame
from media.fingerprint import fingerprint_file, from_bytes, to_bytes
from media.thumbnails import video_frame
from media.windows import WINDOWS
from tests.media import clips


def moving_clip(
    path: Path,
    seconds: float = 4.0,
    preset: str = "veryfast",
    gop: int = 250,
    faststart: bool = False,
    still_seconds: float = 0.0,
) -> Path:
    """A 160x96 clip of drifting texture, so every frame differs from the last (after
    `still_seconds` of the first frame held still, like a channel's title card)."""
    rng = np.random.default_rng(5)
    world = (rng.integers(0, 256, (96, 400)) // 32 * 32).astype(np.uint8)
    options = {"movflags": "faststart"} if faststart else {}
    with av.open(str(path), "w", options=options) as out:
        stream = out.add_stream("libx264", rate=Fraction(25))
        stream.width, stream.height, stream.pix_fmt = 160, 96, "yuv420p"
        stream.options = {"preset": preset, "crf": "23", "g": str(gop)}
        for i in range(int(seconds * 25)):
            grey = np.roll(world, -2 * max(0, i - int(still_seconds * 25)), axis=1)[:, :160]
            frame = av.VideoFrame.from_ndarray(np.dstack([grey] * 3), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def every_frame(path: Path, deblock: bool = True) -> dict[float, np.ndarray]:
    with av.open(str(path)) as container:
        if not deblock:
            container.streams.video[0].codec_context.options = {"skip_loop_filter": "all"}
        return {round(float(f.time), 3): working_frame(f) for f in container.decode(video=0)}


def test_samples_are_spread_evenly_whatever_the_keyframes(tmp_path: Path) -> None:
    samples = sample_file(moving_clip(tmp_path / "a.mp4", seconds=6.0, gop=300), rate=4.0)
    gaps = np.diff(samples.times)
    assert 22 <= len(samples.times) <= 25  # one keyframe only, yet four samples a second
    assert gaps.max() < 0.45 and samples.times[-1] > 5.5
    assert samples.duration == pytest.approx(6.0, abs=0.05)


@pytest.mark.parametrize("still", [0.0, 2.5])
@pytest.mark.parametrize(("preset", "mode"), [("veryfast", "BIDIR"), ("medium", "NONREF")])
def test_decode_mode_is_chosen_by_checking_pixels(
    tmp_path: Path, preset: str, mode: str, still: float
) -> None:
    """x264 veryfast never predicts from B-frames (skip them all); medium does (keep them),
    which a still title card at the start, decoding alike either way, must not hide."""
    path = moving_clip(tmp_path / f"{preset}.mp4", seconds=6.0, preset=preset, still_seconds=still)
    samples = sample_file(path)
    assert samples.skip_mode == mode
    undeblocked, full = every_frame(path, deblock=False), every_frame(path)
    for t, frame in zip(samples.times, samples.frames, strict=True):
        assert np.array_equal(frame, undeblocked[round(float(t), 3)])  # no frame corrupted
        diff = np.abs(frame.astype(int) - full[round(float(t), 3)]).mean()
        assert diff < 2.0  # and skipping the deblocking filter barely shows


@pytest.mark.parametrize("codec", list(clips.CODECS))
def test_other_codecs_are_sampled_evenly_and_uncorrupted(tmp_path: Path, codec: str) -> None:
    """HEVC (what phones record) predicts P-frames from B-frames: skipping B-frames would
    leave a few seconds of samples and then nothing, so its reference B-frames are kept."""
    path = clips.recoded(tmp_path, moving_clip(tmp_path / "h264.mp4", seconds=6.0), codec)
    samples = sample_file(path, rate=4.0)
    assert 22 <= len(samples.times) <= 25
    assert np.diff(samples.times).max() < 0.45 and samples.times[-1] > 5.5
    undeblocked = every_frame(path, deblock=False)
    for t, frame in zip(samples.times, samples.frames, strict=True):
        assert np.array_equal(frame, undeblocked[round(float(t), 3)])


def test_a_fast_decode_that_loses_frames_is_done_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were B-frames skipped where a decoder drops what referred to them (HEVC does), the
    samples would stop after the first seconds: the file is decoded again keeping them."""
    monkeypatch.setattr(decode, "FAST_CODECS", ("h264", "hevc"))
    path = clips.recoded(tmp_path, moving_clip(tmp_path / "h264.mp4", seconds=6.0), "hevc")
    samples = sample_file(path, rate=4.0)
    assert samples.skip_mode == "NONREF"
    assert np.diff(samples.times).max() < 0.45 and samples.times[-1] > 5.5
    undeblocked = every_frame(path, deblock=False)
    for t, frame in zip(samples.times, samples.frames, strict=True):
        assert np.array_equal(frame, undeblocked[round(float(t), 3)])


def test_a_raw_stream_without_timestamps_is_timed_by_counting_every_frame(
    tmp_path: Path,
) -> None:
    """A raw .h264 stream (as drone and dash-camera recorders write) carries no times:
    skipping frames would shrink its seconds, so every frame is decoded and counted."""
    clip = moving_clip(tmp_path / "clip.mp4", seconds=6.0)
    raw = tmp_path / "recorder.h264"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(clip), "-c", "copy", "-f", "h264", str(raw)], check=True
    )
    samples = sample_file(raw, rate=4.0)
    assert samples.skip_mode == "DEFAULT"
    assert samples.duration == pytest.approx(6.0, abs=0.05)
    assert 22 <= len(samples.times) <= 25 and np.diff(samples.times).max() < 0.45
    undeblocked = every_frame(clip, deblock=False)
    for t, frame in zip(samples.times, samples.frames, strict=True):
        assert np.array_equal(frame, undeblocked[round(float(t), 3)])


def test_fingerprint_round_trips_through_its_bytes(tmp_path: Path) -> None:
    fp = fingerprint_file(moving_clip(tmp_path / "a.mp4"))
    assert fp.hashes.shape == fp.mirrored.shape == (fp.frames_hashed, len(WINDOWS))
    assert fp.thumbs.shape == (fp.frames_hashed, 32, 32)
    assert (fp.width, fp.height) == (160, 96)
    back = from_bytes(to_bytes(fp))
    for field in ("times", "hashes", "mirrored", "thumbs", "shots"):
        assert np.array_equal(getattr(back, field), getattr(fp, field))
    assert (back.duration, back.frames_sampled, back.still) == (
        fp.duration,
        fp.frames_sampled,
        False,
    )
    with pytest.raises(MediaDecodeError, match="damaged"):
        from_bytes(to_bytes(fp)[:-3])
    with pytest.raises(MediaDecodeError, match="not in this claimwatch fingerprint format"):
        from_bytes(b"PK\x03\x04 a zip file")


def test_an_image_is_a_one_frame_video(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    picture = Image.fromarray(rng.integers(0, 256, (90, 120, 3), dtype=np.uint8).repeat(4, 0))
    picture.save(tmp_path / "photo.jpg")
    fp = fingerprint_file(tmp_path / "photo.jpg")
    assert fp.still and fp.frames_hashed == 1 and fp.duration == 0.0
    assert (fp.width, fp.height) == (120, 360)


def test_a_text_file_is_refused_with_its_name(tmp_path: Path) -> None:
    bogus = tmp_path / "statement.mp4"
    bogus.write_text("بيان صادر عن المقاومة الإسلامية")
    with pytest.raises(MediaDecodeError, match=r"statement\.mp4"):
        fingerprint_file(bogus)


def _picture(out: av.container.OutputContainer, stream: av.VideoStream) -> None:
    stream.width, stream.height, stream.pix_fmt = 64, 48, "yuvj420p"
    black = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
    for packet in [*stream.encode(black.reformat(format="yuvj420p")), *stream.encode()]:
        out.mux(packet)


def test_footage_is_read_past_a_picture_stream_before_it(tmp_path: Path) -> None:
    """A poster frame stored as the file's first video stream is not the footage."""
    clip = moving_clip(tmp_path / "clip.mp4", seconds=6.0)
    posted = tmp_path / "posted.mkv"
    with av.open(str(clip)) as source, av.open(str(posted), "w") as out:
        poster = out.add_stream("mjpeg", rate=1)
        footage = out.add_stream_from_template(source.streams.video[0])
        _picture(out, poster)  # every stream is added before the first packet goes out
        for packet in source.demux(video=0):
            if packet.dts is not None:
                packet.stream = footage
                out.mux(packet)
    with av.open(str(posted)) as container:
        assert container.streams.video[0].codec_context.name == "mjpeg"
    samples, alone = sample_file(posted), sample_file(clip)
    assert (samples.width, samples.height) == (160, 96)
    assert np.array_equal(samples.times, alone.times)
    assert np.array_equal(samples.frames, alone.frames)


def test_a_sound_file_with_cover_art_is_not_footage(tmp_path: Path) -> None:
    song = tmp_path / "nasheed.m4a"
    with av.open(str(song), "w", format="mp4") as out:
        sound = out.add_stream("aac", rate=16000)
        cover = out.add_stream("mjpeg", rate=1)
        cover.disposition = av.stream.Disposition.attached_pic
        _picture(out, cover)
        silence = av.AudioFrame.from_ndarray(np.zeros((1, 16000), np.float32), "fltp", "mono")
        silence.sample_rate, silence.pts = 16000, 0
        for packet in [*sound.encode(silence), *sound.encode()]:
            out.mux(packet)
    with pytest.raises(MediaDecodeError) as refused:
        fingerprint_file(song)
    assert str(refused.value) == (
        "nasheed.m4a: not an image and has no video stream (only a cover picture)"
    )


def test_a_web_page_saved_as_a_photo_is_refused_as_an_image(tmp_path: Path) -> None:
    page = tmp_path / "photo.jpg"
    page.write_text("<html><body>Too many requests</body></html>")
    with pytest.raises(MediaDecodeError, match=r"photo\.jpg: cannot decode image"):
        fingerprint_file(page)


def test_empty_and_missing_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.mp4").write_bytes(b"")
    with pytest.raises(MediaDecodeError, match=r"empty\.mp4: empty file \(0 bytes\)"):
        fingerprint_file(tmp_path / "empty.mp4")
    with pytest.raises(MediaDecodeError, match="no such file"):
        fingerprint_file(tmp_path / "gone.mp4")


def test_video_too_large_to_decode_safely_is_refused_unread(tmp_path: Path) -> None:
    with pytest.raises(MediaDecodeError) as refused:
        fingerprint_file(clips.oversized(tmp_path))
    assert str(refused.value) == (
        "oversized.mp4: frames of 9600x9600 are too large to decode safely "
        "(more than 89 megapixels)"
    )


def test_frames_that_grow_too_large_midway_are_not_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stream may switch to enormous frames after a small first one: the size check at
    the start would not see it, so the decoder refuses every frame above the limit."""
    raw = tmp_path / "grows.h264"
    with raw.open("wb") as out:
        for width, height in ((160, 96), (640, 480)):
            part = tmp_path / f"{width}.h264"
            with av.open(str(part), "w", format="h264") as container:
                stream = container.add_stream("libx264", rate=Fraction(25))
                stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
                stream.options = {"preset": "ultrafast"}
                grey = np.full((height, width, 3), 128, np.uint8)
                for _ in range(100):
                    frame = av.VideoFrame.from_ndarray(grey, format="rgb24")
                    for packet in stream.encode(frame):
                        container.mux(packet)
                for packet in stream.encode():
                    container.mux(packet)
            out.write(part.read_bytes())
    grows = tmp_path / "grows.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(raw), "-c", "copy", str(grows)], check=True)
    monkeypatch.setattr(streams, "MAX_FRAME_PIXELS", 100_000)  # 640x480 is above, 160x96 below
    with pytest.raises(MediaDecodeError) as refused:
        sample_file(grows)
    assert str(refused.value) == "grows.mp4: truncated: frames stop at 4.0 s of 8.0 s"
    with pytest.raises(MediaDecodeError, match=r"grows\.mp4: cannot decode video"):
        video_frame(grows, 6.0)


def test_a_download_cut_short_is_refused(tmp_path: Path) -> None:
    whole = moving_clip(tmp_path / "whole.mp4", seconds=6.0)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])  # index at the end: lost
    with pytest.raises(MediaDecodeError) as refused:
        fingerprint_file(cut)
    assert str(refused.value) == (
        "cut.mp4: cannot decode video: the file ends before its index (no moov box): it was "
        "cut short while downloading or recording"
    )
    damaged = tmp_path / "damaged.mp4"  # boxes that make no sense: damaged, not cut short
    damaged.write_bytes(whole.read_bytes()[:32] + bytes(range(256)) * 64)
    with pytest.raises(MediaDecodeError) as refused:
        fingerprint_file(damaged)
    assert str(refused.value).startswith("damaged.mp4: cannot decode video: ")
    assert "cut short" not in str(refused.value)


def test_a_streamable_download_cut_short_is_called_truncated(tmp_path: Path) -> None:
    whole = moving_clip(tmp_path / "whole.mp4", seconds=8.0, faststart=True)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])  # index first: kept
    with pytest.raises(MediaDecodeError, match=r"cut\.mp4: truncated"):  # not "cannot decode"
        fingerprint_file(cut)
