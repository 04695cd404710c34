"""A stage's version comes from its code: a code change re-runs that stage for every document."""
import importlib
import sys
import textwrap

import pytest

from pipeline.engine import run_source_stage, run_stage
from pipeline.readers import read_records
from pipeline.stages import SOURCE_STAGE, TABLE_STAGES
from pipeline.versions import code_files, code_version
from tests.conftest import SEEDS

STAGE_MODULE = """
import dataclasses

from pipeline.stages import sentences
from fakestage.rules import MARK


def _prepare(settings):
    split = sentences.STAGE.prepare(settings)
    return lambda frames: split(frames) if MARK else split(frames)


STAGE = dataclasses.replace(sentences.STAGE, prepare=_prepare, code=__name__)
"""


def test_each_stage_is_versioned_by_the_modules_it_imports():
    stages = {stage.name: set(code_files(stage.code)) for stage in (SOURCE_STAGE, *TABLE_STAGES)}
    assert {"pipeline.stages.dates", "pipeline.temporal.grammar", "pipeline.temporal.timex", "pipeline.tables"} <= stages["dates"]
    assert {"pipeline.stages.entities", "pipeline.mentions", "pipeline.names"} <= stages["entities"]
    assert "pipeline.mentions" not in stages["dates"], "dates does not read the entity code"
    assert not any("pipeline.engine" in modules or "pipeline.config" in modules for modules in stages.values()), "how stages run is not what they write"
    assert len({stage.version for stage in (SOURCE_STAGE, *TABLE_STAGES)}) == 1 + len(TABLE_STAGES)


@pytest.fixture
def fake_stage(tmp_path, monkeypatch):
    """A sentence stage whose code lives in a package of its own, which a test may edit."""
    package = tmp_path / "fakestage"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "rules.py").write_text("MARK = True\n", encoding="utf-8")
    (package / "stage.py").write_text(textwrap.dedent(STAGE_MODULE), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield package
    for name in [name for name in sys.modules if name.split(".")[0] == "fakestage"]:
        del sys.modules[name]
    code_version.cache_clear()


def load(package):
    """The stage as a new process would see it after the edit."""
    code_version.cache_clear()
    for name in [name for name in sys.modules if name.split(".")[0] == "fakestage"]:
        del sys.modules[name]
    return importlib.import_module("fakestage.stage").STAGE


def test_a_code_change_reruns_the_stage_for_every_document(fake_stage, settings, tmp_path):
    output = tmp_path / "out"
    run_source_stage(SOURCE_STAGE, read_records([SEEDS]), settings, output)
    stage = load(fake_stage)
    version = stage.version
    assert set(code_files(stage.code)) >= {"fakestage.stage", "fakestage.rules", "fakestage"}
    assert run_stage(stage, settings, output).documents == 5
    assert run_stage(load(fake_stage), settings, output).documents == 0

    # A comment is not code.
    (fake_stage / "rules.py").write_text("# Whether to mark.\nMARK = True\n", encoding="utf-8")
    same = load(fake_stage)
    assert same.version == version
    assert run_stage(same, settings, output).documents == 0

    # A change in a module the stage imports is a change of the stage.
    (fake_stage / "rules.py").write_text("MARK = False\n", encoding="utf-8")
    changed = load(fake_stage)
    assert changed.version != version
    report = run_stage(changed, settings, output)
    assert (report.documents, report.carried) == (5, 0)
