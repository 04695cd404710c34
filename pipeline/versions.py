"""A stage's version, derived from its code: nobody has to remember to bump a string.

The version of a stage is a hash of the source of its module and of every module of
the same package that it imports, directly or through another one, read as Python
tokens without comments or blank lines (so a comment edit changes nothing, any code
edit changes it). The engine's own modules are left out: they decide how a stage runs,
not what it writes, and every engine gives the same rows (tested). Lexicons and settings
are hashed per run by ``Settings.stage_fingerprint``; a stage that runs the spaCy model
also hashes the model's name and installed version (``model_identity``).
"""
from __future__ import annotations

import ast
import hashlib
import sys
import tokenize
from functools import lru_cache
from importlib import metadata
from pathlib import Path

# Modules that say how stages run, not what they compute: changing them must not re-run
# every stage on every document. The package's own ``__init__`` is its public facade: it
# imports the API (and through it every stage) lazily, on first use.
ENGINE_MODULES = frozenset({
    "pipeline", "pipeline.engine", "pipeline.config", "pipeline.failures", "pipeline.checkpoints",
    "pipeline.processes", "pipeline.faults", "pipeline.versions", "pipeline.paths", "pipeline.console",
})
IGNORED_TOKENS = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.ENCODING})


@lru_cache(maxsize=None)
def code_version(module: str) -> str:
    """Hash of ``module``'s code and of the modules of its package it imports."""
    digest = hashlib.sha256()
    for name, path in sorted(code_files(module).items()):
        digest.update(f"{name}\n".encode())
        digest.update(_code_tokens(path))
    return digest.hexdigest()[:16]


def code_files(module: str) -> dict[str, Path]:
    """``module`` and, transitively, the modules of its top-level package it imports
    (engine modules excepted): module name -> source file."""
    package = module.split(".")[0]
    root = _package_root(package)
    found: dict[str, Path] = {}
    waiting = [module]
    while waiting:
        name = waiting.pop()
        if name in found or name in ENGINE_MODULES:
            continue
        path = _source(root, name)
        if path is None:
            continue
        found[name] = path
        waiting += [imported for imported in _imports(name, path) if imported.split(".")[0] == package]
    return found


def _package_root(package: str) -> Path:
    loaded = sys.modules.get(package)
    location = getattr(loaded, "__file__", None)
    if location is None:
        raise LookupError(f"{package}: not an imported package with source files; a stage's code must live in one")
    path = Path(location)
    return path.parent.parent if path.name == "__init__.py" else path.parent


def _source(root: Path, name: str) -> Path | None:
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(name: str, path: Path) -> list[str]:
    """Modules named by the import statements of ``path`` (module ``name``); for
    ``from a import b`` both ``a`` and ``a.b`` (the latter is kept only if it is a module)."""
    is_package = path.name == "__init__.py"
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(name, is_package, node.module, node.level)
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names]
    # Importing a.b.c runs a/__init__ and a/b/__init__ too.
    parents = [".".join(parts[:end]) for parts in (n.split(".") for n in names) for end in range(1, len(parts))]
    return names + parents


def _absolute(name: str, is_package: bool, module: str | None, level: int) -> str:
    if not level:
        return module or ""
    parts = name.split(".") if is_package else name.split(".")[:-1]
    base = parts[: len(parts) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _code_tokens(path: Path) -> bytes:
    """The file's Python tokens, comments and blank lines left out."""
    with path.open("rb") as source:
        tokens = [f"{token.type}:{token.string}" for token in tokenize.tokenize(source.readline) if token.type not in IGNORED_TOKENS]
    return "\n".join(tokens).encode("utf-8")


@lru_cache(maxsize=None)
def model_identity(model_name: str) -> str:
    """The model's package name and installed version, and spaCy's: what a parse depends on
    besides our code. Read from the installed distributions, without importing spaCy."""
    return f"{model_name}=={_installed(model_name)}; spacy=={_installed('spacy')}"


def _installed(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"
