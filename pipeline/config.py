"""Settings: the defaults (``configs/default.toml``), with a ``--config`` file merged over
them, as one typed Settings object passed down to every stage.

The defaults and lexicons are package data (``configs/`` installed as the resource
package ``pipeline.configs``), read with importlib.resources: the same files whether the
package is installed normally or in editable mode, whatever the current folder.
"""
from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

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
        """Hash of a stage's settings and the content of the lexicon files they name."""
        section = self.section(stage)
        if stage == "entities":
            section["model"] = self.raw.get("model", {}).get("name")
        payload: dict[str, Any] = {"settings": section, "lexicons": {}}
        for key, value in sorted(section.items()):
            if isinstance(value, str) and value.startswith("lexicons/"):
                payload["lexicons"][key] = self.lexicon_path(stage, key).read_text(encoding="utf-8")
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def with_overrides(self, overrides: dict[str, Any]) -> "Settings":
        return Settings(_merge(self.raw, overrides), self.config_dir, self.sources)


def load_settings(path: Path | None = None) -> Settings:
    """The defaults, with the file at ``path`` (TOML or YAML) merged over them."""
    config_dir = default_config_dir()
    default_path = config_dir / DEFAULT_FILE
    raw = _load_file(default_path)
    sources = [default_path]
    if path is not None and Path(path).resolve() != default_path.resolve():
        raw = _merge(raw, _load_file(Path(path)))
        sources.append(Path(path))
    return Settings(raw=raw, config_dir=config_dir, sources=tuple(sources))
