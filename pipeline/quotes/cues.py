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
from pipeline.quotes.lexicon import QuoteLexicon

VERBAL = frozenset({"VERB", "AUX"})
AUXILIARY_LEMMAS = frozenset({"avoir", "être"})
HYPOTHESIS = frozenset({"si", "s'", "s’"})
REFLEXIVE = frozenset({"se", "s'", "s’"})
QUE = frozenset({"que", "qu'", "qu’"})
OBJECT_CLITICS = frozenset({"lui", "leur", "me", "m'", "m’", "te", "t'", "t’", "nous", "vous"})
CLOSING_MARKS = frozenset("»”›\"")
# Subject clitics written after a verb and a hyphen (« dit-il », « a-t-elle »).


@dataclass(frozen=True)
class Cue:
    token: int  # the verb (the first word of a multiword cue)
    last: int  # last token of the cue
    lemma: str
    start: int
    end: int


def cue_lemma(view: DocView, token: Token, lexicon: QuoteLexicon) -> str | None:
    """The reporting lemma this token stands for, from the parse or the form fallback tables."""
    if token.pos in VERBAL and token.lemma in lexicon.speech_verbs:
        return token.lemma
    verb_slot = _before_inverted_subject(view, token, lexicon) or _after_quotation(view, token) or _after_inverted_auxiliary(view, token, lexicon)
    if token.lower in lexicon.inflections and (token.pos in VERBAL or verb_slot):
        return lexicon.inflections[token.lower]
    fallback = lexicon.form_lemmas.get(token.lower)
    if fallback is None and token.lower in lexicon.noun_forms:
        following = view.tokens[token.index + 1] if token.index + 1 < len(view.tokens) else None
        previous = view.tokens[token.index - 1] if token.index else None
        reported = following is not None and following.lower in QUE and (following.pos == "SCONJ" or following.dep == "mark")
        # « le maire leur reproche de… »: after an object clitic and before « de », a verb
        governed = previous is not None and previous.lower in OBJECT_CLITICS and following is not None and following.lower in lexicon.bare_of_words
        if reported or governed or verb_slot or _verb_of_verbless_clause(view, token):
            fallback = lexicon.noun_forms[token.lower]
    return fallback if fallback in lexicon.speech_verbs else None


def _verb_of_verbless_clause(view: DocView, token: Token) -> bool:
    """« Le syndicat juge la réforme « inacceptable » », « L'opposition reproche au
    gouvernement d'avoir menti »: right after a noun phrase, in a sentence the tagger left
    without any finite verb, a verb form that is also a noun is the sentence's verb."""
    previous = view.tokens[token.index - 1] if token.index else None
    if previous is None or previous.sent_id != token.sent_id or previous.pos not in ("NOUN", "PROPN", "ADJ"):
        return False
    return not any(other.sent_id == token.sent_id and other.pos in VERBAL and other.feature("VerbForm") == "Fin"
                   for other in view.tokens[max(0, token.index - 40) : token.index + 40])


def _before_inverted_subject(view: DocView, token: Token, lexicon: QuoteLexicon) -> bool:
    """« raconte-t-elle », « ajoute-il »: only a verb takes a subject clitic after a hyphen, whatever the tagger says."""
    following = view.tokens[token.index + 1] if token.index + 1 < len(view.tokens) else None
    return following is not None and following.start == token.end and following.lower in lexicon.inverted_subject_clitics


def _after_inverted_auxiliary(view: DocView, token: Token, lexicon: QuoteLexicon) -> bool:
    """« a-t-elle martelé », « ont-ils expliqué »: the word after an auxiliary and its subject
    clitic is its participle, whatever the tagger says (« martelé » is often read as an adjective)."""
    if token.index < 2:
        return False
    clitic_token = view.tokens[token.index - 1]
    if clitic_token.lower not in lexicon.inverted_subject_clitics or clitic_token.sent_id != token.sent_id:
        return False
    before = view.tokens[token.index - 2]
    if before.lower == "-t" and token.index >= 3:
        before = view.tokens[token.index - 3]
    return before.pos == "AUX"


def _after_quotation(view: DocView, token: Token) -> bool:
    """« « Le quai était bondé », raconte Sandrine »: the word right after a closing quote mark
    (and its comma, and the auxiliary of « a tweeté ») is the verb of the incise whatever the tagger says (« raconte », « note »,
    « réplique » are often read as nouns or adjectives there); a capital starts a name instead."""
    if token.index < 1 or token.text[:1].isupper():
        return False
    position = token.index - 1
    while position > 0 and (view.tokens[position].pos == "AUX" or view.tokens[position].lemma in AUXILIARY_LEMMAS) and view.tokens[position].sent_id == token.sent_id:
        position -= 1  # « « … », a tweeté X », « ont scandé »
    previous = view.tokens[position]
    if previous.text == "," and position >= 1:
        previous = view.tokens[position - 1]
    return previous.text in CLOSING_MARKS and previous.sent_id == token.sent_id


def _multiword(view: DocView, token: Token, lexicon: QuoteLexicon) -> int | None:
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
    """The verb's auxiliaries: written before it (« a déclaré », « aurait-il dit »); an AUX after
    it heads a clause of its own (« a ajouté que la France n'aurait… »)."""
    return [child for child in view.children(token.index) if child.dep.startswith("aux") or (child.pos == "AUX" and child.index < token.index)]


