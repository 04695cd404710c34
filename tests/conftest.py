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
