"""Speech cues: the reporting verbs (and selon / d'après) that attribute a quotation.

A verb is a cue when its lemma is in the speech-verb lexicon and it asserts something:
negated (« il n'a pas dit que »), conditional (« il pourrait déclarer »), hypothetical
(« s'il affirme que ») and bare infinitive uses are not cues.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import compress, count
from operator import or_

from pipeline.quotes.document import DocView, Token
from pipeline.quotes.lexicon import Lexicon

VERBAL = frozenset({"VERB", "AUX"})
NEGATION = frozenset({"ne", "n'", "n’", "pas", "jamais", "guère", "point", "nullement"})
HYPOTHESIS = frozenset({"si", "s'", "s’"})
REFLEXIVE = frozenset({"se", "s'", "s’"})
OBJECT_CLITICS = frozenset({"lui", "leur", "me", "m'", "m’", "te", "t'", "t’", "nous", "vous"})
MODALS = frozenset({"pouvoir", "devoir", "vouloir", "falloir", "aller"})
# « selon », and the « après » of « d'après »
SELON_WORDS = frozenset({"selon", "après"})


@dataclass(frozen=True)
class Cue:
    token: int  # the verb (the first word of a multiword cue)
    last: int  # last token of the cue
    lemma: str
    start: int
    end: int


def cue_lemma(view: DocView, token: Token, lexicon: Lexicon) -> str | None:
    """The reporting lemma this token stands for, from the parse or the form fallback tables."""
    if token.pos in VERBAL and token.lemma in lexicon.speech_verbs:
        return token.lemma
    fallback = lexicon.form_lemmas.get(token.lower)
    if fallback is None and token.lower in lexicon.noun_forms:
        following = view.tokens[token.index + 1] if token.index + 1 < len(view.tokens) else None
        previous = view.tokens[token.index - 1] if token.index else None
        reported = following is not None and following.lower in {"que", "qu'", "qu’"} and following.pos == "SCONJ"
        # « le maire leur reproche de… »: after an object clitic and before « de », a verb
        governed = previous is not None and previous.lower in OBJECT_CLITICS and following is not None and following.lower in {"de", "d'", "d’"}
        if reported or governed:
            fallback = lexicon.noun_forms[token.lower]
    return fallback if fallback in lexicon.speech_verbs else None


def _multiword(view: DocView, token: Token, lexicon: Lexicon) -> int | None:
    """Index of the last token of a multiword cue starting at ``token``, if one does."""
    for words in lexicon.multiword:
        if token.lemma != words[0]:
            continue
        position, matched = token.index + 1, 1
        while matched < len(words) and position < len(view.tokens) and position - token.index <= len(words) + 2:
            current = view.tokens[position]
            if current.lemma == words[matched] or current.lower == words[matched]:
                matched += 1
            elif current.pos != "ADV":
                break
            position += 1
        if matched == len(words):
            return position - 1
    return None


def _auxiliaries(view: DocView, token: Token) -> list[Token]:
    return [child for child in view.children(token.index) if child.dep.startswith("aux") or child.pos == "AUX"]


def is_assertive(view: DocView, token: Token) -> bool:
    """False for negated, conditional, hypothetical or bare-infinitive uses."""
    if token.feature("VerbForm") == "Inf":
        return False
    verbs = [token, *_auxiliaries(view, token)]
    if any(verb.feature("Mood") == "Cnd" for verb in verbs):
        return False
    children = view.children(token.index)
    if any(child.lower in NEGATION and (child.feature("Polarity") == "Neg" or child.lower.startswith("n")) for child in children):
        return False
    if any(child.dep == "mark" and child.lower in HYPOTHESIS for child in children):
        return False
    head = view.head(token)
    return not (head is not None and head.lemma in MODALS and head.index < token.index and token.dep == "xcomp")


def find_cues(view: DocView, lexicon: Lexicon) -> dict[int, Cue]:
    """Every assertive cue of the document, by token index."""
    cues: dict[int, Cue] = {}
    for index in _possible_cues(view, lexicon):
        token = view.tokens[index]
        last = _multiword(view, token, lexicon)
        if last is not None:
            lemma = _multiword_lemma(view, token, last, lexicon)
        else:
            lemma = cue_lemma(view, token, lexicon)
            last = token.index
        if lemma and is_assertive(view, token) and not _reflexive_other_sense(view, token, lemma, lexicon):
            cues[token.index] = Cue(token.index, last, lemma, token.start, view.tokens[last].end)
    return cues


def _possible_cues(view: DocView, lexicon: Lexicon) -> list[int]:
    """Tokens whose lemma or form may start a cue, found in one cheap pass: the rules run on these alone."""
    by_lemma = map(lexicon.cue_lemmas.__contains__, view.lemmas)
    by_form = map(lexicon.cue_forms.__contains__, view.lowers)
    return list(compress(count(), map(or_, by_lemma, by_form)))  # all in C: no Python code per token


def _reflexive_other_sense(view: DocView, token: Token, lemma: str, lexicon: Lexicon) -> bool:
    """« il s'est lancé dans… », « la tendance se confirme »: not a report."""
    if lemma not in lexicon.reflexive_other_sense:
        return False
    return any(child.lower in REFLEXIVE and child.index < token.index for child in view.children(token.index))


def _multiword_lemma(view: DocView, token: Token, last: int, lexicon: Lexicon) -> str:
    found = {view.tokens[i].lemma for i in range(token.index, last + 1)} | {view.tokens[i].lower for i in range(token.index, last + 1)}
    return next(" ".join(words) for words in lexicon.multiword if words[0] == token.lemma and set(words) <= found)


def selon_words(view: DocView) -> list[tuple[Token, Token]]:
    """(first, last) tokens of every « selon » and « d'après »."""
    found = []
    for index in compress(count(), map(SELON_WORDS.__contains__, view.lowers)):
        if view.lowers[index] == "selon":
            found.append((view.tokens[index], view.tokens[index]))
        elif index > 0 and view.lowers[index - 1] in {"d'", "d’"}:
            found.append((view.tokens[index - 1], view.tokens[index]))
    return found
