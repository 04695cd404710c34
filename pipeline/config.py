"""Settings: the defaults (``configs/default.toml``), with a ``--config`` file merged over
them, checked, as one typed Settings object passed down to every stage.

The defaults and lexicons are package data (``configs/`` installed as the resource
package ``pipeline.configs``), read with importlib.resources: the same files whether the
package is installed normally or in editable mode, whatever the current folder.

The schema is the defaults themselves: default.toml names every section and key, and
each key's default value gives its type; ``RULES`` adds the ranges and choices a type
cannot say. A section or key the defaults do not name, a value of another type or out of
range is a ConfigError naming the file, the key and what was expected.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml

# The source checkout's root, for the notebook (notebooks/explore.py) that runs from one;
# the package itself reads nothing through it (an installed copy has no checkout).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_PACKAGE = "pipeline.configs"
DEFAULT_FILE = "default.toml"


class ConfigError(Exception):
    """The configuration file is missing, unreadable or inconsistent."""


def default_config_dir() -> Path:
    """The folder of the default settings and lexicons (``configs/`` of the source tree)."""
    return Path(str(resources.files(CONFIG_PACKAGE)))


@dataclass(frozen=True)
class Rule:
    """What a setting accepts beyond the type of its default value."""

    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    def problem(self, value: Any) -> str | None:
        if self.choices and value not in self.choices:
            return f"must be one of {', '.join(self.choices)}"
        if self.minimum is not None and value < self.minimum:
            return f"must be >= {self.minimum}"
        if self.maximum is not None and value > self.maximum:
            return f"must be <= {self.maximum}"
        return None


# (section, key) -> rule; every key named here is in default.toml (a test checks it).
RULES: dict[tuple[str, str], Rule] = {
    ("model", "batch_size"): Rule(minimum=1),
    ("model", "lasting_words"): Rule(minimum=0),
    ("model", "keep_freed_mb"): Rule(minimum=0),
    ("engine", "kind"): Rule(choices=("local", "dask")),
    ("engine", "workers"): Rule(minimum=0),
    ("engine", "docs_per_batch"): Rule(minimum=1),
    ("clean", "max_bytes"): Rule(minimum=0),
    ("clean", "language_min_words"): Rule(minimum=0),
    ("clean", "language_min_share"): Rule(minimum=0, maximum=1),
}

# What a value of each default's type must be, said in messages.
_TYPE_NAMES = {bool: "true or false", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}
_ITEM_NAMES = {bool: "booleans", int: "integers", float: "numbers", str: "strings"}


def _shown(value: Any) -> str:
    """A value as it is written in a TOML file."""
    if value is None:
        return "nothing"
    return json.dumps(value, ensure_ascii=False, default=str)


def _type_problem(default: Any, value: Any) -> str | None:
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return None
    if isinstance(value, expected) and (expected is bool or not isinstance(value, bool)):
        if expected is list and default and not all(isinstance(item, type(default[0])) for item in value):
            return f"must be a list of {_ITEM_NAMES[type(default[0])]}"
        return None
    if expected is list and default:
        return f"must be a list of {_ITEM_NAMES[type(default[0])]}"
    return f"must be {_TYPE_NAMES.get(expected, expected.__name__)}"


def _close(name: str, names: list[str]) -> str | None:
    matches = difflib.get_close_matches(name, names, n=1)
    return matches[0] if matches else None


def setting_problem(section: str, key: str, value: Any, defaults: Mapping[str, Any] | None = None) -> str | None:
    """Why ``value`` is not a valid ``[section] key`` ("must be >= 0, not -1"), or None."""
    default = (defaults or default_settings())[section][key]
    problem = _type_problem(default, value)
    if problem is None and not isinstance(value, (list, dict)):
        problem = RULES.get((section, key), Rule()).problem(value)
    return f"{problem}, not {_shown(value)}" if problem else None


def schema_problems(values: Mapping[str, Any], defaults: Mapping[str, Any]) -> Iterator[str]:
    """Every way ``values`` (a parsed settings file) strays from the schema, one line each."""
    for section, keys in values.items():
        if section not in defaults:
            guess = _close(section, list(defaults))
            holder = [name for name, known in defaults.items() if isinstance(known, dict) and section in known]
            if holder and not isinstance(keys, dict):
                yield f"{section} is outside its section; write it under [{holder[0]}]"
                continue
            hint = f"did you mean [{guess}]?" if guess else (f"it is a key of [{holder[0]}]" if holder else f"sections: {', '.join(defaults)}")
            yield f"[{section}] is not a section; {hint}"
            continue
        if not isinstance(keys, dict):
            yield f"[{section}] must be a table of settings, not {_shown(keys)}"
            continue
        known = defaults[section]
        for key, value in keys.items():
            if key not in known:
                guess = _close(key, list(known))
                others = [name for name, entries in defaults.items() if isinstance(entries, dict) and key in entries]
                hint = f"did you mean {guess}?" if guess else (f"it is a key of [{others[0]}]" if others else f"[{section}] has {', '.join(known) or 'no settings'}")
                yield f"[{section}] {key} is not a setting; {hint}"
            elif problem := setting_problem(section, key, value, defaults):
                yield f"[{section}] {key} {problem}"


def _load_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError(f"{path}: configuration file not found")
    if not path.is_file():
        raise ConfigError(f"{path}: not a file")
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix in {".yaml", ".yml"}:
            data = yaml.safe_load(text) or {}
        else:
            data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid {path.suffix.lstrip('.') or 'toml'} ({str(exc).splitlines()[0]})") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of sections")
    return data


@lru_cache(maxsize=1)
def _default_text() -> str:
    return (default_config_dir() / DEFAULT_FILE).read_text(encoding="utf-8")


def default_settings() -> dict[str, Any]:
    """The defaults, which are also the schema; a fresh copy each call."""
    return tomllib.loads(_default_text())


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@dataclass(frozen=True)
class Settings:
    """All settings; ``section(name)`` gives one stage's raw mapping."""

    raw: dict[str, Any]
    config_dir: Path
    sources: tuple[Path, ...] = field(default_factory=tuple)

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.raw.get(name, {}))

    def lexicon_path(self, section: str, key: str) -> Path:
        value = self.raw.get(section, {}).get(key)
        if not value:
            raise ConfigError(f"[{section}] {key} is not set")
        path = Path(value)
        return path if path.is_absolute() else self.config_dir / path

    @property
    def model_name(self) -> str:
        return str(self.raw["model"]["name"])

    @property
    def batch_size(self) -> int:
        return int(self.raw["model"]["batch_size"])

    @property
    def lasting_words(self) -> int:
        return int(self.raw["model"]["lasting_words"])

    @property
    def keep_freed_mb(self) -> int:
        return int(self.raw["model"].get("keep_freed_mb", 0))

    @property
    def workers(self) -> int:
        workers = int(self.raw["engine"].get("workers", 0))
        return workers if workers > 0 else (os.cpu_count() or 1)

    @property
    def docs_per_batch(self) -> int:
        return int(self.raw["engine"]["docs_per_batch"])

    def stage_fingerprint(self, stage: str) -> str:
        """Hash of a stage's settings and the content of the lexicon files they name
        (relative to configs/ or absolute). The model is the engine's concern (``Stage.uses_model``)."""
        section = self.section(stage)
        payload: dict[str, Any] = {"settings": section, "lexicons": {}}
        for key, value in sorted(section.items()):
            if isinstance(value, str) and value and self.lexicon_path(stage, key).is_file():
                payload["lexicons"][key] = self.lexicon_path(stage, key).read_text(encoding="utf-8")
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def with_overrides(self, overrides: dict[str, Any]) -> "Settings":
        return Settings(_merge(self.raw, overrides), self.config_dir, self.sources)


def load_settings(path: Path | None = None) -> Settings:
    """The defaults, with the file at ``path`` (TOML or YAML) merged over them once checked."""
    config_dir = default_config_dir()
    default_path = config_dir / DEFAULT_FILE
    raw = default_settings()
    sources = [default_path]
    if path is not None and Path(path).resolve() != default_path.resolve():
        override = _load_file(Path(path))
        problem = next(schema_problems(override, raw), None)
        if problem is not None:
            raise ConfigError(f"{path}: {problem}")
        raw = _merge(raw, override)
        sources.append(Path(path))
    return Settings(raw=raw, config_dir=config_dir, sources=tuple(sources))
