"""`make bench`: the pipeline's speed and memory against spaCy's own, locally and on Dask.

Builds a corpus of N articles (the labelled articles repeated under distinct ids), then
measures, each in a fresh process:

- bare ``nlp.pipe`` of the full model over the cleaned texts, ``pipeline run`` with 1 and
  with 2 workers: interleaved (the order turns at each round) and repeated ``--repeat``
  times, so that a burst of other people's load hits every kind of run alike; the
  figures are medians, with their spread (min-max) and the load average beside each;
- a re-run with nothing changed, ``pipeline --help``, and ``make all``'s commands re-run
  on the default corpus with nothing changed;
- the clean stage alone on the Wikinews HTML pages of data/raw, repeated, per 1,000 pages;
- peak memory (resident set of the process and its workers, sampled) and throughput at
  N and at 4N articles with 2 workers;
- a Dask cluster this script starts on 127.0.0.1 (``dask scheduler`` and two ``dask
  worker --nworkers 1 --nthreads 1``): ``pipeline run --engine dask --scheduler ...``,
  its tables compared with the local engine's; then a second Dask run in which one
  worker (its nanny and its process) is killed once the entities stage has finished a
  partition: the run must finish with the same tables, and the extra time is reported;
- from those, the projected wall time for 1,000,000 articles on this machine and with
  each added Dask worker.

Prints the figures and writes outputs/bench.json. Nothing is smoothed: every run is kept
in ``runs`` with the load average (1 min) at its start and end.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq

from pipeline.engine import RUN_SUMMARY, STATE_FOLDER
from pipeline.tables import TABLES, table_path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PIPELINE = [sys.executable, "-m", "pipeline"]
LABELLED = [ROOT / "data" / "labelled" / "seeds.json", ROOT / "data" / "labelled" / "frtb-dev.json"]
HTML_PAGES = ROOT / "data" / "raw" / "wikinews-fr-dev"
PROJECTED_ARTICLES = 1_000_000
# The default N: about 10 minutes for the whole bench on 2 idle cores (the runs are
# repeated, and a fixed cost, imports and model load, comes with each of the ~20 runs).
DEFAULT_ARTICLES = 1000
# One BLAS/OpenMP thread per worker process, as the local engine does.
THREAD_LIMITS = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "NUMEXPR_NUM_THREADS")}

BARE_SPACY = """
import sys, time
import pyarrow.parquet as pq
import spacy
from pipeline.config import load_settings
settings = load_settings()
texts = pq.read_table(sys.argv[1], columns=["text"]).column("text").to_pylist()
nlp = spacy.load(settings.model_name)
started = time.perf_counter()
for doc in nlp.pipe(texts, batch_size=settings.batch_size):
    pass
print(time.perf_counter() - started)
"""


def build_corpus(articles: int, path: Path) -> None:
    """``articles`` records cycling through the labelled articles, each with its own id."""
    sources = [item for file in LABELLED for item in json.loads(file.read_text(encoding="utf-8"))]
    with path.open("w", encoding="utf-8") as out:
        for number in range(articles):
            item = sources[number % len(sources)]
            record = {"id": f"{item['doc_id']}~{number:07d}", "text": item["text"], "date": item.get("published")}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def build_html_pages(pages: int, folder: Path) -> int:
    """At least ``pages`` HTML pages: the Wikinews pages of data/raw, copied under distinct names."""
    originals = sorted(HTML_PAGES.glob("*.html"))
    folder.mkdir(parents=True)
    copies = math.ceil(pages / len(originals))
    for copy in range(copies):
        for page in originals:
            shutil.copyfile(page, folder / f"{page.stem}-{copy:03d}.html")
    return copies * len(originals)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def measured(command: list[str], env: dict[str, str] | None = None, during=None) -> dict:
    """Run a command; wall time, CPU time of its whole process tree, the peak of the summed
    resident memory of the tree (sampled every 50 ms), the load average before and after.
    ``during(elapsed_seconds)`` is called at each sample (the fault row kills a worker there).

    CPU time is reported because the machine is shared: wall time includes waiting for
    other people's processes, CPU time does not."""
    load_before = _load()
    cpu_before = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env or _env())
    parent = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        if during is not None:
            during(time.perf_counter() - started)
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr}")
    return {
        "seconds": seconds, "cpu_seconds": _children_cpu() - cpu_before, "peak_tree_mb": peak / 2**20,
        "load": [load_before, _load()], "stdout": stdout, "stderr": stderr,
    }


