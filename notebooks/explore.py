# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exploring the pipeline's tables
#
# Who said what, about whom, and when: loads the tables of one output folder with
# `pipeline.load` (pandas frames, and DuckDB views of the same tables), looks at the
# quotes with their date and the entities they mention, and plots who is quoted, what is
# mentioned, when, and who talks about whom. The last section analyses two texts in
# memory with `pipeline.analyse`, without writing anything.
#
# The folder is `outputs/` (what `make all` writes); set the environment variable
# `PIPELINE_OUTPUT` to read another one. CI runs this notebook headless (see
# `tests/test_notebook.py`), so every cell must work even when a stage found nothing.
# `notebooks/explore.py` is the jupytext twin of this notebook: edit either, then
# `jupytext --sync notebooks/explore.ipynb`.

# %% tags=["parameters"]
import os
from pathlib import Path

from pipeline.config import PROJECT_ROOT, load_settings

OUTPUT = Path(os.environ.get("PIPELINE_OUTPUT") or PROJECT_ROOT / load_settings().raw["paths"]["output"])
TOP = 15

# %% [markdown]
# ## The tables of a run
#
# `pipeline.load(folder)` gives every table by name (`run.quotes`, `run["dates"]`), read
# into pandas when first used, with the schema checked; a table a stage has not written
# yet is an empty frame with the right columns, named in `run.missing`. Column meanings
# are in `docs/tables.md` and in each Parquet file's field metadata.

# %%
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

import pipeline

run = pipeline.load(OUTPUT)
print(f"output folder: {OUTPUT}")
if run.missing:
    print(f"not written yet (read as empty): {', '.join(run.missing)}")
pd.DataFrame({"rows": {name: len(run[name]) for name in run if name != "tokens"}})

# %% [markdown]
# ## The same tables, with DuckDB
#
# `run.db` is an in-memory DuckDB where each table is a view named after it, the same
# views `pipeline query "SELECT ..."` uses; `run.sql(...)` returns a DataFrame.

# %%
run.sql("SELECT label, count(*) AS mentions, count(DISTINCT entity_key) AS entities FROM entities GROUP BY label ORDER BY mentions DESC")

# %% [markdown]
# ## Who said what, and when
#
# `quote_dates` dates each quote: by the first date of the clause that reports it
# (`dated_by = 'clause'`, "a déclaré vendredi"), else by its document's publication date
# (`'publication'`); `date_start`..`date_end` are the days that date may cover.
# `quote_mentions` lists the entities each quote names, its speaker never among them.

# %%
said = run.sql(
    """
    SELECT q.speaker, q.speaker_label, q.entity_key AS speaker_key, q.cue, q.kind,
           d.dated_by, d.value AS date_value, d.date_start, d.date_end,
           (SELECT string_agg(DISTINCT e.canonical, ', ')
              FROM quote_mentions m JOIN entities e USING (doc_id, ent_id)
             WHERE m.doc_id = q.doc_id AND m.quote_id = q.quote_id) AS mentions,
           q.doc_id, q.quote_id, q.text
    FROM quotes q LEFT JOIN quote_dates d USING (doc_id, quote_id)
    ORDER BY d.date_start NULLS LAST, q.doc_id, q.quote_id
    """
)
said.head(10)


# %% [markdown]
# ## Plots
#
# Each plot says so when there is nothing to draw rather than failing.

# %%
def nothing_to_show(ax, title):
    ax.set_title(title)
    ax.text(0.5, 0.5, "nothing to show", ha="center", va="center", transform=ax.transAxes, color="grey")
    ax.set_xticks([])
    ax.set_yticks([])


def horizontal_bars(counts, title, xlabel):
    fig, ax = plt.subplots(figsize=(8, 0.35 * max(len(counts), 4) + 1))
    if counts.empty:
        nothing_to_show(ax, title)
    else:
        counts.iloc[::-1].plot.barh(ax=ax, color="#5b8def")
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    plt.show()


# %%
named = said[said["speaker_label"].isin(["PER", "ORG", "LOC"])]
horizontal_bars(named["speaker"].value_counts().head(TOP), f"Quotes per named speaker (top {TOP})", "quotes")

