"""A JSON document read piece by piece, for exports too large to hold in memory.

A Telegram Desktop export of a busy channel runs to gigabytes, nearly all of it one array
of messages. The reader holds a window of the text (about one chunk), walks the outer
objects and arrays itself, hands over each element of the long arrays as it is read, and
decodes every value with the json module itself: text, numbers and half-emoji escapes
come out exactly as `json.load` gives them, and a malformed document is refused with the
message, line and column `json.load` would name.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
import sys
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

CHUNK_SIZE = 1 << 20
WHITESPACE = re.compile(r"[ \t\n\r]*")
# A value the window cuts fails at most a few characters before its end (inside a literal
# or an escape), or as a string left open: only such failures call for more text.
CUT_MARGIN = 32


class StreamDecodeError(json.JSONDecodeError):
    """What `json.load` says of the whole document, placed by line and column."""

    def __init__(self, msg: str, pos: int, lineno: int, colno: int) -> None:
        ValueError.__init__(self, f"{msg}: line {lineno} column {colno} (char {pos})")
        self.msg, self.doc, self.pos, self.lineno, self.colno = msg, "", pos, lineno, colno


class TextWindow:
    """The document's text from a binary file, a window at a time, in json's encoding."""

    def __init__(self, binary: BinaryIO, chunk_size: int = CHUNK_SIZE) -> None:
        self._binary, self._chunk = binary, max(1, chunk_size)
        head = self._head()
        self._decoder = codecs.getincrementaldecoder(json.detect_encoding(head))("surrogatepass")
        self._eof = False
        self._text, self._at = self._decoder.decode(head, final=False), 0
        self._offset = self._lines = self._line_start = 0  # of the text before the window
        self._scan = json.JSONDecoder().raw_decode

    def _head(self) -> bytes:
        """The first bytes, enough to tell the encoding (json looks at four)."""
        head = self._binary.read(max(4, self._chunk))
        while 0 < len(head) < 4 and (more := self._binary.read(4)):
            head += more
        return head

    def peek(self) -> str:
        """The next character after whitespace; '' at the end of the document."""
        while True:
            self._at = WHITESPACE.match(self._text, self._at).end()  # type: ignore[union-attr]
            if self._at < len(self._text):
                return self._text[self._at]
            if not self._fill():
                return ""

    def skip(self) -> None:
        """Step over the character `peek` returned."""
        self._at += 1

    def value(self) -> Any:
        """The whole JSON value at the current place, decoded by the json module."""
        while True:
            try:
                value, end = self._scan(self._text, self._at)
            except json.JSONDecodeError as exc:
                cut = exc.msg.startswith("Unterminated string") or (
                    exc.pos >= len(self._text) - CUT_MARGIN
                )
                if cut and self._fill():
                    continue
                raise self.error(exc.msg, exc.pos) from None
            except ValueError:  # an integer too long for int(), which json.load refuses too
                found = self._long_number()
                if (found is None or found.end() == len(self._text)) and self._fill():
                    continue
                limit = sys.get_int_max_str_digits()
                at = self._at if found is None else found.start()
                raise self.error(f"Number of more than {limit} digits", at) from None
            if end < len(self._text) or not self._fill():  # a number may go on
                self._at = end
                return value

    def _long_number(self) -> re.Match[str] | None:
        """The first run of digits longer than int() reads, from the current value on."""
        limit = sys.get_int_max_str_digits()
        return re.compile(rf"\d{{{limit + 1},}}").search(self._text, self._at)

    def error(self, msg: str, at: int | None = None) -> StreamDecodeError:
        """json's complaint `msg` about the character at `at` (default: the current one)."""
        at = self._at if at is None else at
        newline = self._text.rfind("\n", 0, at)
        lineno = self._lines + self._text.count("\n", 0, at) + 1
        colno = at - newline if newline >= 0 else self._offset + at - self._line_start + 1
        return StreamDecodeError(msg, self._offset + at, lineno, colno)

    def drain(self) -> None:
        """Decode the rest of the file, so text that is not in its encoding is named."""
        while data := self._binary.read(self._chunk):
            self._decoder.decode(data, final=False)
        self._decoder.decode(b"", final=True)

    def _fill(self) -> bool:
        """Add text (at least a chunk, or as much again as is waiting, so a long value is
        decoded a few times, not once per chunk) and drop the text read; False, changing
        nothing, at the end of the file."""
        wanted = max(self._chunk, len(self._text) - self._at)
        while not self._eof:
            data = self._binary.read(wanted)
            self._eof = not data
            text = self._decoder.decode(data, final=self._eof)
            if text:
                self._forget()
                self._text += text
                return True
        return False

    def _forget(self) -> None:
        newline = self._text.rfind("\n", 0, self._at)
        if newline >= 0:
            self._lines += self._text.count("\n", 0, self._at)
            self._line_start = self._offset + newline + 1
        self._offset += self._at
        self._text, self._at = self._text[self._at :], 0


