"""The `pipeline` command: one thin sub-command per stage, plus `run`."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from pipeline.config import ConfigError, Settings, load_settings
from pipeline.engine import Stage, StageReport, open_executor, run_source_stage, run_stage
from pipeline.readers import read_records
from pipeline.stages import SOURCE_STAGE, TABLE_STAGES
from pipeline.tables import TableError

app = typer.Typer(
    help="French news extraction: raw articles in, Parquet tables out (documents, sentences, entities, quotes, dates).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

InputOption = Annotated[
    Optional[list[str]],
    typer.Option("--input", "-i", help="Input files, folders or globs (.txt, .jsonl, .csv, .parquet, .tml); default: [paths] input of the config."),
]
OutputOption = Annotated[Optional[Path], typer.Option("--output", "-o", help="Folder of the Parquet tables; default: outputs/.")]
ConfigOption = Annotated[Optional[Path], typer.Option("--config", "-c", help="Settings (.toml or .yaml) merged over configs/default.toml.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")]
WorkersOption = Annotated[Optional[int], typer.Option("--workers", help="Worker processes for the table stages; 0 = the machine's cores; default: engine.workers in the config.")]
EngineOption = Annotated[Optional[str], typer.Option("--engine", help="local (this machine) or dask; default: engine.kind in the config.")]
SchedulerOption = Annotated[Optional[str], typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786); without it --engine dask starts a local cluster.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Recompute every document, even those unchanged since the last run.")]


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def _settings(config: Optional[Path], workers: Optional[int] = None, engine: Optional[str] = None, scheduler: Optional[str] = None) -> Settings:
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        _fail(str(exc))
        raise
    chosen = {"workers": workers, "kind": engine, "scheduler": scheduler}
    if engine not in (None, "local", "dask"):
        _fail(f"--engine must be local or dask, not {engine!r}")
    return settings.with_overrides({"engine": {key: value for key, value in chosen.items() if value is not None}})


def _output(settings: Settings, output: Optional[Path]) -> Path:
    folder = Path(output or settings.raw["paths"]["output"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _summarise(reports: list[StageReport], started: float) -> None:
    for report in reports:
        rows = ", ".join(f"{name} {count}" for name, count in report.rows.items())
        typer.echo(f"  {report.stage:<10} {report.documents:>7} documents  {report.carried:>7} unchanged  {report.seconds:7.1f} s  ({rows})")
    first = reports[0] if reports else None
    if first and first.stage == SOURCE_STAGE.name:
        read = first.rows.get("documents", 0) + first.rows.get("rejects", 0)
        typer.echo(
            f"documents read {read}, written {first.rows.get('documents', 0)}, rejected {first.rows.get('rejects', 0)}; "
            f"{time.perf_counter() - started:.1f} s"
        )
    else:
        written = reports[-1].documents if reports else 0
        typer.echo(f"documents processed {written}; {time.perf_counter() - started:.1f} s")


def _guarded(action: Callable[[], list[StageReport]]) -> list[StageReport]:
    try:
        return action()
    except (TableError, ConfigError) as exc:
        _fail(str(exc))
        raise


def _run_source(settings: Settings, inputs: Optional[list[str]], folder: Path, force: bool) -> StageReport:
    chosen = inputs or settings.raw["paths"]["input"]
    return run_source_stage(SOURCE_STAGE, read_records(chosen), settings, folder, force=force)


@app.command(help=f"Run every stage in order: {', '.join([SOURCE_STAGE.name] + [s.name for s in TABLE_STAGES])}. Reads the inputs; writes every table.")
def run(
    input: InputOption = None,
    output: OutputOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    workers: WorkersOption = None,
    engine: EngineOption = None,
    scheduler: SchedulerOption = None,
    force: ForceOption = False,
) -> None:
    started = time.perf_counter()
    settings = _settings(config, workers, engine, scheduler)
    folder = _output(settings, output)

    def everything() -> list[StageReport]:
        reports = [_run_source(settings, input, folder, force)]
        with open_executor(settings) as executor:
            reports += [run_stage(stage, settings, folder, executor=executor, force=force) for stage in TABLE_STAGES]
        return reports

    _summarise(_guarded(everything), started)


@app.command(name=SOURCE_STAGE.name, help=SOURCE_STAGE.description)
def clean_command(input: InputOption = None, output: OutputOption = None, config: ConfigOption = None, quiet: QuietOption = False, force: ForceOption = False) -> None:
    started = time.perf_counter()
    settings = _settings(config)
    folder = _output(settings, output)
    _summarise(_guarded(lambda: [_run_source(settings, input, folder, force)]), started)


def _table_command(stage: Stage) -> Callable[..., None]:
    def command(
        output: OutputOption = None,
        config: ConfigOption = None,
        quiet: QuietOption = False,
        workers: WorkersOption = None,
        engine: EngineOption = None,
        scheduler: SchedulerOption = None,
        force: ForceOption = False,
    ) -> None:
        started = time.perf_counter()
        settings = _settings(config, workers, engine, scheduler)
        folder = _output(settings, output)

        def one_stage() -> list[StageReport]:
            with open_executor(settings) as executor:
                return [run_stage(stage, settings, folder, executor=executor, force=force)]

        _summarise(_guarded(one_stage), started)

    reads = ", ".join(spec.file_name for spec in stage.reads)
    writes = ", ".join(spec.file_name for spec in stage.writes)
    command.__doc__ = f"{stage.description} Reads {reads}; writes {writes}."
    return command


@app.command(help="Write the data dictionary docs/tables.md from the table schemas.")
def dictionary() -> None:
    from pipeline import dictionary as data_dictionary

    typer.echo(f"wrote {data_dictionary.write()}")


for _stage in TABLE_STAGES:
    app.command(name=_stage.name)(_table_command(_stage))


if __name__ == "__main__":
    app()
