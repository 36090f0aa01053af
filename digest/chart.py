"""The weekly claims chart: claims per week per group, stacked bars, as a small PNG.

Drawn with matplotlib's Agg canvas directly (no pyplot), so it needs no display and
keeps no global figure state between digests or threads.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

# Colour-blind-safe (Okabe-Ito) colours, in the order groups are drawn.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
WIDTH_PX, HEIGHT_PX, DPI = 1200, 520, 200  # shown at 600 px wide: sharp on dense screens
MAX_GROUPS = len(PALETTE) - 1  # the rest are summed into "other groups"


def weekly_chart(weeks: Sequence[date], counts: Mapping[str, Sequence[int]], title: str) -> bytes:
    """A PNG of `counts[group][i]` claims in the week starting `weeks[i]`, stacked by group."""
    # Imported here: matplotlib takes about half a second to import, for every command.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    axes = figure.add_subplot()
    positions = range(len(weeks))
    bottom = [0] * len(weeks)
    for (group, values), colour in zip(_top_groups(counts).items(), PALETTE, strict=False):
        axes.bar(positions, values, bottom=bottom, color=colour, label=_plain(group), width=0.75)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_xticks(list(positions), [f"{w:%d %b}" for w in weeks], fontsize=6, rotation=0)
    axes.tick_params(axis="y", labelsize=6)
    axes.set_ylabel("claims per week", fontsize=7)
    axes.set_title(_plain(title), fontsize=8, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    if counts:
        axes.set_ylim(top=max(max(bottom), 1) * 1.4)  # headroom so the legend covers no bar
        axes.legend(fontsize=6, frameon=False, loc="upper left", ncols=2)
    else:
        axes.text(
            0.5,
            0.5,
            "no claims in these weeks",
            ha="center",
            va="center",
            transform=axes.transAxes,
            fontsize=8,
            color="#666666",
        )
    figure.tight_layout()
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def _plain(text: str) -> str:
    """`text` drawn as written: matplotlib reads text between two `$` as a formula (and a
    bad formula stops the chart), and hides legend labels that start with `_`."""
    text = text.replace("$", r"\$")
    return "\u200b" + text if text.startswith("_") else text


def _top_groups(counts: Mapping[str, Sequence[int]]) -> dict[str, list[int]]:
    """The busiest groups by name, and every other group summed as one series."""
    ranked = sorted(counts, key=lambda group: (-sum(counts[group]), group))
    top = {group: list(counts[group]) for group in ranked[:MAX_GROUPS]}
    rest = ranked[MAX_GROUPS:]
    if rest:
        columns = zip(*(counts[group] for group in rest), strict=True)
        top["other groups"] = [sum(column) for column in columns]
    return top
