"""Holidays as data: configs/lexicons/holidays.toml names them, this module dates them.

Fixed holidays are a month and a day; movable feasts are a number of days after Easter
Sunday, computed for the year at hand with ``dateutil.easter`` (Gregorian), never typed.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from dateutil.easter import easter

from pipeline.config import default_config_dir

DEFAULT_HOLIDAYS = default_config_dir() / "lexicons" / "holidays.toml"


class HolidaysError(ValueError):
    """The holidays file is unreadable or malformed."""


@dataclass(frozen=True)
class Holiday:
    month: int | None = None
    day: int | None = None
    after_easter: int | None = None

    def on(self, year: int) -> date:
        if self.after_easter is not None:
            return easter(year) + timedelta(days=self.after_easter)
        return date(year, self.month, self.day)


@lru_cache(maxsize=8)
def load_holidays(path: Path = DEFAULT_HOLIDAYS) -> dict[str, Holiday]:
    """Written name -> Holiday, from a holidays TOML file."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        holidays = {name: Holiday(month=int(month), day=int(day)) for name, (month, day) in data.get("fixed", {}).items()}
        holidays.update({name: Holiday(after_easter=int(days)) for name, days in data.get("easter", {}).items()})
    except (OSError, tomllib.TOMLDecodeError, TypeError, ValueError) as exc:
        raise HolidaysError(f"{path}: not a readable holidays file ({exc})") from exc
    for name, holiday in holidays.items():
        if holiday.after_easter is None:
            try:
                holiday.on(2000)
            except ValueError as exc:
                raise HolidaysError(f"{path}: {name!r} is no day of the year") from exc
    return holidays
