"""The report's charts, drawn by matplotlib and inlined as SVG.

Each chart is an ``<svg>`` element ready to sit in an HTML page: no XML prolog, no
namespace or metadata URLs, its ids prefixed with the chart's name (two charts on one
page never share an id), text kept as text (selectable, and legible at any zoom), sized
by its viewBox so CSS fits it to its column. What it shows is also data: ``data-chart``
names it, ``data-counts`` holds its counts as JSON, and ``<title>``/``<desc>`` say the
same in words for screen readers (and tests).

matplotlib is imported when a chart is drawn, not with the report module.
"""
from __future__ import annotations

import html
import io
import json
import re
from datetime import date
from typing import Mapping, Sequence

import pandas as pd

BAR_COLOUR = "#e0a800"
OTHER_COLOUR = "#bbbbbb"
FONT_SIZE = 11  # points in the drawing; the chart is scaled to its column
WIDTH_INCHES = 7.5
PLOT_WIDTH_POINTS = WIDTH_INCHES * 72 * 0.85  # the axes' share of the figure, about
MIN_BAR_POINTS, MAX_BAR_POINTS = 2.5, 60
MONTH_TICKS_UP_TO = 24  # months; a longer span gets years or decades


def _figure(height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_INCHES, height), layout="constrained")


def _svg(figure, name: str, title: str, description: str, counts: object) -> str:
    """The figure as an inline ``<svg>`` element carrying its title, description and counts."""
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": name}):
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    markup = buffer.getvalue()
    markup = re.sub(r"<metadata>.*?</metadata>\s*", "", markup[markup.index("<svg") :], flags=re.S)
    opening_end = markup.index(">") + 1
    # Inline SVG needs no namespaces; the size comes from the viewBox and the page's CSS.
    attributes = re.sub(r'\s(?:xmlns(?::\w+)?|width|height|version)="[^"]*"', "", markup[len("<svg") : opening_end - 1])
    content = markup[opening_end:]
    # Ids (and references to them) are local to the chart.
    content = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{name}-{m.group(1)}"', content)
    content = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{name}-{m.group(1)})", content)
    content = re.sub(r'xlink:href="#([^"]+)"', lambda m: f'xlink:href="#{name}-{m.group(1)}"', content)
    data = html.escape(json.dumps(counts, ensure_ascii=False, sort_keys=True))
    return (
        f'<svg role="img" aria-labelledby="{name}-title {name}-desc" data-chart="{name}" data-counts="{data}"{attributes}>'
        f'<title id="{name}-title">{html.escape(title)}</title><desc id="{name}-desc">{html.escape(description)}</desc>'
        f"{content}"
    )


def _style(axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=FONT_SIZE)


def _rc():
    import matplotlib

    return matplotlib.rc_context({"font.size": FONT_SIZE})


def quotes_per_month(months: Mapping[str, int], undated: int) -> str:
    """Bars of quotes per calendar month (``YYYY-MM`` -> quotes), every month of the range
    drawn, on a time axis; ``undated`` quotes have no date known to the month."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, MonthLocator
    from matplotlib.ticker import MaxNLocator

    ordered = dict(sorted(months.items()))
    span = pd.period_range(min(ordered), max(ordered), freq="M")
    counts = [ordered.get(str(month), 0) for month in span]
    with _rc():
        figure = _figure(2.8)
        axes = figure.subplots()
        starts = [month.start_time.date() for month in span]
        # Bars as lines of a width in points: time stays proportional, and a month stays
        # visible when the corpus spans decades (hundreds of months in the plot's width).
        width = min(max(0.8 * PLOT_WIDTH_POINTS / len(span), MIN_BAR_POINTS), MAX_BAR_POINTS)
        middles = [month.start_time + (month.end_time - month.start_time) / 2 for month in span]
        axes.vlines([m for m, c in zip(middles, counts) if c], 0, [c for c in counts if c], colors=BAR_COLOUR, linewidth=width, capstyle="butt")
        axes.set_ylim(0, max(counts) * 1.05)
        locator = MonthLocator() if len(span) <= MONTH_TICKS_UP_TO else AutoDateLocator(minticks=3, maxticks=10)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylabel("quotes")
        axes.set_xlim(starts[0], _next_month(span[-1]))
        _style(axes)
    total = sum(counts)
    description = "; ".join(f"{month}: {count}" for month, count in ordered.items()) + f". {total} quotes dated to the month, {undated} not."
    return _svg(figure, "quotes-per-month", "Quotes per month", description, {"months": ordered, "undated": undated})


def _next_month(month: pd.Period) -> date:
    return (month + 1).start_time.date()


def top_speakers(speakers: Sequence[tuple[str, str, str, int]], colours: Mapping[str, str]) -> str:
    """Horizontal bars, most quoted first, from (entity_key, name, label, quotes) rows;
    bars take their label's colour."""
    from matplotlib.ticker import MaxNLocator

    with _rc():
        figure = _figure(0.32 * len(speakers) + 0.9)
        axes = figure.subplots()
        names = [f"{name} ({label})" for _, name, label, _ in speakers][::-1]
        values = [quotes for *_, quotes in speakers][::-1]
        bars = axes.barh(names, values, color=[colours.get(label, OTHER_COLOUR) for _, _, label, _ in speakers][::-1])
        axes.bar_label(bars, padding=3, fontsize=FONT_SIZE)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel("quotes")
        _style(axes)
    description = "; ".join(f"{name} ({label}): {quotes}" for _, name, label, quotes in speakers)
    return _svg(figure, "top-speakers", "Most quoted speakers", description, {key: quotes for key, _, _, quotes in speakers})


def speakers_by_entities(grid: pd.DataFrame, speaker_names: Mapping[str, str], entity_names: Mapping[str, str]) -> str:
    """A heat map of quotes: speakers (rows, by entity_key) x entities they mention
    (columns, by entity_key); each cell counts the speaker's quotes naming the entity."""
    from matplotlib.ticker import MaxNLocator

    with _rc():
        figure = _figure(0.34 * len(grid.index) + 2.2)
        axes = figure.subplots()
        values = grid.to_numpy()
        image = axes.imshow(values, cmap="Blues", aspect="auto", vmin=0)
        axes.set_xticks(range(len(grid.columns)), [entity_names[key] for key in grid.columns], rotation=45, ha="right", rotation_mode="anchor")
        axes.set_yticks(range(len(grid.index)), [speaker_names[key] for key in grid.index])
        darkest = values.max() if values.size else 0
        for row, column in zip(*values.nonzero()):
            value = int(values[row, column])
            axes.text(column, row, str(value), ha="center", va="center", fontsize=FONT_SIZE - 1, color="white" if value > darkest / 2 else "#222")
        axes.tick_params(labelsize=FONT_SIZE, length=0)
        axes.set_xlabel("entity mentioned in the quotes")
        for side in axes.spines.values():
            side.set_visible(False)
        bar = figure.colorbar(image, ax=axes, label="quotes", shrink=0.8)
        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
    counts = {speaker: {entity: int(grid.at[speaker, entity]) for entity in grid.columns if grid.at[speaker, entity]} for speaker in grid.index}
    description = "; ".join(
        f"{speaker_names[speaker]} about {entity_names[entity]}: {count}" for speaker, row in counts.items() for entity, count in row.items()
    )
    return _svg(figure, "speakers-by-entities", "Speakers and the entities their quotes mention", description, counts)
