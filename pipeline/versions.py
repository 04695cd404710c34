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
import json
import os
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
# Reading a module as tokens and imports takes a while (about 1.5 s for every stage):
# what was read is kept, keyed by the module's name and a hash of its bytes (so never
# stale), in a file beside Python's own byte-code cache, when that folder is writable.
CACHE_NAME = "pipeline-code-versions.json"


@lru_cache(maxsize=None)
def code_version(module: str) -> str:
    """Hash of ``module``'s code and of the modules of its package it imports."""
    digest = hashlib.sha256()
    for name, path in sorted(code_files(module).items()):
        digest.update(f"{name}\n{_read(name, path)['tokens']}\n".encode())
    return digest.hexdigest()[:16]


def code_files(module: str) -> dict[str, Path]:
    """``module`` and, transitively, the modules of its top-level package it imports
    (engine modules excepted): module name -> source file."""
    package = module.split(".")[0]
    root = _package_root(package)
    _load_cache(root / package)
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
        waiting += [imported for imported in _read(name, path)["imports"] if imported.split(".")[0] == package]
    _save_cache(root / package)
    return found


_CACHE: dict[str, dict] = {}
_LOADED: set[Path] = set()
_CHANGED: set[str] = set()  # modules read anew by this process
_CURRENT: dict[str, str] = {}  # module -> its cache key, as read by this process


def _read(name: str, path: Path) -> dict:
    """What the version needs of one module: a hash of its tokens, and the modules it imports."""
    source = path.read_bytes()
    key = _CURRENT[name] = f"{name}:{hashlib.sha256(source).hexdigest()}"
    if key not in _CACHE:
        _CACHE[key] = {"tokens": hashlib.sha256(_code_tokens(source)).hexdigest(), "imports": _imports(name, path, source)}
        _CHANGED.add(name)
    return _CACHE[key]


def _cache_file(package_folder: Path) -> Path:
    return package_folder / "__pycache__" / CACHE_NAME


def _load_cache(package_folder: Path) -> None:
    if package_folder in _LOADED:
        return
    _LOADED.add(package_folder)
    try:
        _CACHE.update(json.loads(_cache_file(package_folder).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass


def _save_cache(package_folder: Path) -> None:
    changed = {name for name in _CHANGED if _in_package(name, package_folder.name)}
    if not changed:
        return
    cache = _cache_file(package_folder)
    temporary = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
    # The package's entries, but those of earlier versions of the modules just read.
    kept = {key: value for key, value in _CACHE.items() if _in_package(key, package_folder.name) and _CURRENT.get(key.split(":")[0], key) == key}
    try:
        cache.parent.mkdir(exist_ok=True)
        temporary.write_text(json.dumps(kept), encoding="utf-8")
        os.replace(temporary, cache)
        _CHANGED.difference_update(changed)
    except OSError:  # a read-only installation: the modules are read again next time
        temporary.unlink(missing_ok=True)


def _in_package(name: str, package: str) -> bool:
    return name.split(":")[0].split(".")[0] == package


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


def _imports(name: str, path: Path, source: bytes) -> list[str]:
    """Modules named by the import statements of ``path`` (module ``name``); for
    ``from a import b`` both ``a`` and ``a.b`` (the latter is kept only if it is a module)."""
    is_package = path.name == "__init__.py"
    names: list[str] = []
    for node in ast.walk(ast.parse(source, str(path))):
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


def _code_tokens(source: bytes) -> bytes:
    """The source's Python tokens, comments and blank lines left out."""
    lines = iter(source.splitlines(keepends=True))
    tokens = [f"{token.type}:{token.string}" for token in tokenize.tokenize(lambda: next(lines, b"")) if token.type not in IGNORED_TOKENS]
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
