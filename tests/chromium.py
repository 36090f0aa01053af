"""Debian's Chromium for the tests that render pages in a real browser."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Locator

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling out on a closed network.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium (CI installs it)",
)

# Where each of `words`, found one after another in an element's text (across its child
# elements), starts and ends: [left and top of its first line, right and bottom of its
# last] (a word may wrap at a hyphen).
_WORD_BOXES = """(element, words) => {
  const nodes = [];
  let text = "";
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, text.length]);
    text += walker.currentNode.data;
  }
  const at = offset => {
    const [node, start] = nodes.filter(([, s]) => s <= offset).pop();
    return [node, offset - start];
  };
  let from = 0;
  return words.map(word => {
    const found = text.indexOf(word, from);
    if (found < 0) return null;
    from = found + word.length;
    const range = document.createRange();
    range.setStart(...at(found));
    range.setEnd(...at(from));
    const lines = range.getClientRects();
    const [first, last] = [lines[0], lines[lines.length - 1]];
    return [first.left, last.right, first.top, last.bottom];
  });
}"""


def drawn_in_order(element: Locator, words: Sequence[str]) -> bool:
    """Whether `words`, written in this order in `element`, are drawn in reading order
    (left to right, line after line): what a reader sees when nothing reorders them."""
    boxes = element.evaluate(_WORD_BOXES, list(words))
    assert None not in boxes, f"not all of {words} are in {element.inner_text()!r}"
    return all(_after(earlier, later) for earlier, later in pairwise(boxes))


def _after(earlier: list[float], later: list[float]) -> bool:
    next_line = later[2] >= earlier[3] - 1
    return next_line or later[0] >= earlier[1] - 0.5
