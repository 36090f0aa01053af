"""The digest's images, named and sized for email: the weekly chart and small keyframes.

Mail clients and servers balk at large messages, so keyframes are downscaled and
recompressed here, and the caller drops the last ones if the message still runs over.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping

from PIL import Image

from digest.content import Digest

THUMB_SIDE = 300
THUMB_QUALITY = 72


def named_images(digest: Digest, chart_png: bytes) -> dict[str, tuple[bytes, str]]:
    """Every image the HTML refers to: name -> (data, subtype), in document order."""
    images = {"chart": (chart_png, "png")}
    for line in digest.footage:
        for name, side in (("earlier", line.earlier), ("later", line.later)):
            if side.thumbnail is not None:
                images[f"match-{line.match_id}-{name}"] = (side.thumbnail, "jpeg")
    return images


def small_jpeg(data: bytes, side: int = THUMB_SIDE, quality: int = THUMB_QUALITY) -> bytes:
    """A JPEG no larger than `side` on its longer edge."""
    with Image.open(io.BytesIO(data)) as image:
        image.thumbnail((side, side))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=quality, optimize=True)
        return out.getvalue()


def data_uris(images: Mapping[str, tuple[bytes, str]]) -> dict[str, str]:
    """The images as data: URIs, for a preview file that stands alone."""
    return {
        name: f"data:image/{subtype};base64,{base64.b64encode(data).decode('ascii')}"
        for name, (data, subtype) in images.items()
    }
