"""Imported by the fork server of a local worker pool, which can preload modules but not
call functions: prepares the stages the pool asked for (``ProcessPool.warm``), so every
worker forked from the server starts with them ready."""
from pipeline.engine import prepare_from_environment

prepare_from_environment()