def pipeline_run(corpus: Path, output: Path, workers: int = 1, force: bool = False, extra: tuple[str, ...] = (), during=None) -> dict:
    command = [*PIPELINE, "run", "--input", str(corpus), "--output", str(output), "--workers", str(workers), "--quiet", *extra]
    result = measured(command + (["--force"] if force else []), during=during)
    result["stages"] = stage_figures(output)
    return result


def stage_figures(output: Path) -> dict:
    """Per stage of the last command on ``output``: documents processed, seconds of work, seconds of loading."""
    summary = json.loads((output / STATE_FOLDER / RUN_SUMMARY).read_text(encoding="utf-8"))
    return {report["stage"]: {"processed": report["documents"], "seconds": report["seconds"], "load_seconds": report["load_seconds"]} for report in summary}


def clean_run(inputs: Path, output: Path) -> dict:
    """The clean stage alone (`pipeline clean`), from scratch; its own seconds, reading included."""
    result = measured([*PIPELINE, "clean", "--input", str(inputs), "--output", str(output), "--quiet"])
    result["stages"] = stage_figures(output)
    return result


def make_all(output: Path) -> dict:
    """`make all`'s commands, `pipeline run` then `pipeline validate` through the console
    script, on the default corpus (data/raw), writing into ``output`` instead of outputs/."""
    steps = [measured([str(BIN / "pipeline"), "run", "--output", str(output), "--quiet"]), measured([str(BIN / "pipeline"), "validate", "--output", str(output)])]
    return {"seconds": sum(step["seconds"] for step in steps), "cpu_seconds": sum(step["cpu_seconds"] for step in steps), "load": [steps[0]["load"][0], steps[-1]["load"][1]]}


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def summary(runs: list[dict]) -> dict:
    """Median, min and max wall seconds of repeated runs, and the load averages they saw."""
    seconds = [run["seconds"] for run in runs]
    loads = [value for run in runs for value in run["load"]]
    return {
        "median": statistics.median(seconds), "min": min(seconds), "max": max(seconds),
        "spread": (max(seconds) - min(seconds)) / statistics.median(seconds), "runs": seconds,
        "cpu_median": statistics.median(run["cpu_seconds"] for run in runs), "load_min": min(loads), "load_max": max(loads),
    }


def median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]


def words(documents: Path) -> int:
    texts = pq.read_table(documents, columns=["text"]).column("text").to_pylist()
    return sum(len(text.split()) for text in texts)


def tables_differ(folder: Path, reference: Path) -> list[str]:
    """The tables of ``folder`` whose rows differ from ``reference``'s (metadata aside)."""
    different = []
    for spec in TABLES.values():
        ours, theirs = table_path(spec, folder), table_path(spec, reference)
        if ours.exists() != theirs.exists() or (ours.exists() and not pq.read_table(ours).equals(pq.read_table(theirs))):
            different.append(spec.name)
    return different


