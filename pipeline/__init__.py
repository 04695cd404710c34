"""French news extraction pipeline: raw articles in, analysis-ready Parquet tables out.

From Python (see ``pipeline.api``)::

    import pipeline
    t = pipeline.analyse(["Marie Curie a déclaré lundi : « Nous viendrons. »"])  # tables in memory
    run = pipeline.load("outputs")                                             # the tables of a run
"""

__version__ = "0.1.0"
__all__ = ["analyse", "load", "Tables", "__version__"]

# `import pipeline` stays cheap (the command line imports it for every command): the API,
# with pandas and DuckDB, is imported when first used, and spaCy only when analyse runs.
_API = frozenset({"analyse", "load", "Tables"})


def __getattr__(name: str):
    if name in _API:
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
