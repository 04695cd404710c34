"""Loading what a stage needs (the model, lexicons) is timed apart from the stage's work:
the run summary shows it as its own row, not inside `sentences` or `entities`."""
import dataclasses
import time

import pytest

from pipeline.engine import InProcess, ProcessPool, run_stage
from pipeline.stages import TABLE_STAGES
from tests import tiny_outputs

SENTENCE_STAGE = next(stage for stage in TABLE_STAGES if stage.name == "sentences")
LOAD_SECONDS = 5.0


class Clock:
    """time.perf_counter that moves only when a test says so."""

    now = 100.0

    def __call__(self) -> float:
        return self.now


CLOCK = Clock()


def loading_prepare(settings):
    """The sentence stage's prepare, taking LOAD_SECONDS of the test clock."""
    CLOCK.now += LOAD_SECONDS
    return SENTENCE_STAGE.prepare(settings)


LOADING_SENTENCES = dataclasses.replace(SENTENCE_STAGE, prepare=loading_prepare)


def slow_prepare(settings):
    """The sentence stage's prepare, slow as a model is (in the pool's fork server)."""
    time.sleep(1.0)
    return SENTENCE_STAGE.prepare(settings)


# Marked as a model's stage: a stage without the model does not wait for the pool
# (it runs in the main process while the fork server prepares the others).
SLOW_SENTENCES = dataclasses.replace(SENTENCE_STAGE, prepare=slow_prepare, uses_model=True)
SLOW_SENTENCES_WITHOUT_MODEL = dataclasses.replace(SENTENCE_STAGE, prepare=slow_prepare)


def test_preparing_a_stage_is_load_time_not_stage_time(settings, tmp_path, monkeypatch):
    folder = tiny_outputs.build(tmp_path / "outputs")
    monkeypatch.setattr(time, "perf_counter", CLOCK)
    report = run_stage(LOADING_SENTENCES, settings, folder, executor=InProcess(), force=True)
    assert report.documents == len(tiny_outputs.TEXTS)
    assert (report.load_seconds, report.seconds) == (LOAD_SECONDS, 0.0)
    again = run_stage(LOADING_SENTENCES, settings, folder, executor=InProcess(), force=True)
    assert again.load_seconds == 0.0, "prepared once per process"


def run_in_warmed_pool(settings, tmp_path, stage):
    """``stage`` run by a pool whose fork server prepares SLOW_SENTENCES: its report, the
    seconds it took, the seconds spent waiting for workers, whether workers were forked."""
    folder = tiny_outputs.build(tmp_path / "outputs")
    small = settings.with_overrides({"engine": {"docs_per_batch": 1}})
    pool = ProcessPool(2)
    try:
        pool.warm(small, [SLOW_SENTENCES])
        started = time.perf_counter()
        report = run_stage(stage, small, folder, executor=pool, force=True)
        elapsed = time.perf_counter() - started
        forked = pool._pool is not None
    finally:
        pool.close()
    return report, elapsed, pool.waited, forked


@pytest.mark.slow
def test_waiting_for_a_warmed_pool_is_load_time(settings, tmp_path):
    report, elapsed, waited, _ = run_in_warmed_pool(settings, tmp_path, SLOW_SENTENCES)
    assert waited > 0 and report.load_seconds >= waited
    assert report.seconds + report.load_seconds <= elapsed


@pytest.mark.slow
def test_a_stage_without_the_model_runs_here_while_the_pool_prepares(settings, tmp_path):
    report, _, waited, forked = run_in_warmed_pool(settings, tmp_path, SLOW_SENTENCES_WITHOUT_MODEL)
    assert report.documents == len(tiny_outputs.TEXTS)
    assert waited == 0.0 and not forked, "no worker was waited for"
