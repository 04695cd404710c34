"""Is this text French? A light, dependency-free guess from function-word frequency.

Function words (articles, pronouns, prepositions) make up a large, stable share of any
running text and differ between languages, so comparing each language's share of a
text's words tells the language of a news article reliably, given a few dozen words.
The word lists are data: configs/lexicons/function_words.toml.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

_WORD = re.compile(r"[^\W\d_]+")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None  # None when the text is too short to judge; UNKNOWN when no list fits
    share: float  # share of the text's words that are function words of that language
    french_share: float
    words: int

    def describe(self) -> str:
        if self.language == UNKNOWN:
            return f"no known language ({self.share:.0%} of {self.words} words are function words of any)"
        return f"looks {self.language} ({self.share:.0%} of {self.words} words are its function words, {self.french_share:.0%} French ones)"


@dataclass(frozen=True)
class FunctionWordDetector:
    lexicons: dict[str, frozenset[str]]
    min_words: int  # shorter texts are not judged
    min_share: float  # below this share of function words, no language is recognised

    @classmethod
    def from_file(cls, path: Path, min_words: int, min_share: float) -> "FunctionWordDetector":
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls({language: frozenset(words) for language, words in data.items()}, min_words, min_share)

    def guess(self, text: str) -> LanguageGuess:
        words = _WORD.findall(text.casefold())
        if len(words) < self.min_words:
            return LanguageGuess(None, 0.0, 0.0, len(words))
        shares = {language: sum(1 for word in words if word in lexicon) / len(words) for language, lexicon in self.lexicons.items()}
        # Sorted by name first, so that a tie is decided the same way every run.
        language, share = max(sorted(shares.items()), key=lambda item: item[1])
        if share < self.min_share:
            language = UNKNOWN
        return LanguageGuess(language, share, shares.get("fr", 0.0), len(words))
