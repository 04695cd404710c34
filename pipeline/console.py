"""What the CLI shows while it works: progress bars and the per-stage summary table.

Bars go to the terminal only: with ``--quiet`` or when stdout is a pipe or a file
(CI logs), the engine gets no progress callback at all.
"""
from __future__ import annotations

import sys
from collections import Counter
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # the engine imports pandas and pyarrow, which `--help` must not wait for
    from pipeline.engine import StageReport

Advance = Callable[[int], None]
# The summary row of time spent loading what stages need (the spaCy model, lexicons),
# which each stage's own seconds leave out.
LOADING_ROW = "model loading"
# How much of the rejects the end of a run prints: the commonest reasons, a few inputs each.
REASONS_SHOWN = 10
SOURCES_SHOWN = 3


class RateColumn(ProgressColumn):
    """Documents per second since the stage started (batches arrive in bursts, so an
    average over the whole run reads steadier than rich's recent-window speed)."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        rate = task.completed / elapsed if task.completed and elapsed else None
        return Text(f"{rate:6.1f} docs/s" if rate else "     – docs/s", style="progress.data.speed")


class Display:
    """The CLI's console: progress bars when allowed, summary tables unless quiet."""

    def __init__(self, quiet: bool, console: Optional[Console] = None):
        self.console = console or Console()
        self.quiet = quiet
        self.bars = not quiet and self.console.is_terminal

    @contextmanager
    def progress(self, label: str, total: Optional[int]) -> Iterator[Optional[Advance]]:
        """A bar counting documents; yields the callback to hand to the engine, or None."""
        if not self.bars:
            yield None
            return
        columns = [
            TextColumn("[bold]{task.description:<10}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
            TimeElapsedColumn(), TextColumn("elapsed,"), TimeRemainingColumn(), TextColumn("left"),
        ]
        with Progress(*columns, console=self.console, transient=True) as bar:
            task = bar.add_task(label, total=total)
            yield lambda documents: bar.advance(task, documents)

    def summary(self, reports: list[StageReport], line: str, problems: Iterable[str] = ()) -> None:
        """One row per stage (documents processed and carried over unchanged, rows written
        per table, rejects, seconds), ``problems`` on stderr (even when quiet), then ``line``."""
        if not self.quiet and reports:
            self.console.print(summary_table(reports))
        self.console.file.flush()
        for problem in problems:
            print(problem, file=sys.stderr, flush=True)
        self.console.print(line, highlight=False, markup=False, soft_wrap=True)


def summary_table(reports: list[StageReport]) -> Table:
    table = Table(title="Stages", title_justify="left")
    table.add_column("stage")
    table.add_column("documents", justify="right")
    table.add_column("unchanged", justify="right")
    table.add_column("rows written")
    table.add_column("rejects", justify="right")
    table.add_column("seconds", justify="right")
    for report in reports:
        written = ", ".join(f"{name} {count}" for name, count in report.rows.items() if name != "rejects")
        table.add_row(report.stage, str(report.documents), str(report.carried), written, str(report.rows.get("rejects", 0)), f"{report.seconds:.1f}")
    loading = sum(report.load_seconds for report in reports)
    if round(loading, 1):
        table.add_row(LOADING_ROW, "", "", "", "", f"{loading:.1f}", style="dim")
    return table


def reject_lines(rejects: Iterable[tuple[str, str]], where: str) -> list[str]:
    """(source, reason) pairs as lines grouped by reason, commonest first, each with its
    count and its first sources; ``where`` names the file that holds them all."""
    rejects = list(rejects)
    if not rejects:
        return []
    counts = Counter(reason for _, reason in rejects)
    sources: dict[str, list[str]] = {}
    for source, reason in rejects:
        sources.setdefault(reason, []).append(source)
    lines = [f"rejected {len(rejects)} (by reason; all in {where}):"]
    for reason, count in counts.most_common(REASONS_SHOWN):
        shown = sources[reason][:SOURCES_SHOWN]
        more = f", and {count - len(shown)} more" if count > len(shown) else ""
        lines.append(f"  {count} × {reason}: {', '.join(shown)}{more}")
    if len(counts) > REASONS_SHOWN:
        lines.append(f"  and {len(counts) - REASONS_SHOWN} other reasons")
    return lines