# --------------------------------------------------------------------------- a Dask cluster of our own


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DaskCluster:
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, started and stopped here."""

    def __init__(self, workers: int, log_folder: Path):
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self._logs = log_folder
        self._logs.mkdir(parents=True, exist_ok=True)
        env = _env(THREAD_LIMITS)
        dask = str(BIN / "dask")
        self.scheduler = self._start("scheduler", [dask, "scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"], env)
        self.workers = [
            self._start(f"worker-{number}", [dask, "worker", self.address, "--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1", "--no-dashboard", "--name", f"bench-{number}"], env)
            for number in range(workers)
        ]
        self._wait_for(workers)

    def _start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self._logs / f"{name}.log").open("w")
        # Its own session: stopping it reaches the nanny and the worker it started.
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env, start_new_session=True)

    def _wait_for(self, workers: int, timeout: float = 180.0) -> None:
        from dask.distributed import Client

        with Client(self.address, timeout=timeout) as client:
            client.wait_for_workers(workers, timeout=timeout)

    def kill_worker(self, number: int) -> int:
        """SIGKILL one worker: its nanny and the worker process, as a machine lost would."""
        process = self.workers[number]
        tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
        for member in reversed(tree):
            try:
                member.kill()
            except psutil.NoSuchProcess:
                pass
        process.wait()
        return len(tree)

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def dask_rows(corpus: Path, work: Path, reference: Path) -> dict:
    """The Dask row and the fault row, each on a fresh cluster of two external workers."""
    extra = ("--engine", "dask")
    cluster = DaskCluster(2, work / "dask-logs" / "plain")
    try:
        plain = pipeline_run(corpus, work / "dask", force=True, extra=(*extra, "--scheduler", cluster.address))
    finally:
        cluster.stop()
    plain["differs"] = tables_differ(work / "dask", reference)

    cluster = DaskCluster(2, work / "dask-logs" / "fault")
    killed: dict = {}
    parts = work / "dask-fault" / "_parts"

    def kill_once_entities_progress(elapsed: float) -> None:
        # Mid-run: the entities stage (the model's) has finished at least one partition.
        if killed or not parts.is_dir():
            return
        if any(folder.name.startswith("entities-") and any(folder.glob("tokens-*.parquet")) for folder in parts.iterdir()):
            killed.update(at_seconds=elapsed, processes=cluster.kill_worker(0))

    try:
        fault = pipeline_run(corpus, work / "dask-fault", force=True, extra=(*extra, "--scheduler", cluster.address), during=kill_once_entities_progress)
    finally:
        cluster.stop()
    fault["differs"] = tables_differ(work / "dask-fault", reference)
    fault["killed"] = killed
    return {"plain": plain, "fault": fault}


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=int, default=DEFAULT_ARTICLES, help=f"N, articles in the corpus (default {DEFAULT_ARTICLES})")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the interleaved runs (bare, 1 worker, 2 workers); at least 3")
    parser.add_argument("--html-pages", type=int, default=1000, help="HTML pages the clean stage reads (data/raw's Wikinews pages, repeated)")
    parser.add_argument("--output", type=Path, default=ROOT / "outputs" / "bench.json")
    args = parser.parse_args()
    if args.repeat < 3:
        parser.error("--repeat must be at least 3: a median of fewer runs says little on a shared machine")
    load_at_start = os.getloadavg()
    bench_started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        work = Path(scratch)
        corpus, corpus_4n = work / "corpus.jsonl", work / "corpus-4n.jsonl"
        build_corpus(args.articles, corpus)
        build_corpus(4 * args.articles, corpus_4n)
        measured([*PIPELINE, "clean", "--input", str(corpus), "--output", str(work / "clean"), "--quiet"])
        documents = work / "clean" / "documents.parquet"
        n_words = words(documents)

        def bare_run() -> dict:
            run = measured([sys.executable, "-c", BARE_SPACY, str(documents)])
            # The script times nlp.pipe alone (model loading excluded): the strictest comparison.
            run["seconds"] = float(run.pop("stdout"))
            return run

        kinds = {"bare_spacy": bare_run, "one_worker": lambda: pipeline_run(corpus, work / "one", 1, force=True), "two_workers": lambda: pipeline_run(corpus, work / "two", 2, force=True)}
        names = list(kinds)
        runs: dict[str, list[dict]] = {name: [] for name in names}
        for round_number in range(args.repeat):
            order = names[round_number % len(names):] + names[:round_number % len(names)]
            for name in order:
                print(f"round {round_number + 1}/{args.repeat}: {name} ({args.articles} articles), load {_load():.2f} ...", flush=True)
                runs[name].append(kinds[name]())
        one, two, bare = (median_run(runs[name]) for name in ("one_worker", "two_workers", "bare_spacy"))

        print("unchanged re-run ...", flush=True)
        rerun_runs = [pipeline_run(corpus, work / "one", 1) for _ in range(3)]
        print("pipeline --help ...", flush=True)
        help_runs = [measured([str(BIN / "pipeline"), "--help"]) for _ in range(5)]
        print("make all, then make all again with nothing changed ...", flush=True)
        make_all(work / "make-all")
        make_all_runs = [make_all(work / "make-all") for _ in range(3)]
        pages = build_html_pages(args.html_pages, work / "html")
        print(f"clean stage on {pages} HTML pages ...", flush=True)
        html_runs = [clean_run(work / "html", work / f"html-out-{number}") for number in range(3)]
        print(f"2 workers at 4N = {4 * args.articles} articles ...", flush=True)
        four = pipeline_run(corpus_4n, work / "four", workers=2, force=True)
        print("Dask: a scheduler and two workers on 127.0.0.1; then the same with one worker killed mid-run ...", flush=True)
        dask = dask_rows(corpus, work, work / "two")

    def wps(seconds: float, scale: int = 1) -> float:
        return scale * n_words / seconds

    medians = {name: summary(values) for name, values in runs.items()}
    paired = {
        "end_to_end_vs_spacy": [b["seconds"] / o["seconds"] for b, o in zip(runs["bare_spacy"], runs["one_worker"])],
        "two_workers_vs_one": [o["seconds"] / t["seconds"] for o, t in zip(runs["one_worker"], runs["two_workers"])],
    }
    rerun, help_figure, make_all_figure = summary(rerun_runs), summary(help_runs), summary(make_all_runs)
    html_clean = [run["stages"]["clean"]["seconds"] * 1000 / pages for run in html_runs]
    two_s, four_s = medians["two_workers"]["median"], four["seconds"]
    throughput_4n_vs_n = (4 * args.articles / four_s) / (args.articles / two_s)
    dask_plain, dask_fault = dask["plain"], dask["fault"]
    dask_vs_local = two_s / dask_plain["seconds"]
    # Projection. A run's wall time is a fixed part (imports, model load, workers) plus
    # the articles at a steady rate; the N and 4N runs (2 workers) give both.
    local_rate = 3 * args.articles / (four_s - two_s) if four_s > two_s else 4 * args.articles / four_s
    local_fixed = max(two_s - args.articles / local_rate, 0.0)
    local_projection = local_fixed + PROJECTED_ARTICLES / local_rate
    # On Dask the clean stage runs in the client, alone; the table stages are shared by the
    # workers. Dask's steady rate is taken as the local one times their measured ratio.
    dask_rate = local_rate * dask_vs_local
    clean_per_article = dask_plain["stages"]["clean"]["seconds"] / args.articles
    dask_fixed = max(dask_plain["seconds"] - args.articles / dask_rate, 0.0)
    table_per_article = max(1 / dask_rate - clean_per_article, 0.0)
    dask_projection = {workers: dask_fixed + PROJECTED_ARTICLES * (clean_per_article + table_per_article * 2 / workers) for workers in (2, 3, 4, 8, 16)}
    stage_total = sum(stage["seconds"] for stage in one["stages"].values())

    figures = {
        "articles": args.articles,
        "words": n_words,
        "cores": os.cpu_count(),
        "repeats": args.repeat,
        "load_average_at_start": load_at_start,
        "load_average_at_end": os.getloadavg(),
        "bench_seconds": time.perf_counter() - bench_started,
        # Ratios of the medians; "paired" gives the same ratio within each round.
        "end_to_end_vs_spacy": medians["bare_spacy"]["median"] / medians["one_worker"]["median"],
        # Same ratio on CPU time of whole processes (imports and model loading included on
        # both sides), which other people's load on a shared machine does not distort.
        "end_to_end_vs_spacy_cpu": medians["bare_spacy"]["cpu_median"] / medians["one_worker"]["cpu_median"],
        "two_workers_vs_one": medians["one_worker"]["median"] / medians["two_workers"]["median"],
        "paired_ratios": {name: {"median": statistics.median(values), "min": min(values), "max": max(values), "rounds": values} for name, values in paired.items()},
        "unchanged_rerun_vs_full": rerun["median"] / medians["one_worker"]["median"],
        # What a user waits for at the prompt: the help, and `make all` when nothing changed.
        "help_s": help_figure["median"],
        "unchanged_make_all_s": make_all_figure["median"],
        "peak_memory_4n_vs_n": four["peak_tree_mb"] / two["peak_tree_mb"],
        "throughput_4n_vs_n": throughput_4n_vs_n,
        "dask_vs_local": dask_vs_local,
        "dask_tables_identical": not dask_plain["differs"],
        "dask_worker_loss_identical": not dask_fault["differs"],
        "dask_worker_loss_extra_s": dask_fault["seconds"] - dask_plain["seconds"],
        "dask_worker_killed": dask_fault["killed"],
        "clean_s_per_1000_html_pages": {"median": statistics.median(html_clean), "min": min(html_clean), "max": max(html_clean), "pages": pages},
        "projection_1m_articles_s": {
            "local_two_workers": local_projection, "local_fixed_s": local_fixed, "local_articles_per_s": local_rate,
            "dask_workers": dask_projection, "dask_client_clean_s_per_article": clean_per_article,
        },
        "words_per_second": {
            "bare_spacy": wps(medians["bare_spacy"]["median"]), "one_worker": wps(medians["one_worker"]["median"]), "two_workers": wps(two_s),
            "unchanged_rerun": wps(rerun["median"]), "two_workers_4n": wps(four_s, 4), "dask_two_workers": wps(dask_plain["seconds"]), "dask_worker_lost": wps(dask_fault["seconds"]),
        },
        "cpu_seconds": {
            "bare_spacy_process": medians["bare_spacy"]["cpu_median"], "one_worker": medians["one_worker"]["cpu_median"], "two_workers": medians["two_workers"]["cpu_median"],
            "unchanged_rerun": rerun["cpu_median"], "two_workers_4n": four["cpu_seconds"], "help": help_figure["cpu_median"], "unchanged_make_all": make_all_figure["cpu_median"],
        },
        "seconds": {
            "bare_spacy": medians["bare_spacy"]["median"], "one_worker": medians["one_worker"]["median"], "two_workers": two_s, "unchanged_rerun": rerun["median"],
            "two_workers_4n": four_s, "dask_two_workers": dask_plain["seconds"], "dask_worker_lost": dask_fault["seconds"],
        },
        "spread": {**medians, "unchanged_rerun": rerun, "help": help_figure, "unchanged_make_all": make_all_figure},
        "load": {
            "two_workers_4n": four["load"], "dask_two_workers": dask_plain["load"], "dask_worker_lost": dask_fault["load"],
            "clean_html": [value for run in html_runs for value in run["load"]],
        },
        "peak_memory_mb": {"n": two["peak_tree_mb"], "4n": four["peak_tree_mb"], "one_worker_n": one["peak_tree_mb"]},
        "stage_share_one_worker": {name: stage["seconds"] / stage_total for name, stage in one["stages"].items()},
        "stages": {"one_worker": one["stages"], "two_workers": two["stages"], "unchanged_rerun": rerun_runs[0]["stages"], "dask_two_workers": dask_plain["stages"], "dask_worker_lost": dask_fault["stages"]},
        "runs": {name: [{"seconds": run["seconds"], "cpu_seconds": run["cpu_seconds"], "load": run["load"]} for run in values] for name, values in runs.items()},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print_figures(figures)
    print(f"wrote {args.output} ({figures['bench_seconds'] / 60:.1f} min)")


def _spread(figure: dict) -> str:
    return f"median {figure['median']:.2f} s, min {figure['min']:.2f}, max {figure['max']:.2f} (spread {figure['spread']:.0%}); load {figure['load_min']:.2f}-{figure['load_max']:.2f}"


def _loads(values: list[float]) -> str:
    return f"load {min(values):.2f}-{max(values):.2f}"


def print_figures(figures: dict) -> None:
    spread, load = figures["spread"], figures["load"]
    print(f"\n{figures['articles']} articles, {figures['words']} words, {figures['cores']} cores, {figures['repeats']} interleaved rounds; "
          f"load average {figures['load_average_at_start'][0]:.2f} at start, {figures['load_average_at_end'][0]:.2f} at end")
    for name in ("bare_spacy", "one_worker", "two_workers"):
        print(f"  {name:<18} {figures['words_per_second'][name]:9.0f} words/s   {_spread(spread[name])}")
    print(f"  {'two_workers_4n':<18} {figures['words_per_second']['two_workers_4n']:9.0f} words/s   {figures['seconds']['two_workers_4n']:.2f} s, {_loads(load['two_workers_4n'])}")
    print(f"  {'dask_two_workers':<18} {figures['words_per_second']['dask_two_workers']:9.0f} words/s   {figures['seconds']['dask_two_workers']:.2f} s, {_loads(load['dask_two_workers'])}")
    print(f"  {'dask_worker_lost':<18} {figures['words_per_second']['dask_worker_lost']:9.0f} words/s   {figures['seconds']['dask_worker_lost']:.2f} s, {_loads(load['dask_worker_lost'])}")
    print("  CPU seconds (whole process tree, medians): " + ", ".join(f"{name} {value:.1f}" for name, value in figures["cpu_seconds"].items()))
    paired = figures["paired_ratios"]
    print(f"  end-to-end / bare spaCy     {figures['end_to_end_vs_spacy']:.3f} (target >= 0.95; per round {paired['end_to_end_vs_spacy']['min']:.3f}-{paired['end_to_end_vs_spacy']['max']:.3f}; CPU time of whole processes {figures['end_to_end_vs_spacy_cpu']:.3f})")
    print(f"  2 workers / 1 worker        {figures['two_workers_vs_one']:.3f} (target >= 1.85; per round {paired['two_workers_vs_one']['min']:.3f}-{paired['two_workers_vs_one']['max']:.3f})")
    print(f"  unchanged re-run / full     {figures['unchanged_rerun_vs_full']:.3f} ({_spread(spread['unchanged_rerun'])})")
    print(f"  unchanged make all          {figures['unchanged_make_all_s']:.2f} s (target < 3 s; {_spread(spread['unchanged_make_all'])})")
    print(f"  pipeline --help             {figures['help_s']:.2f} s (target < 1 s; {_spread(spread['help'])})")
    print(f"  peak memory 4N / N          {figures['peak_memory_4n_vs_n']:.3f} ({figures['peak_memory_mb']['4n']:.0f} / {figures['peak_memory_mb']['n']:.0f} MB, 2 workers, whole process tree; target <= 1.10)")
    print(f"  throughput 4N / N           {figures['throughput_4n_vs_n']:.3f} (2 workers; target >= 0.95)")
    print(f"  Dask 2 workers / local 2    {figures['dask_vs_local']:.3f} (target >= 0.90); tables identical to the local engine's: {figures['dask_tables_identical']}")
    killed = figures["dask_worker_killed"]
    killed_at = f"killed at {killed['at_seconds']:.1f} s" if killed else "NOT killed: the run ended before entities finished a partition"
    print(f"  Dask, one worker lost       tables identical: {figures['dask_worker_loss_identical']}; extra time {figures['dask_worker_loss_extra_s']:+.2f} s ({killed_at})")
    html = figures["clean_s_per_1000_html_pages"]
    print(f"  clean stage, HTML pages     {html['median']:.2f} s per 1,000 pages (min {html['min']:.2f}, max {html['max']:.2f}; {html['pages']} pages; {_loads(load['clean_html'])})")
    projection = figures["projection_1m_articles_s"]
    print(f"  projected, 1,000,000 articles: this machine (2 local workers) {projection['local_two_workers'] / 3600:.1f} h "
          f"({projection['local_articles_per_s']:.1f} articles/s after {projection['local_fixed_s']:.0f} s of fixed cost); Dask, one worker per core: "
          + ", ".join(f"{workers} workers {seconds / 3600:.1f} h" for workers, seconds in projection["dask_workers"].items())
          + f" (the clean stage, in the client, alone takes {projection['dask_client_clean_s_per_article'] * 1e6 / 3600:.1f} h)")
    print("  share of time per stage (1 worker): " + ", ".join(f"{name} {share:.0%}" for name, share in figures["stage_share_one_worker"].items()))


if __name__ == "__main__":
    main()