def _conditional(view: DocView, token: Token) -> bool:
    return any(verb.feature("Mood") == "Cnd" for verb in [token, *_auxiliaries(view, token)])


def _negated(view: DocView, token: Token, lexicon: QuoteLexicon) -> bool:
    return any(child.lower in lexicon.negation and (child.feature("Polarity") == "Neg" or child.lower.startswith("n")) for child in view.children(token.index))


def _under_undertaking(view: DocView, infinitive: Token, lexicon: QuoteLexicon) -> bool:
    """« a tenu à préciser que », « n'a pas hésité à affirmer que »: an infinitive under a verb of
    undertaking said as done."""
    head = view.head(infinitive)
    if head is None or infinitive.dep != "xcomp" or head.index > infinitive.index or head.feature("VerbForm") == "Inf":
        return False
    if head.lemma in lexicon.undertaking_verbs:
        return is_assertive(view, head, lexicon)
    if head.lemma in lexicon.undertaking_when_negated and _negated(view, head, lexicon):
        return not _conditional(view, head)
    return False


def narrative_opening(view: DocView, infinitive: Token, lexicon: QuoteLexicon) -> int | None:
    """« Et d'ajouter : « … » », « Et le ministre de conclure que… »: the narrative infinitive,
    a sentence opened by « Et », a noun phrase or none, then « de » and the infinitive, tells
    what was said. The index of that « Et », None for any other infinitive."""
    tokens = view.tokens
    de = infinitive.index - 1
    if de < 1 or tokens[de].lower not in lexicon.bare_of_words:
        return None
    position = de - 1
    while position > 0 and tokens[position].sent_id == infinitive.sent_id and tokens[position].pos in ("DET", "NOUN", "PROPN", "ADJ", "ADP") and de - position < 8:
        position -= 1
    opens_sentence = position == 0 or tokens[position - 1].sent_id != infinitive.sent_id
    return position if tokens[position].lower == "et" and opens_sentence else None


def is_assertive(view: DocView, token: Token, lexicon: QuoteLexicon) -> bool:
    """False for negated, conditional, hypothetical or bare-infinitive uses; an infinitive reports
    under an assertive verb of undertaking (« a tenu à préciser que ») or as a narrative
    infinitive (« Et d'ajouter »)."""
    if token.feature("VerbForm") == "Inf":
        return _under_undertaking(view, token, lexicon) or narrative_opening(view, token, lexicon) is not None
    if _conditional(view, token) or _negated(view, token, lexicon):
        return False
    if any(child.dep == "mark" and child.lower in HYPOTHESIS for child in view.children(token.index)):
        return False
    head = view.head(token)
    if head is None or head.lemma not in lexicon.modals or head.index > token.index or token.dep != "xcomp":
        return True
    # « il pourrait déclarer », not « « Nous allons agir », a-t-elle promis »: a modal the parse
    # reaches across punctuation is in another clause
    return any(between.pos == "PUNCT" for between in view.tokens[head.index + 1 : token.index])


def find_cues(view: DocView, lexicon: QuoteLexicon) -> dict[int, Cue]:
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
        if lemma and is_assertive(view, token, lexicon) and not _reflexive_other_sense(view, token, lemma, lexicon):
            cues[token.index] = Cue(token.index, last, lemma, token.start, view.tokens[last].end)
    return cues


def _possible_cues(view: DocView, lexicon: QuoteLexicon) -> list[int]:
    """Tokens whose lemma or form may start a cue, found in one cheap pass: the rules run on these alone."""
    by_lemma = map(lexicon.cue_lemmas.__contains__, view.lemmas)
    by_form = map(lexicon.cue_forms.__contains__, view.lowers)
    return list(compress(count(), map(or_, by_lemma, by_form)))  # all in C: no Python code per token


def _reflexive_other_sense(view: DocView, token: Token, lemma: str, lexicon: QuoteLexicon) -> bool:
    """« il s'est lancé dans… », « la tendance se confirme »: not a report."""
    if lemma not in lexicon.reflexive_other_sense:
        return False
    return any(child.lower in REFLEXIVE and child.index < token.index for child in view.children(token.index))


def _multiword_lemma(view: DocView, token: Token, last: int, lexicon: QuoteLexicon) -> str:
    found = {view.tokens[i].lemma for i in range(token.index, last + 1)} | {view.tokens[i].lower for i in range(token.index, last + 1)}
    return next(" ".join(words) for words in lexicon.multiword if words[0] == token.lemma and set(words) <= found)


def selon_words(view: DocView, lexicon: QuoteLexicon) -> list[tuple[Token, Token, str]]:
    """(first, last, cue lemma) of every « selon », « d'après », « de l'avis de »… (the lexicon's
    source prepositions and phrases), found by one regular expression over the text, whatever
    the tokenizer made of the apostrophes and hyphens."""
    found = []
    for match in lexicon.source_prepositions.finditer(view.text):
        first, last = view.token_at(match.start()), view.token_at(match.end()) or len(view.tokens)
        if first is not None and first < last and view.tokens[first].start == match.start():
            found.append((view.tokens[first], view.tokens[last - 1], lexicon.source_lemma(match.group())))
    return found
