"""The analysts' notebook runs headless, on tiny tables, on empty ones, and on the default outputs."""
import os

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from tests import tiny_outputs
from tests.conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
TWIN = ROOT / "notebooks" / "explore.py"
PLOTS = 4  # quotes per speaker, entities per label, timeline, co-mentions


def execute(folder, monkeypatch):
    """Run the notebook with PIPELINE_OUTPUT=folder; return the executed notebook."""
    monkeypatch.setenv("PIPELINE_OUTPUT", str(folder))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return notebook


def outputs(notebook, kind):
    return [o for cell in notebook.cells for o in cell.get("outputs", []) if kind in o.get("data", {})]


def test_notebook_and_its_py_twin_hold_the_same_cells():
    def cells(notebook):
        return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]

    assert cells(nbformat.read(NOTEBOOK, as_version=4)) == cells(jupytext.read(TWIN)), "run `jupytext --sync notebooks/explore.ipynb`"


def test_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert not [cell for cell in notebook.cells if cell.get("outputs") or cell.get("execution_count")]


def test_notebook_on_tiny_tables_draws_every_plot(tmp_path, monkeypatch):
    notebook = execute(tiny_outputs.build(tmp_path / "outputs"), monkeypatch)
    assert len(outputs(notebook, "image/png")) == PLOTS
    shown = "\n".join(o["data"]["text/plain"] for o in outputs(notebook, "text/plain"))
    assert "Jens Stoltenberg" in shown and "2022-02-15" in shown and "clause" in shown
    # The texts analysed in memory: their speakers, dates and mentions.
    assert "Claire Dubois" in shown and "PER:claire dubois" in shown


def test_notebook_survives_empty_tables(tmp_path, monkeypatch):
    notebook = execute(tiny_outputs.build_empty(tmp_path / "outputs"), monkeypatch)
    assert len(outputs(notebook, "image/png")) == PLOTS


@pytest.mark.slow
def test_notebook_on_the_default_outputs(default_outputs, monkeypatch):
    notebook = execute(default_outputs, monkeypatch)
    assert len(outputs(notebook, "image/png")) == PLOTS
