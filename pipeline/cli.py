"""The `pipeline` command: one thin sub-command per stage, plus `run`."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from pipeline.config import ConfigError, Settings, load_settings
from pipeline.engine import Stage, StageReport, run_source_stage, run_stage
from pipeline.paths import FolderBusy, claim_output_folder
from pipeline.readers import read_records
from pipeline.stages import SOURCE_STAGE, TABLE_STAGES
from pipeline.tables import TableError
from pipeline.validate import check_upstream, validate_folder

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
StrictOption = Annotated[bool, typer.Option("--strict", help="Fail (exit code 1) when any input is rejected; the tables are written all the same.")]

# Exit codes: 0 the run completed (rejects are counted in the summary line); 1 nothing
# could be processed, or a reject under --strict, or validation problems; 2 a usage
# error (bad option, configuration or upstream table).
EXIT_FAILED = 1
EXIT_USAGE = 2


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=code)


def _settings(config: Optional[Path]) -> Settings:
    try:
        return load_settings(config)
    except ConfigError as exc:
        _fail(str(exc))
        raise


def _output(settings: Settings, output: Optional[Path]) -> Path:
    folder = Path(output or settings.raw["paths"]["output"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        claim_output_folder(folder)
    except (OSError, FolderBusy) as exc:
        _fail(str(exc))
    return folder


def _summarise(reports: list[StageReport], started: float) -> None:
    for report in reports:
        rows = ", ".join(f"{name} {count}" for name, count in report.rows.items())
        typer.echo(f"  {report.stage:<10} {report.documents:>7} documents  {report.seconds:7.1f} s  ({rows})")
    first = reports[0] if reports else None
    rejected = _rejected(reports)
    if first and first.stage == SOURCE_STAGE.name:
        read = first.rows.get("documents", 0) + first.rows.get("rejects", 0)
        typer.echo(
            f"documents read {read}, written {first.rows.get('documents', 0)}, rejected {rejected}; "
            f"{time.perf_counter() - started:.1f} s"
        )
    else:
        written = reports[-1].documents if reports else 0
        typer.echo(f"documents processed {written}, rejected {rejected}; {time.perf_counter() - started:.1f} s")


def _rejected(reports: list[StageReport]) -> int:
    """Rejects of every stage run: the inputs cleaning refused, and documents a later stage failed on."""
    return sum(report.rows.get("rejects", 0) for report in reports)


def _check_outcome(reports: list[StageReport], strict: bool) -> None:
    """Exit non-zero, after the tables are written, when nothing got through or (strict) anything was rejected."""
    source = next((report for report in reports if report.stage == SOURCE_STAGE.name), None)
    rejected = _rejected(reports)
    if source is not None and source.rows.get("documents", 0) == 0:
        _fail(f"no document could be processed ({rejected} rejected; reasons in rejects.parquet)", EXIT_FAILED)
    if strict and rejected:
        _fail(f"{rejected} input(s) rejected and --strict given; reasons in rejects.parquet", EXIT_FAILED)


def _guarded(action: Callable[[], list[StageReport]]) -> list[StageReport]:
    try:
        return action()
    except (TableError, ConfigError) as exc:
        _fail(str(exc))
        raise


def _run_source(settings: Settings, inputs: Optional[list[str]], folder: Path) -> StageReport:
    chosen = inputs or settings.raw["paths"]["input"]
    max_bytes = settings.section(SOURCE_STAGE.name).get("max_bytes")
    return run_source_stage(SOURCE_STAGE, read_records(chosen, max_bytes=max_bytes), settings, folder)


@app.command(help=f"Run every stage in order: {', '.join([SOURCE_STAGE.name] + [s.name for s in TABLE_STAGES])}. Reads the inputs; writes every table.")
def run(input: InputOption = None, output: OutputOption = None, config: ConfigOption = None, quiet: QuietOption = False, strict: StrictOption = False) -> None:
    started = time.perf_counter()
    settings = _settings(config)
    folder = _output(settings, output)

    def everything() -> list[StageReport]:
        reports = [_run_source(settings, input, folder)]
        reports += [run_stage(stage, settings, folder) for stage in TABLE_STAGES]
        return reports

    reports = _guarded(everything)
    _summarise(reports, started)
    _check_outcome(reports, strict)


@app.command(name=SOURCE_STAGE.name, help=SOURCE_STAGE.description)
def clean_command(input: InputOption = None, output: OutputOption = None, config: ConfigOption = None, quiet: QuietOption = False, strict: StrictOption = False) -> None:
    started = time.perf_counter()
    settings = _settings(config)
    folder = _output(settings, output)
    reports = _guarded(lambda: [_run_source(settings, input, folder)])
    _summarise(reports, started)
    _check_outcome(reports, strict)


def _table_command(stage: Stage) -> Callable[..., None]:
    def command(output: OutputOption = None, config: ConfigOption = None, quiet: QuietOption = False, strict: StrictOption = False) -> None:
        started = time.perf_counter()
        settings = _settings(config)
        folder = _output(settings, output)
        def checked_run() -> list[StageReport]:
            check_upstream(stage, folder, (SOURCE_STAGE, *TABLE_STAGES))
            return [run_stage(stage, settings, folder)]

        reports = _guarded(checked_run)
        _summarise(reports, started)
        _check_outcome(reports, strict)

    reads = ", ".join(spec.file_name for spec in stage.reads)
    writes = ", ".join(spec.file_name for spec in stage.writes)
    command.__doc__ = f"{stage.description} Reads {reads}; writes {writes}."
    return command


@app.command(help="Check every table in the output folder: schema and stage version, unique ids, doc_id/sent_id present upstream, text == documents.text[start:end]. Prints one problem per line; exit code 1 when there is any.")
def validate(output: OutputOption = None, config: ConfigOption = None) -> None:
    settings = _settings(config)
    folder = Path(output or settings.raw["paths"]["output"])
    if not folder.is_dir():
        _fail(f"{folder}: no such folder; run `pipeline run` first")
    checked, problems = validate_folder(folder, (SOURCE_STAGE, *TABLE_STAGES))
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        _fail(f"{len(problems)} problem(s) in {folder}", EXIT_FAILED)
    typer.echo(f"valid: {', '.join(checked)}")


@app.command(help="Write the data dictionary docs/tables.md from the table schemas.")
def dictionary() -> None:
    from pipeline import dictionary as data_dictionary

    typer.echo(f"wrote {data_dictionary.write()}")


@app.command(help="Score the tables in --outputs against labelled gold (JSON gold files, TimeML files or folders). Reads the Parquet tables; writes metrics.json beside them.")
def evaluate(
    gold: Annotated[list[Path], typer.Option("--gold", "-g", help="Gold source: a JSON gold file, a .tml file or a folder of .tml files; repeat for several.")],
    outputs: Annotated[Path, typer.Option("--outputs", help="Folder of the Parquet tables to score.")] = Path("outputs"),
    errors: Annotated[int, typer.Option("--errors", help="List the first N misses, spurious items and wrong speakers/values per stage.")] = 0,
    gate: Annotated[Optional[Path], typer.Option("--gate", help="Accuracy floors (configs/accuracy.toml); exit 1 naming every metric under its floor.")] = None,
    baseline: Annotated[bool, typer.Option("--baseline/--no-baseline", help="Also score plain spaCy entities (doc.ents) on documents.text.")] = True,
    config: ConfigOption = None,
) -> None:
    from rich.console import Console

    from pipeline import evaluate as evaluation

    settings = _settings(config)
    try:
        floors = evaluation.load_floors(gate) if gate else None
        reports = evaluation.evaluate(gold, outputs, settings.model_name if baseline else None)
    except (evaluation.GoldError, TableError) as exc:
        _fail(str(exc))
        raise
    console = Console()
    if not console.is_terminal:  # logs and CI: wide enough for the metric tables
        console.width = 140
    evaluation.render(reports, console, errors)
    failures = evaluation.check_gate(reports, floors) if floors is not None else None
    typer.echo(f"wrote {evaluation.write_metrics(reports, outputs, failures)}")
    if failures:
        typer.echo(f"accuracy gate failed ({gate}):", err=True)
        for failure in failures:
            typer.echo(f"  {failure}", err=True)
        raise typer.Exit(code=1)
    if failures is not None:
        typer.echo(f"accuracy gate passed ({gate})")


for _stage in TABLE_STAGES:
    app.command(name=_stage.name)(_table_command(_stage))


if __name__ == "__main__":
    app()