# %%
horizontal_bars(run.entities["label"].value_counts(), "Entity mentions per label", "mentions")

# %%
fig, ax = plt.subplots(figsize=(9, 3.5))
starts, ends = pd.to_datetime(said["date_start"]), pd.to_datetime(said["date_end"])
# A quote falls in a month when every day its date may cover does ("2022" covers a year: left out).
monthly = starts[starts.notna() & (starts.dt.to_period("M") == ends.dt.to_period("M"))]
if monthly.empty:
    nothing_to_show(ax, "Quotes by date")
else:
    # Months while they fit on a page; years for a corpus spanning decades.
    step, step_name = ("M", "month") if (monthly.max() - monthly.min()).days <= 3 * 366 else ("Y", "year")
    counts = monthly.dt.to_period(step).value_counts().sort_index()
    counts = counts.reindex(pd.period_range(counts.index.min(), counts.index.max(), freq=step), fill_value=0)
    ax.bar(counts.index.to_timestamp(), counts.to_numpy(), width=0.8 * (counts.index[0].end_time - counts.index[0].start_time).days, align="edge", color="#e0a800")
    ax.set_title(f"Quotes by {step_name} (clause date, else publication date)")
    ax.set_ylabel("quotes")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
fig.autofmt_xdate()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Who talks about whom
#
# Speakers x the entities their quotes mention: how many of a named speaker's quotes
# name each entity (from `quote_mentions`, so the speaker's own name is never counted).

# %%
about = run.sql(
    """
    SELECT q.speaker, e.canonical AS entity, count(DISTINCT (m.doc_id, m.quote_id)) AS quotes
    FROM quote_mentions m
    JOIN quotes q USING (doc_id, quote_id)
    JOIN entities e ON e.doc_id = m.doc_id AND e.ent_id = m.ent_id
    WHERE q.entity_key IS NOT NULL
    GROUP BY ALL
    """
)
grid = about.pivot_table(index="speaker", columns="entity", values="quotes", aggfunc="sum", fill_value=0)
if not grid.empty:
    grid = grid.loc[grid.sum(axis=1).nlargest(TOP).index, grid.sum(axis=0).nlargest(TOP).index]

fig, ax = plt.subplots(figsize=(10, 0.4 * max(len(grid), 4) + 2))
if grid.empty:
    nothing_to_show(ax, "Speakers x entities they mention")
else:
    image = ax.imshow(grid.to_numpy(), cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(grid.columns)), grid.columns, rotation=60, ha="right")
    ax.set_yticks(range(len(grid.index)), grid.index)
    ax.set_title("Speakers x entities their quotes mention (quotes)")
    fig.colorbar(image, ax=ax, label="quotes")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Inputs that did not make it

# %%
run.rejects.groupby(["stage", "reason"]).size().rename("inputs").reset_index() if len(run.rejects) else "no rejected inputs"

# %% [markdown]
# ## A few texts, analysed in memory
#
# `pipeline.analyse` runs every stage on texts (one article per string, read as a .txt
# file is), records (`{"id", "text", "date", ...}`) or `pathlib.Path`s, and
# returns the same tables as `pipeline.load`, in memory: nothing is written to disk. The
# model is loaded on the first call and kept for the next ones.

# %%
sample = pipeline.analyse([
    {"id": "sample-1", "date": "2024-06-14", "text": "Un musée pour Nantes\n\n« Le chantier commencera en septembre », a déclaré mercredi Claire Dubois, adjointe à la culture."},
    {"id": "sample-2", "date": "2024-06-20", "text": "Le musée contesté\n\n« Claire Dubois a sous-estimé le coût du musée », a affirmé jeudi Hugo Martin."},
])
sample.sql(
    """
    SELECT q.speaker, d.dated_by, d.value AS date_value, string_agg(m.entity_key, ', ') AS mentions, q.text
    FROM quotes q JOIN quote_dates d USING (doc_id, quote_id) LEFT JOIN quote_mentions m USING (doc_id, quote_id)
    GROUP BY ALL ORDER BY q.speaker
    """
)
