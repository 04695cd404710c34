"""Imported by the fork server of a local worker pool, which can preload modules but not
call functions: first makes the server die with the run that started it, then prepares
the stages the pool asked for (``ProcessPool.warm``), so every worker forked from the
server starts with them ready."""
from pipeline.processes import fork_server_lifeline

fork_server_lifeline()

from pipeline.engine import prepare_from_environment  # noqa: E402 - after the lifeline: importing takes seconds

prepare_from_environment()
