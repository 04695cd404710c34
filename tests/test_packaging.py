"""A normal (not editable) `pip install .` works from any folder: the defaults and lexicons
are package data, nothing is looked for beside the source tree, nothing is written into
site-packages."""
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_folder_is_declared():
    declared = set(PYPROJECT["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in [ROOT / "pipeline", *(ROOT / "pipeline").rglob("*")]
        if folder.is_dir() and "__pycache__" not in folder.parts and any(folder.glob("*.py"))
    }
    assert declared == folders | {"pipeline.configs"}
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {"pipeline.configs": "configs"}


def _copy_source(destination: Path) -> Path:
    """What a clean clone has for building the package (build files stay out of the checkout)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    destination.mkdir()
    shutil.copy(ROOT / "pyproject.toml", destination)
    for folder in ("pipeline", "configs"):
        shutil.copytree(ROOT / folder, destination / folder, ignore=ignore)
    return destination


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the package installed normally: ``pip install --no-index .``.

    Its dependencies are this environment's (a .pth file puts its site-packages after the
    venv's own), so nothing is downloaded and the package itself comes only from the wheel."""
    scratch = tmp_path_factory.mktemp("install")
    environment = scratch / "venv"
    venv.create(environment, with_pip=False, symlinks=True)
    python = environment / "bin" / "python"
    purelib = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True, text=True, check=True).stdout.strip())
    (purelib / "dependencies-of-the-test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    source = _copy_source(scratch / "source")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-index", "--no-build-isolation", str(source)]
    result = subprocess.run(install, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    shutil.rmtree(source)  # the installed copy must stand alone
    return environment


def run(environment: Path, *command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = f"{environment / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(list(command), cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_installed_package_holds_its_settings_and_lexicons(installed, tmp_path):
    code = (
        "import pipeline, pipeline.config as c; from importlib.resources import files;"
        "print(pipeline.__file__); print(c.default_config_dir());"
        "print(sorted(str(p.relative_to(c.default_config_dir())) for p in c.default_config_dir().rglob('*') if p.is_file() and '__pycache__' not in p.parts))"
    )
    result = run(installed, "python", "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    module, config_dir, files = result.stdout.splitlines()
    assert module.startswith(str(installed)) and config_dir.startswith(str(installed))
    shipped = sorted(str(path.relative_to(ROOT / "configs")) for path in (ROOT / "configs").rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    assert files == str(shipped)


@pytest.mark.slow
def test_installed_command_runs_from_another_folder(installed, tmp_path):
    corpus = Path(shutil.copytree(SEEDS, tmp_path / "corpus"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(installed, "pipeline", "run", "--input", str(corpus), "--output", "out", "--quiet", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("documents read 5, written 5, rejected 0")
    assert all((elsewhere / "out" / f"{name}.parquet").exists() for name in ("documents", "sentences", "tokens", "entities", "quotes", "dates"))

    assert run(installed, "pipeline", "validate", "--output", "out", cwd=elsewhere).returncode == 0
    dictionary = run(installed, "pipeline", "dictionary", cwd=elsewhere)
    assert dictionary.returncode == 0 and (elsewhere / "docs" / "tables.md").is_file()
    assert not list(installed.rglob("tables.md")), "nothing is written into the installed package"


@pytest.mark.slow
def test_installed_module_help_and_usage_errors(installed, tmp_path):
    help_text = run(installed, "python", "-m", "pipeline", "--help", cwd=tmp_path)
    assert help_text.returncode == 0 and "run" in help_text.stdout and "Usage: python -m pipeline" in help_text.stdout

    typo = tmp_path / "typo.toml"
    typo.write_text("[engine]\nworkerz = 2\n", encoding="utf-8")
    result = run(installed, "pipeline", "run", "--input", str(SEEDS), "--config", str(typo), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: {typo}: [engine] workerz is not a setting; did you mean workers?"]

    no_input = run(installed, "pipeline", "run", cwd=tmp_path)
    assert no_input.returncode == 2 and len(no_input.stderr.splitlines()) == 1 and "pass --input" in no_input.stderr
    assert not (tmp_path / "outputs").exists()
