"""Photos are one-frame videos: a re-saved photo is found as a copy without breaking a run."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import numpy as np
from PIL import Image

import config
from media.process import process_pending
from storage import Store
from storage.records import Batch, Channel, MediaRef, Post
from storage.timeutil import utcnow


def launch_photo() -> bytes:
    rng = np.random.default_rng(7)
    sky = np.linspace(90, 200, 240)[:, None, None] * np.ones((240, 426, 3))
    ground = rng.integers(60, 140, (100, 426, 3))
    image = sky.astype(np.uint8)
    image[140:] = ground
    image[90:140, 180:260] = (40, 60, 40)  # launcher
    out = io.BytesIO()
    Image.fromarray(image).save(out, format="JPEG", quality=92)
    return out.getvalue()


def archive_photo(store: Store, folder: Path, number: int, body: bytes) -> None:
    path = folder / f"{number}.jpg"
    path.write_bytes(body)
    post = Post(
        "telegram",
        "c",
        number,
        utcnow() - timedelta(hours=10 - number),
        "t",
        "telegram-web",
        media=(MediaRef("photo", path=path, mime="image/jpeg"),),
    )
    store.archive.ingest(Batch(Channel("telegram", "c"), (post,)))


def test_a_re_saved_photo_is_a_copy_of_the_first(store: Store, tmp_path: Path) -> None:
    settings = config.with_data_dir(config.Settings(), store.data_dir)
    original = launch_photo()
    resaved = io.BytesIO()
    Image.open(io.BytesIO(original)).save(resaved, format="JPEG", quality=55)
    archive_photo(store, tmp_path, 1, original)
    process_pending(store, settings, workers=1)
    archive_photo(store, tmp_path, 2, resaved.getvalue())
    process_pending(store, settings, workers=1)
    matches = store.matches.list()
    assert store.media.status_counts() == {"done": 2}
    assert [m.kind for m in matches] == ["copy"]
