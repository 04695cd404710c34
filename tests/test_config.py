"""Settings files are checked against the schema (the defaults and RULES): every mistake is
one line naming the file and the key, exit code 2, before anything runs."""
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import RULES, ConfigError, default_config_dir, default_settings, load_settings, schema_problems

runner = CliRunner()


def problems(text: str, tmp_path, suffix: str = ".toml") -> str:
    """The error load_settings gives for a settings file holding ``text``."""
    path = tmp_path / f"settings{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    message = str(error.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message.removeprefix(f"{path}: ")


@pytest.mark.parametrize(
    "text, message",
    [
        ("[engine]\nworkerz = 2\n", "[engine] workerz is not a setting; did you mean workers?"),
        ("[enigne]\nworkers = 2\n", "[enigne] is not a section; did you mean [engine]?"),
        ("[clean]\nworkers = 2\n", "[clean] workers is not a setting; it is a key of [engine]"),
        ("workers = 2\n", "workers is outside its section; write it under [engine]"),
        ('[engine]\nworkers = "two"\n', '[engine] workers must be an integer, not "two"'),
        ("[engine]\nworkers = -1\n", "[engine] workers must be >= 0, not -1"),
        ("[engine]\nworkers = true\n", "[engine] workers must be an integer, not true"),
        ('[engine]\nkind = "cluster"\n', '[engine] kind must be one of local, dask, not "cluster"'),
        ("[clean]\nlanguage_min_share = 1.5\n", "[clean] language_min_share must be <= 1, not 1.5"),
        ('[paths]\ninput = "data/raw"\n', '[paths] input must be a list of strings, not "data/raw"'),
        ("[paths]\ninput = [1]\n", "[paths] input must be a list of strings, not [1]"),
        ("[dates]\nanchor = 1\n", "[dates] anchor is not a setting; [dates] has holidays, tense"),
        ("engine = 2\n", "[engine] must be a table of settings, not 2"),
    ],
)
def test_each_mistake_is_named_with_its_key(tmp_path, text, message):
    assert problems(text, tmp_path) == message


def test_yaml_files_are_checked_the_same_way(tmp_path):
    assert problems("engine:\n  workers: two\n", tmp_path, ".yaml") == '[engine] workers must be an integer, not "two"'


def test_valid_overrides_merge_over_the_defaults(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("[engine]\nworkers = 3\n[clean]\nlanguage_min_share = 0\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.workers == 3 and settings.raw["clean"]["language_min_share"] == 0
    assert settings.raw["engine"]["docs_per_batch"] == default_settings()["engine"]["docs_per_batch"]
    assert settings.sources == (default_config_dir() / "default.toml", path)


def test_defaults_are_package_data_and_meet_their_own_rules():
    defaults = default_settings()
    assert list(schema_problems(defaults, defaults)) == []
    settings = load_settings()
    for key in ("boilerplate", "function_words"):
        assert settings.lexicon_path("clean", key).is_file()
    assert all(key in defaults[section] for section, key in RULES), "a rule names a key that default.toml lacks"


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--workers", "-1"], "error: --workers must be >= 0, not -1"),
        (["--engine", "cluster"], 'error: --engine must be one of local, dask, not "cluster"'),
    ],
)
def test_options_are_checked_like_settings(tmp_path, arguments, message):
    result = runner.invoke(app, ["run", "--input", str(tmp_path), "--output", str(tmp_path / "out"), *arguments])
    assert result.exit_code == 2 and result.stderr.strip().splitlines() == [message]
    assert not (tmp_path / "out").exists()


def test_a_settings_typo_stops_the_command_before_it_writes(tmp_path):
    settings = tmp_path / "typo.toml"
    settings.write_text("[engine]\nworkerz = 2\n", encoding="utf-8")
    result = runner.invoke(app, ["clean", "--input", str(tmp_path), "--output", str(tmp_path / "out"), "--config", str(settings)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"error: {settings}: [engine] workerz is not a setting; did you mean workers?"]
    assert not (tmp_path / "out").exists()
