"""Tell an MP4 that was cut short from one that is merely damaged, by its top-level boxes.

An MP4 (or MOV, 3GP, M4V) keeps its index, the `moov` box, either before the picture
data or after it. A download or recording stopped before the end loses an index written
last, and then no frame can be found, though the pictures are there.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

_HEADER = struct.Struct(">I4s")
_MAX_BOXES = 10_000  # a hostile file of endless tiny boxes is not read to its end


def unfinished_mp4(path: Path) -> bool:
    """Whether `path` is an MP4-family file whose boxes hold no index (`moov`)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            return _lacks_index(file, size)
    except OSError:
        return False


def _lacks_index(file: BinaryIO, size: int) -> bool:
    offset = 0
    for n in range(_MAX_BOXES):
        file.seek(offset)
        header = file.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return n > 0
        length, kind = _HEADER.unpack(header)
        if n == 0 and kind != b"ftyp":
            return False  # not an MP4-family file
        if not all(0x20 <= c < 0x7F for c in kind):
            return False  # not a box: damaged, not cut short
        if kind == b"moov":
            return False
        if length == 1:  # a 64-bit size follows
            wide = file.read(8)
            if len(wide) < 8:
                return True
            length = struct.unpack(">Q", wide)[0]
        if length == 0:  # the box runs to the end of the file
            return True
        if length < _HEADER.size:
            return False  # not boxes: damaged, not cut short
        offset += length
        if offset >= size:
            return True
    return False