KeyPath = tuple[str | int, ...]


@dataclass(eq=False)
class Streamed:
    """A long array handed over element by element, standing in the document in its place:
    its number among such arrays (from 0, in file order), the keys and indexes leading to
    it, and the object holding it (as far as it was read when the array began)."""

    ordinal: int
    path: KeyPath
    holder: dict[str, Any] = field(repr=False)


Element = tuple[Streamed, int, Any]


class Document:
    """A JSON document whose arrays under `key` are streamed; objects and arrays down to
    `depth` levels are walked, anything deeper is decoded whole."""

    def __init__(self, window: TextWindow, key: str, depth: int) -> None:
        self._window, self._key, self._depth = window, key, depth
        self._streamed = 0
        self.value: Any = None

    def elements(self) -> Generator[Element, None, None]:
        """Each element of each streamed array, in file order, with its index; afterwards
        `value` holds the document, each streamed array standing as a `Streamed`."""
        self.value = yield from self._value(())
        if self._window.peek():
            raise self._window.error("Extra data")

    def _value(self, path: KeyPath) -> Generator[Element, None, Any]:
        char = self._window.peek()
        if char == "{" and len(path) <= self._depth:
            return (yield from self._object(path))
        if char == "[" and len(path) <= self._depth:
            return (yield from self._array(path))
        return self._window.value()

    def _object(self, path: KeyPath) -> Generator[Element, None, dict[str, Any]]:
        window, members = self._window, dict[str, Any]()
        if self._opens("}"):
            return members
        while True:
            if window.peek() != '"':
                raise window.error("Expecting property name enclosed in double quotes")
            key = window.value()
            if window.peek() != ":":
                raise window.error("Expecting ':' delimiter")
            window.skip()
            if key == self._key and window.peek() == "[":
                members[key] = yield from self._stream((*path, key), members)
            else:  # a repeated key keeps its last value, as in json.load
                members[key] = yield from self._value((*path, key))
            if self._closes("}"):
                return members

    def _array(self, path: KeyPath) -> Generator[Element, None, list[Any]]:
        items: list[Any] = []
        if self._opens("]"):
            return items
        while True:
            items.append((yield from self._value((*path, len(items)))))
            if self._closes("]"):
                return items

    def _stream(self, path: KeyPath, holder: dict[str, Any]) -> Generator[Element, None, Streamed]:
        streamed = Streamed(self._streamed, path, holder)
        self._streamed += 1
        if self._opens("]"):
            return streamed
        for index in itertools.count():
            self._window.peek()
            yield streamed, index, self._window.value()
            if self._closes("]"):
                break
        return streamed

    def _opens(self, close: str) -> bool:
        """Step into an object or array; whether it closes at once."""
        self._window.skip()
        empty = self._window.peek() == close
        if empty:
            self._window.skip()
        return empty

    def _closes(self, close: str) -> bool:
        """After an item: whether `close` follows (stepped over), else a comma must."""
        char = self._window.peek()
        if char != close and char != ",":
            raise self._window.error("Expecting ',' delimiter")
        self._window.skip()
        return char == close
