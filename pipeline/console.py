"""What the CLI shows while it works: progress bars and the per-stage summary table.

Bars go to the terminal only: with ``--quiet`` or when stdout is a pipe or a file
(CI logs), the engine gets no progress callback at all.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator, Optional

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from pipeline.engine import StageReport

Advance = Callable[[int], None]


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

    def summary(self, reports: list[StageReport], line: str) -> None:
        """One row per stage (documents processed and carried over unchanged, rows written per table, rejects, seconds), then ``line``."""
        if not self.quiet and reports:
            self.console.print(summary_table(reports))
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
    return table
