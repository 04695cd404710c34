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


SLOW_SENTENCES = dataclasses.replace(SENTENCE_STAGE, prepare=slow_prepare)


def test_preparing_a_stage_is_load_time_not_stage_time(settings, tmp_path, monkeypatch):
    folder = tiny_outputs.build(tmp_path / "outputs")
    monkeypatch.setattr(time, "perf_counter", CLOCK)
    report = run_stage(LOADING_SENTENCES, settings, folder, executor=InProcess(), force=True)
    assert report.documents == len(tiny_outputs.TEXTS)
    assert (report.load_seconds, report.seconds) == (LOAD_SECONDS, 0.0)
    again = run_stage(LOADING_SENTENCES, settings, folder, executor=InProcess(), force=True)
    assert again.load_seconds == 0.0, "prepared once per process"


@pytest.mark.slow
def test_waiting_for_a_warmed_pool_is_load_time(settings, tmp_path):
    folder = tiny_outputs.build(tmp_path / "outputs")
    small = settings.with_overrides({"engine": {"docs_per_batch": 1}})
    pool = ProcessPool(2)
    try:
        pool.warm(small, [SLOW_SENTENCES])
        started = time.perf_counter()
        report = run_stage(SLOW_SENTENCES, small, folder, executor=pool, force=True)
        elapsed = time.perf_counter() - started
    finally:
        pool.close()
    assert pool.waited > 0 and report.load_seconds >= pool.waited
    assert report.seconds + report.load_seconds <= elapsed
