"""configs/*.toml|yaml -> one typed Settings object, passed down to every stage."""
from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "configs" / "default.toml"


class ConfigError(Exception):
    """The configuration file is missing, unreadable or inconsistent."""


def _load_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError(f"{path}: configuration file not found")
    try:
        if path.suffix in {".yaml", ".yml"}:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        else:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid {path.suffix.lstrip('.')} ({str(exc).splitlines()[0]})") from exc
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
    raw = _load_file(DEFAULT_CONFIG)
    sources = [DEFAULT_CONFIG]
    if path is not None and Path(path).resolve() != DEFAULT_CONFIG:
        raw = _merge(raw, _load_file(Path(path)))
        sources.append(Path(path))
    return Settings(raw=raw, config_dir=DEFAULT_CONFIG.parent, sources=tuple(sources))
