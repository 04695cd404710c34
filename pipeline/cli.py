"""The `pipeline` command: one thin sub-command per stage, plus `run`."""
from __future__ import annotations

import errno
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Callable, NoReturn, Optional

import typer
# Typer (pinned) vendors its own Click: its usage errors are these classes.
from typer._click import exceptions as click_errors
from rich.console import Console

# Nothing imported here may import spaCy or Dask: commands that need no model (`--help`,
# `clean`, an unchanged `run`...) must start fast. The model is imported where it is
# loaded (stages/entities.py), Dask where its engine starts; tests/test_fast_cli.py checks.
from pipeline.config import ConfigError, Settings, load_settings, setting_problem
from pipeline.console import Display, reject_lines
from pipeline.engine import Stage, StageReport, count_documents, open_executor, run_source_stage, run_stage, write_run_summary
from pipeline.paths import FolderBusy, claim_output_folder
from pipeline.processes import Stopped, stop_on_signals
from pipeline.readers import expand_inputs, read_records
from pipeline.stages import SOURCE_STAGE, TABLE_STAGES
from pipeline.tables import DOCUMENTS, REJECTS, TableError, check_schema, read_table, table_path
from pipeline.validate import check_upstream, stages_not_built, validate_folder

app = typer.Typer(
    help="French news extraction: raw articles in, Parquet tables out (documents, sentences, entities, quotes, dates).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

InputOption = Annotated[
    Optional[list[str]],
    typer.Option("--input", "-i", help="Input files, folders or globs (.txt, .jsonl, .csv, .parquet, .tml, .html, .htm, .warc, .warc.gz); default: paths.input of the settings (data/raw of the current folder)."),
]
OutputOption = Annotated[Optional[Path], typer.Option("--output", "-o", help="Folder of the Parquet tables; default: outputs/ of the current folder.")]
ConfigOption = Annotated[Optional[Path], typer.Option("--config", "-c", help="Settings (.toml or .yaml) merged over the defaults (configs/default.toml, installed with the package); checked: an unknown key or a bad value is an error.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars, no summary table: print only the summary line.")]
StrictOption = Annotated[bool, typer.Option("--strict", help="Fail (exit code 1) when any input is rejected; the tables are written all the same.")]
WorkersOption = Annotated[Optional[int], typer.Option("--workers", help="Worker processes for the table stages; 0 = the machine's cores; default: engine.workers in the config.")]
EngineOption = Annotated[Optional[str], typer.Option("--engine", help="local (this machine) or dask; default: engine.kind in the config.")]
SchedulerOption = Annotated[Optional[str], typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786); without it --engine dask starts a local cluster.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Recompute every document, even those unchanged since the last run.")]

# Exit codes: 0 the run completed (rejects are counted in the summary line); 1 nothing
# could be processed, or a reject under --strict, or validation problems; 2 a usage
# error (bad option, configuration or upstream table).
EXIT_FAILED = 1
EXIT_USAGE = 2


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=code)


# The [engine] settings that options override, checked against the same schema as files.
ENGINE_OPTIONS = {"workers": "--workers", "kind": "--engine", "scheduler": "--scheduler"}


def _settings(config: Optional[Path], workers: Optional[int] = None, engine: Optional[str] = None, scheduler: Optional[str] = None) -> Settings:
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        _fail(str(exc))
        raise
    given = {key: value for key, value in {"workers": workers, "kind": engine, "scheduler": scheduler}.items() if value is not None}
    for key, value in given.items():
        if problem := setting_problem("engine", key, value):
            _fail(f"{ENGINE_OPTIONS[key]} {problem}")
    return settings.with_overrides({"engine": given})


