from pathlib import Path

import pytest

from pipeline.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "raw" / "seeds"
TIMEBANK = ROOT / "data" / "raw" / "fr-timebank-dev"
LABELLED = ROOT / "data" / "labelled"


@pytest.fixture(scope="session")
def settings():
    return load_settings()


@pytest.fixture(scope="session")
def entity_model(settings):
    """spaCy with the lexicon ruler, loaded once for every test that needs it."""
    from pipeline.stages.entities import load_model

    return load_model(settings)


@pytest.fixture(scope="session")
def default_outputs(tmp_path_factory):
    """`pipeline run` on the default corpus, once per session, into a temporary folder."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    folder = tmp_path_factory.mktemp("default-outputs")
    result = CliRunner().invoke(app, ["run", "--input", str(ROOT / "data" / "raw"), "--output", str(folder), "--quiet"])
    assert result.exit_code == 0, result.output
    return folder
