# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exploring the pipeline's tables
#
# Loads the Parquet tables of one output folder with pandas and with DuckDB, joins
# quotes to their speakers' entities and to the dates of their documents, and plots
# who is quoted, what is mentioned, and when.
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
# ## The tables, with pandas
#
# `read_or_empty` is `pandas.read_parquet` with the schema checked, and an empty frame
# with the right columns when a stage has not written its table yet. Column meanings
# are in `docs/tables.md` and in each Parquet file's field metadata.

# %%
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from pipeline.query import connect, missing_tables, read_or_empty
from pipeline.tables import TABLES

frames = {name: read_or_empty(spec, OUTPUT) for name, spec in TABLES.items() if name != "tokens"}
documents, entities, quotes, dates, rejects = (frames[n] for n in ("documents", "entities", "quotes", "dates", "rejects"))
print(f"output folder: {OUTPUT}")
if missing_tables(OUTPUT):
    print(f"not written yet (read as empty): {', '.join(missing_tables(OUTPUT))}")
pd.DataFrame({"rows": {name: len(frame) for name, frame in frames.items()}})

# %% [markdown]
# ## The same tables, with DuckDB
#
# `connect` opens an in-memory DuckDB where each table is a view named after it, the
# same views `pipeline query "SELECT ..."` uses.

# %%
db = connect(OUTPUT)
db.sql("SELECT label, count(*) AS mentions, count(DISTINCT entity_key) AS entities FROM entities GROUP BY label ORDER BY mentions DESC").df()

# %% [markdown]
# ## Quotes with their speaker's entity and a date
#
# A quote's `entity_key` is the key of its speaker when the speaker is a named entity;
# joining it to `entities` gives the entity's label and how often it is mentioned in
# the corpus. A quote is dated by the first temporal expression with a known day in its
# sentence, or else by its document's publication date (padded to its first day when
# only the month or year is known).

# %%
quotes_dated = db.sql(
    """
    WITH speakers AS (
        SELECT entity_key, any_value(label) AS entity_label, count(*) AS corpus_mentions
        FROM entities GROUP BY entity_key
    ),
    sentence_dates AS (
        SELECT doc_id, sent_id, arg_min(date_start, date_id) AS sentence_date
        FROM dates WHERE date_start IS NOT NULL GROUP BY doc_id, sent_id
    ),
    published AS (
        SELECT doc_id, published, TRY_CAST(CASE length(published)
            WHEN 4 THEN published || '-01-01' WHEN 7 THEN published || '-01' ELSE published END AS DATE) AS published_date
        FROM documents
    )
    SELECT q.doc_id, q.quote_id, q.kind, q.speaker, q.speaker_label, q.cue, q.entity_key,
           s.entity_label, s.corpus_mentions, p.published,
           coalesce(d.sentence_date, p.published_date) AS quote_date,
           CASE WHEN d.sentence_date IS NOT NULL THEN 'sentence'
                WHEN p.published_date IS NOT NULL THEN 'publication' END AS dated_by,
           q.text
    FROM quotes q
    JOIN published p USING (doc_id)
    LEFT JOIN speakers s USING (entity_key)
    LEFT JOIN sentence_dates d ON d.doc_id = q.doc_id AND d.sent_id = q.sent_id
    ORDER BY q.doc_id, q.quote_id
    """
).df()
quotes_dated.head(10)


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
horizontal_bars(quotes["speaker"].dropna().value_counts().head(TOP), f"Quotes per speaker (top {TOP})", "quotes")

# %%
horizontal_bars(entities["label"].value_counts(), "Entity mentions per label", "mentions")

# %%
fig, ax = plt.subplots(figsize=(9, 3.5))
timeline = quotes_dated.dropna(subset=["quote_date"])
if timeline.empty:
    nothing_to_show(ax, "Quotes by date")
else:
    days = pd.to_datetime(timeline["quote_date"])
    # Months while they fit on a page; years for a corpus spanning decades.
    step, step_name = ("M", "month") if (days.max() - days.min()).days <= 3 * 366 else ("Y", "year")
    counts = days.dt.to_period(step).value_counts().sort_index()
    counts = counts.reindex(pd.period_range(counts.index.min(), counts.index.max(), freq=step), fill_value=0)
    starts = counts.index.to_timestamp()
    ax.bar(starts, counts.to_numpy(), width=0.8 * (counts.index[0].end_time - counts.index[0].start_time).days, align="edge", color="#e0a800")
    ax.set_title(f"Quotes by {step_name} (sentence date, else publication date)")
    ax.set_ylabel("quotes")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
fig.autofmt_xdate()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Who talks about whom
#
# Speaker x entity co-mentions: in how many documents a speaker who is a named entity
# is quoted while the entity is mentioned (the speaker's own entity left out).

# %%
co_mentions = db.sql(
    """
    SELECT q.speaker, e.canonical AS entity, count(DISTINCT q.doc_id) AS documents
    FROM quotes q
    JOIN entities e ON e.doc_id = q.doc_id AND e.entity_key IS DISTINCT FROM q.entity_key
    WHERE q.entity_key IS NOT NULL
    GROUP BY ALL
    """
).df()
grid = co_mentions.pivot_table(index="speaker", columns="entity", values="documents", aggfunc="sum", fill_value=0)
if not grid.empty:
    grid = grid.loc[grid.sum(axis=1).nlargest(TOP).index, grid.sum(axis=0).nlargest(TOP).index]

fig, ax = plt.subplots(figsize=(10, 0.4 * max(len(grid), 4) + 2))
if grid.empty:
    nothing_to_show(ax, "Speaker x entity co-mentions")
else:
    image = ax.imshow(grid.to_numpy(), cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(grid.columns)), grid.columns, rotation=60, ha="right")
    ax.set_yticks(range(len(grid.index)), grid.index)
    ax.set_title("Speaker x entity co-mentions (documents)")
    fig.colorbar(image, ax=ax, label="documents")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Inputs that did not make it

# %%
rejects.groupby(["stage", "reason"]).size().rename("inputs").reset_index() if len(rejects) else "no rejected inputs"