def _output(settings: Settings, output: Optional[Path]) -> Path:
    folder = Path(output or settings.raw["paths"]["output"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        claim_output_folder(folder)
    except FolderBusy as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write the tables to {folder}: {_unwritable(folder, exc)}")
    return folder


def _unwritable(folder: Path, exc: OSError) -> str:
    """Why ``folder`` cannot be made or written, in words rather than errno text."""
    existing = next((path for path in (folder, *folder.parents) if path.exists()), None)
    if existing is not None and not existing.is_dir():
        return f"{existing} is a file, not a folder"
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return f"{existing if existing is not None else folder} is not writable ({exc.strerror or exc})"
    return exc.strerror or str(exc)


def _inputs(settings: Settings, inputs: Optional[list[str]]) -> list[str]:
    """The inputs to read, once at least one file is found among them: nothing is written
    (no table replaced by an empty one) when there is nothing to read."""
    chosen = inputs or list(settings.raw["paths"]["input"])
    files, problems = expand_inputs(chosen)
    if files:
        return chosen
    if not inputs and all(problem.reason == "path does not exist" for problem in problems):
        _fail(f"no input given, and {', '.join(chosen)} (paths.input of the settings) is not in {Path.cwd()}: pass --input FILES_OR_FOLDERS")
    given = "--input" if inputs else "paths.input"
    _fail("nothing to read: " + "; ".join(f"{given} {problem.source}: {problem.reason}" for problem in problems))


def _summarise(display: Display, reports: list[StageReport], started: float, folder: Path) -> None:
    write_run_summary(folder, reports)
    first = reports[0] if reports else None
    rejected = _rejected(reports)
    if first and first.stage == SOURCE_STAGE.name:
        read = first.rows.get("documents", 0) + first.rows.get("rejects", 0)
        skipped = f", skipped {sum(first.skipped.values())} ({', '.join(f'{what} {count}' for what, count in sorted(first.skipped.items()))})" if first.skipped else ""
        line = (
            f"documents read {read}, written {first.rows.get('documents', 0)}, rejected {rejected}{skipped}; "
            f"{time.perf_counter() - started:.1f} s"
        )
    else:
        written = reports[-1].documents if reports else 0
        line = f"documents processed {written}, rejected {rejected}; {time.perf_counter() - started:.1f} s"
    display.summary(reports, line, reject_lines(_rejects_of(reports, folder), str(table_path(REJECTS, folder))))


def _rejects_of(reports: list[StageReport], folder: Path) -> list[tuple[str, str]]:
    """(source, reason) of what the stages just run rejected: the whole rejects table after
    cleaning, which rewrites it; else the rows of the stages run."""
    if not _rejected(reports) or not table_path(REJECTS, folder).exists():
        return []
    rejects = read_table(REJECTS, folder)
    if not any(report.stage == SOURCE_STAGE.name for report in reports):
        rejects = rejects[rejects["stage"].isin([report.stage for report in reports])]
    return list(zip(rejects["source"].tolist(), rejects["reason"].tolist()))


def _rejected(reports: list[StageReport]) -> int:
    """Rejects of every stage run: the inputs cleaning refused, and documents a later stage failed on."""
    return sum(report.rows.get("rejects", 0) for report in reports)


def _check_outcome(reports: list[StageReport], strict: bool) -> None:
    """Exit non-zero, after the tables are written, when nothing got through or (strict) anything was rejected."""
    source = next((report for report in reports if report.stage == SOURCE_STAGE.name), None)
    rejected = _rejected(reports)
    if source is not None and source.rows.get("documents", 0) == 0:
        _fail(f"no document could be processed ({rejected} rejected, reasons above)", EXIT_FAILED)
    if strict and rejected:
        _fail(f"{rejected} input(s) rejected and --strict given (reasons above)", EXIT_FAILED)


def _guarded(action: Callable[[], list[StageReport]]) -> list[StageReport]:
    try:
        return action()
    except (TableError, ConfigError) as exc:
        _fail(str(exc))
        raise


def _execute(settings: Settings, output: Optional[Path], quiet: bool, strict: bool, action: Callable[[Path, Display], list[StageReport]]) -> None:
    """What every stage command does around its stages: the output folder, the display,
    the summary, and the exit code."""
    started = time.perf_counter()
    folder = _output(settings, output)
    display = Display(quiet)
    try:
        reports = _guarded(lambda: action(folder, display))
        _summarise(display, reports, started, folder)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        # Tables are committed by rename: those written are whole, the one being written is dropped.
        _fail(f"no space left on {folder}: the tables are as they were before the stage that ran out; free space and run again", EXIT_FAILED)
    _check_outcome(reports, strict)


def _run_source(settings: Settings, chosen: list[str], folder: Path, display: Display, force: bool, on_fresh: Optional[Callable[[int], None]] = None) -> StageReport:
    max_bytes = settings.section(SOURCE_STAGE.name).get("max_bytes")
    with display.progress(SOURCE_STAGE.name, total=None) as advance:
        return run_source_stage(SOURCE_STAGE, read_records(chosen, max_bytes=max_bytes), settings, folder, progress=advance, force=force, on_fresh=on_fresh)


def _run_table_stage(stage: Stage, settings: Settings, folder: Path, display: Display, executor, force: bool) -> StageReport:
    # Without documents.parquet the engine raises the contract's own error.
    total = count_documents(folder) if table_path(DOCUMENTS, folder).exists() else None
    with display.progress(stage.name, total) as advance:
        return run_stage(stage, settings, folder, progress=advance, executor=executor, force=force)


@app.command(help=f"Run every stage in order: {', '.join([SOURCE_STAGE.name] + [s.name for s in TABLE_STAGES])}. Reads the inputs; writes every table.")
def run(
    input: InputOption = None,
    output: OutputOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    strict: StrictOption = False,
    workers: WorkersOption = None,
    engine: EngineOption = None,
    scheduler: SchedulerOption = None,
    force: ForceOption = False,
) -> None:
    settings = _settings(config, workers, engine, scheduler)
    chosen = _inputs(settings, input)

    def everything(folder: Path, display: Display) -> list[StageReport]:
        with open_executor(settings) as executor:

            def warm_workers(fresh_documents: int) -> None:
                # Workers get ready (a model to load) while this process cleans; one changed
                # document is computed in this process, without workers.
                if fresh_documents > 1:
                    executor.warm(settings, TABLE_STAGES)

            reports = [_run_source(settings, chosen, folder, display, force, on_fresh=warm_workers)]
            reports += [_run_table_stage(stage, settings, folder, display, executor, force) for stage in TABLE_STAGES]
        return reports

    _execute(settings, output, quiet, strict, everything)


@app.command(name=SOURCE_STAGE.name, help=SOURCE_STAGE.description)
def clean_command(
    input: InputOption = None,
    output: OutputOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
    strict: StrictOption = False,
    force: ForceOption = False,
) -> None:
    settings = _settings(config)
    chosen = _inputs(settings, input)
    _execute(settings, output, quiet, strict, lambda folder, display: [_run_source(settings, chosen, folder, display, force)])


def _table_command(stage: Stage) -> Callable[..., None]:
    def command(
        output: OutputOption = None,
        config: ConfigOption = None,
        quiet: QuietOption = False,
        strict: StrictOption = False,
        workers: WorkersOption = None,
        engine: EngineOption = None,
        scheduler: SchedulerOption = None,
        force: ForceOption = False,
    ) -> None:
        settings = _settings(config, workers, engine, scheduler)

        def checked_run(folder: Path, display: Display) -> list[StageReport]:
            check_upstream(stage, folder, (SOURCE_STAGE, *TABLE_STAGES))
            with open_executor(settings) as executor:
                return [_run_table_stage(stage, settings, folder, display, executor, force)]

        _execute(settings, output, quiet, strict, checked_run)

    reads = ", ".join(spec.file_name for spec in stage.reads)
    writes = ", ".join(spec.file_name for spec in stage.writes)
    command.__doc__ = f"{stage.description} Reads {reads}; writes {writes}."
    return command


@app.command(help="Check every table in the output folder: schema and stage version, unique ids, doc_id/sent_id present upstream, text == documents.text[start:end], and that every stage is complete against its manifest (--partial: stages never run are allowed). Prints one problem per line; exit code 1 when there is any.")
def validate(
    output: OutputOption = None,
    config: ConfigOption = None,
    partial: Annotated[bool, typer.Option("--partial", help="The folder is knowingly partial: stages never run are not problems (the tables present are checked all the same).")] = False,
) -> None:
    settings = _settings(config)
    folder = Path(output or settings.raw["paths"]["output"])
    if not folder.is_dir():
        _fail(f"{folder}: no such folder; run `pipeline run` first")
    stages = (SOURCE_STAGE, *TABLE_STAGES)
    checked, problems = validate_folder(folder, stages, settings, partial=partial)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        _fail(f"{len(problems)} problem(s) in {folder}", EXIT_FAILED)
    not_built = stages_not_built(folder, stages)
    typer.echo(f"valid{' (partial; not built: ' + ', '.join(not_built) + ')' if not_built else ''}: {', '.join(checked)}")


@app.command(help="Write the data dictionary (Markdown) from the table schemas; default: docs/tables.md of the current folder.")
def dictionary(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The Markdown file to write; default: docs/tables.md of the current folder.")] = None,
) -> None:
    from pipeline import dictionary as data_dictionary

    path = output or data_dictionary.DICTIONARY_PATH
    try:
        typer.echo(f"wrote {data_dictionary.write(path)}")
    except OSError as exc:
        _fail(f"cannot write {path}: {_unwritable(path.parent, exc)}")


class ErrorsFrom(str, Enum):
    tuning = "tuning"
    all = "all"


@app.command(help="Score the tables in --outputs against labelled gold (JSON gold files, TimeML files or folders). Reads the Parquet tables; writes metrics.json beside them.")
def evaluate(
    gold: Annotated[list[Path], typer.Option("--gold", "-g", help="Gold source: a JSON gold file, a .tml file or a folder of .tml files; repeat for several.")],
    outputs: Annotated[Path, typer.Option("--outputs", help="Folder of the Parquet tables to score.")] = Path("outputs"),
    errors: Annotated[int, typer.Option("--errors", help="List the first N misses, spurious items and wrong speakers/values per stage, of the tuning half.")] = 0,
    errors_from: Annotated[ErrorsFrom, typer.Option("--errors-from", help="Whose errors --errors lists: the tuning half (tune on these only) or all documents.")] = ErrorsFrom.tuning,
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
    evaluation.render(reports, console, errors, errors_from.value)
    failures = evaluation.check_gate(reports, floors) if floors is not None else None
    typer.echo(f"wrote {evaluation.write_metrics(reports, outputs, failures)}")
    if failures:
        typer.echo(f"accuracy gate failed ({gate}):", err=True)
        for failure in failures:
            typer.echo(f"  {failure}", err=True)
        raise typer.Exit(code=1)
    if failures is not None:
        typer.echo(f"accuracy gate passed ({gate})")


@app.command(help="Write the HTML report: OUTPUT/report/index.html (corpus summary) and one page per document. Reads every table of OUTPUT.")
def report(output: OutputOption = None, config: ConfigOption = None, quiet: QuietOption = False) -> None:
    from pipeline.report import build_report

    settings = _settings(config)
    folder = _tables_folder(settings, output)
    display = Display(quiet)
    try:
        with display.progress("report", count_documents(folder)) as advance:
            index = build_report(folder, progress=advance)
    except TableError as exc:
        _fail(str(exc))
    display.console.print(f"wrote {index}", highlight=False, markup=False, soft_wrap=True)


@app.command(help="Run SQL (DuckDB) over the tables of OUTPUT, registered as views named after them: documents, sentences, tokens, entities, quotes, dates, rejects.")
def query(
    sql: Annotated[str, typer.Argument(help='e.g. "SELECT speaker, count(*) FROM quotes GROUP BY 1 ORDER BY 2 DESC"')],
    output: OutputOption = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write the result to FILE.csv or FILE.parquet instead of printing it.")] = None,
    max_rows: Annotated[int, typer.Option("--max-rows", help="Rows printed at most (--out writes them all).")] = 50,
    config: ConfigOption = None,
) -> None:
    from pipeline import query as queries

    if out is not None and out.suffix not in queries.WRITERS:
        _fail(f"--out {out}: expected a .csv or .parquet file")
    folder = _tables_folder(_settings(config), output)
    try:
        result = queries.run_query(sql, folder)
    except (queries.QueryError, TableError) as exc:
        _fail(str(exc))
    note = queries.missing_note(folder)
    if note:
        typer.echo(note, err=True)
    if out is not None:
        queries.write_result(result, out)
        typer.echo(f"wrote {out} ({result.num_rows} rows)")
    else:
        Console().print(queries.result_table(result, max_rows))


def _tables_folder(settings: Settings, output: Optional[Path]) -> Path:
    """The output folder, holding a readable documents table (commands that only read must not create it)."""
    folder = Path(output or settings.raw["paths"]["output"])
    try:
        check_schema(DOCUMENTS, table_path(DOCUMENTS, folder))
    except TableError as exc:
        _fail(str(exc))
    return folder


for _stage in TABLE_STAGES:
    app.command(name=_stage.name)(_table_command(_stage))


def main() -> None:
    """The console script: a usage error is one line on stderr and exit code 2; SIGTERM
    and Ctrl-C stop the run cleanly, with one line and exit code 128 + the signal."""
    stop_on_signals()
    try:
        code = app(standalone_mode=False)
    except Stopped as stop:
        typer.echo(f"error: stopped by {stop}; completed stages and checkpointed batches are kept; the next run resumes from there", err=True)
        code = stop.exit_code
    except click_errors.NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        code = 0
    except click_errors.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "pipeline"
        typer.echo(f"error: {exc.format_message()} (see `{command} --help`)", err=True)
        code = EXIT_USAGE
    except typer.Abort:
        code = 130
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
