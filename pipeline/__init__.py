"""French news extraction pipeline: raw articles in, analysis-ready Parquet tables out."""

__version__ = "0.1.0"
