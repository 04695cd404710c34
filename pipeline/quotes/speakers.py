"""Where a quote's speaker is decided.

Given the source of a quotation as written (the subject of its cue, the noun phrase after
« selon », the words after a headline dash), ``Speakers`` returns who it is:

1. a named entity in the phrase (the head, or a name in apposition: « le chef du bloc,
   Jens Stoltenberg ») -> the entity's canonical name and entity_key;
2. a pronoun (« il », « a-t-elle ajouté », « selon lui ») -> the person it refers to: a
   named subject earlier in the same sentence, else the latest speaker, else the latest
   named person;
3. « qui » -> the noun it relates to, resolved in turn;
4. a definite singular description of a person (« le secrétaire général », « chef de
   l'OTAN ») -> the named person the article introduces with that role (« le secrétaire
   général de l'OTAN, Jens Stoltenberg »), else the nearest named person before it, else
   the article's most mentioned person;
5. any other phrase -> itself without determiner, label OTHER (« responsables russes »).

``speaker_mention`` always stays the words nearest the quote, as written.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.quotes.cues import Cue
from pipeline.quotes.document import DocView, Mention, Token
from pipeline.quotes.lexicon import Lexicon

NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})
SUBJECT = ("nsubj", "nsubj:pass", "expl:subj")
# Relations through which a verb shares the subject of the verb it depends on.
SHARED_SUBJECT = frozenset({"advcl", "conj", "xcomp", "parataxis", "ccomp", "acl"})
DETERMINER_POS = frozenset({"DET"})
DEFINITE = frozenset({"le", "la", "l'", "l’", "ce", "cet", "cette", "son", "sa"})
RELATIVE = frozenset({"qui", "lequel", "laquelle"})


@dataclass(frozen=True)
class Speaker:
    name: str | None
    label: str | None
    mention_start: int | None
    mention_end: int | None
    entity_key: str | None = None

    @property
    def is_person(self) -> bool:
        return self.label == "PER"


NOBODY = Speaker(None, None, None, None)


def clitic(token: Token) -> str | None:
    """« -il » in « a-t-il » -> « il »."""
    if not token.text.startswith("-") or len(token.text) < 2:
        return None
    word = token.lower.lstrip("-")
    return word[2:] if word.startswith("t-") else word


class Speakers:
    """Speaker resolution for one document; remembers the speakers already given."""

    def __init__(self, view: DocView, lexicon: Lexicon, quoted: list[tuple[int, int]] | None = None):
        self.view = view
        # (start, end) of the quotations between marks: a speaker is never inside one
        self.quoted_spans = quoted or []
        self.lexicon = lexicon
        self.history: list[tuple[int, Speaker]] = []
        self._roles = self._role_words()

    def _quoted(self, token: Token) -> bool:
        return any(start <= token.start < end for start, end in self.quoted_spans)

    # -- the subject of a cue -------------------------------------------------------
    def subject_of(self, cue: Cue, inverted: bool = False, depth: int = 0) -> Token | None:
        view = self.view
        verb = view.tokens[cue.token]
        children = view.children(verb.index)
        for child in children:
            if child.dep in SUBJECT and child.index < verb.index and not self._quoted(child):
                # « a-t-elle »: the euphonic « -t » is sometimes parsed as the subject
                return view.tokens[child.index + 1] if child.lower == "-t" and child.index + 1 < len(view.tokens) else child
        after = view.tokens[verb.index - 2 : cue.last + 3] if verb.index >= 2 else view.tokens[: cue.last + 3]
        for token in after:
            if token.index > verb.index - 3 and clitic(token) in self.lexicon.pronoun_number | {"on": "Sing"}:
                return token
        if inverted:
            following = [c for c in children if c.index > cue.last and c.pos in NOMINAL and c.dep in (*SUBJECT, "obj", "dep", "appos", "iobj") and not self._quoted(c)]
            if following:
                return following[0]
            first = next((t for t in view.tokens[cue.last + 1 : cue.last + 6] if t.pos in ("PROPN", "NOUN") and t.dep != "obl:mod"), None)
            if first is not None:
                return first
        head = view.head(verb)
        if head is not None and verb.dep.startswith("acl") and head.pos in ("NOUN", "PROPN") and verb.feature("VerbForm") == "Fin":
            return head  # « Moscou, quant à elle, considère … et a averti que »: the clause describes its head
        if depth < 3 and head is not None and verb.dep in SHARED_SUBJECT and head.pos in ("VERB", "AUX", "ADJ"):
            return self.subject_of(Cue(head.index, head.index, "", head.start, head.end), inverted=False, depth=depth + 1)
        return None

    def named_before(self, cue: Cue) -> Token | None:
        """The nearest person or organisation named earlier in the cue's sentence (when the parse gives no subject)."""
        view = self.view
        verb = view.tokens[cue.token]
        sentence = view.sentence_of(verb.start)
        for label in ("PER", "ORG"):
            for mention in reversed(view.mentions):
                if mention.end <= verb.start and view.sentence_of(mention.start) == sentence and mention.label == label:
                    return view.tokens[view.token_at(mention.start)]
        return None

    # -- noun phrases ---------------------------------------------------------------
    def phrase(self, head: Token) -> list[Token]:
        """The noun phrase headed by ``head``, cut before a relative clause or a second comma."""
        view = self.view
        indices = [i for i in view.subtree(head.index) if view.tokens[i].sent_id == head.sent_id and i >= head.index - 8]
        lo = min(indices)
        tokens = [t for t in view.tokens[lo : max(indices) + 1]]
        kept: list[Token] = []
        commas = 0
        for token in tokens:
            if token.index > head.index and (token.lower in RELATIVE or token.text in "();:" or token.pos in ("VERB", "AUX") and token.feature("VerbForm") == "Fin"):
                break
            if token.text == ",":
                commas += 1
                if commas == 2 or token.index < head.index:
                    if token.index < head.index:
                        kept = []
                        continue
                    break
            kept.append(token)
        while kept and kept[-1].pos == "PUNCT":
            kept.pop()
        while kept and kept[0].index < head.index and (kept[0].pos in ("ADP", "PUNCT") or kept[0].dep == "case"):
            kept.pop(0)
        return kept or [head]

    def _without_determiner(self, tokens: list[Token]) -> list[Token]:
        position = 0
        while position < len(tokens) - 1 and (tokens[position].pos in DETERMINER_POS or tokens[position].lower in {"l'", "l’", "d'", "d’"}):
            position += 1
        return tokens[position:]

    # -- deciding ----------------------------------------------------------------------
    def from_token(self, head: Token | None, anchor: int) -> Speaker:
        """The speaker a subject (or selon-phrase) head token designates; ``anchor`` is the quote offset."""
        if head is None:
            return NOBODY
        view = self.view
        word = clitic(head) or head.lower
        if head.pos == "PRON" or clitic(head):  # clitics are sometimes tagged PROPN
            if word in RELATIVE:
                antecedent = view.head(view.head(head) or head)
                return self.from_token(antecedent, anchor) if antecedent is not None and antecedent.pos in ("NOUN", "PROPN") else NOBODY
            if word in self.lexicon.pronoun_number:
                start = head.start + head.text.lower().rfind(word)
                return self.pronoun(word, start, start + len(word), anchor)
            if word == "on":
                start = head.start + head.text.lower().rfind("on")
                return Speaker("on", "OTHER", start, start + 2) if not clitic(head) else NOBODY
        tokens = self.phrase(head)
        return self.from_phrase(tokens, head, anchor)

    def from_phrase(self, tokens: list[Token], head: Token, anchor: int) -> Speaker:
        view = self.view
        start, end = tokens[0].start, tokens[-1].end
        mentions = view.mentions_between(start, end)
        named = self._named_in_phrase(mentions, head)
        if named is not None:
            return self._entity_speaker(named)
        content = self._without_determiner(tokens)
        if head.pos == "NOUN" and self._is_person_description(tokens, head):
            person = self.description(content, head, anchor)
            if person is not None:
                return Speaker(person.canonical, "PER", start, end, person.entity_key)
        if not content:
            return NOBODY
        return Speaker(view.text[content[0].start : content[-1].end], "OTHER", start, end)

    def _named_in_phrase(self, mentions: list[Mention], head: Token) -> Mention | None:
        view = self.view
        covering = next((m for m in mentions if m.start <= head.start < m.end), None)
        if covering is not None and covering.label in ("PER", "ORG", "LOC"):
            return covering
        for mention in mentions:
            if mention.label != "PER":
                continue
            before = view.token_at(mention.start)
            previous = view.tokens[before - 1] if before else None
            # a name in apposition or right after a title, not « l'avocate de Bernard »
            if previous is not None and (previous.text == "," or previous.pos in ("NOUN", "ADJ") or previous.text in self.lexicon.honorifics):
                return mention
        return None

    def _entity_speaker(self, mention: Mention) -> Speaker:
        start = mention.start
        index = self.view.token_at(mention.start)
        if index:
            previous = self.view.tokens[index - 1]
            if previous.text in self.lexicon.honorifics and previous.end >= mention.start - 1:
                start = previous.start
        label = mention.label if mention.label in ("PER", "ORG", "LOC") else "OTHER"
        return Speaker(mention.canonical, label, start, mention.end, mention.entity_key)

    def _is_person_description(self, tokens: list[Token], head: Token) -> bool:
        if head.lemma.lower() not in self.lexicon.person_roles and head.lower not in self.lexicon.person_roles:
            return False
        if head.feature("Number") == "Plur":
            return False
        first = tokens[0]
        return first.index == head.index or first.lower in DEFINITE or first.pos != "DET"

    # -- pronouns and descriptions --------------------------------------------------------
    def pronoun(self, word: str, start: int, end: int, anchor: int) -> Speaker:
        view = self.view
        plural = self.lexicon.pronoun_number.get(word) == "Plur"
        sentence = view.sentence_of(start)
        for mention in reversed(view.mentions):
            if mention.end <= start and view.text[mention.start] != "-" and view.sentence_of(mention.start) == sentence and mention.label == "PER" and not plural:
                index = view.token_at(mention.start)
                if index is not None and view.tokens[index].dep in SUBJECT:
                    return self._refer(self._entity_speaker(mention), start, end)
        paragraph = view.paragraph_of(start)
        for position, speaker in reversed(self.history):
            if position < start and paragraph - view.paragraph_of(position) <= 3 and speaker.name and (plural or speaker.is_person):
                return self._refer(speaker, start, end)
        person = self._latest_person(start)
        return self._refer(self._entity_speaker(person), start, end) if person is not None else Speaker(None, None, start, end)

    def _refer(self, speaker: Speaker, start: int, end: int) -> Speaker:
        return Speaker(speaker.name, speaker.label, start, end, speaker.entity_key)

    def _latest_person(self, before: int) -> Mention | None:
        return next((m for m in reversed(self.view.mentions) if m.label == "PER" and m.end <= before), None)

    def _role_words(self) -> list[tuple[Mention, set[str]]]:
        """Words written around each named person: « le secrétaire général de l'OTAN, Jens Stoltenberg »."""
        view = self.view
        roles = []
        for mention in view.mentions:
            if mention.label != "PER" or any(start <= mention.start < end for start, end in self.quoted_spans):
                continue
            first = view.token_at(mention.start)
            if first is None:
                continue
            words: set[str] = set()
            position = first - 1
            # « le président russe Vladimir Poutine » or « le secrétaire général de l'OTAN, Jens
            # Stoltenberg », but not « adjoint au maire de Bavilliers »: a preposition is allowed
            # only in a title set off by a comma.
            apposed = position >= 0 and view.tokens[position].text == ","
            while position >= 0 and first - position <= 9:
                token = view.tokens[position]
                if token.sent_id != view.tokens[first].sent_id or token.pos in ("VERB", "AUX", "PRON", "CCONJ", "SCONJ") or token.text in ".:;«»“”":
                    break
                if token.pos == "ADP" and not apposed:
                    break
                words.add(token.lemma.lower())
                words.add(token.lower)
                position -= 1
            position = first
            while position < len(view.tokens) and view.tokens[position].start < mention.end:
                position += 1
            if position < len(view.tokens) and view.tokens[position].text == ",":
                position += 1
                while position < len(view.tokens) and view.tokens[position].text not in ",.;:" and view.tokens[position].pos not in ("VERB", "AUX"):
                    words.add(view.tokens[position].lemma.lower())
                    words.add(view.tokens[position].lower)
                    position += 1
            roles.append((mention, words))
        return roles

    def description(self, tokens: list[Token], head: Token, anchor: int) -> Mention | None:
        role = head.lemma.lower()
        modifiers = {t.lemma.lower() for t in tokens if t.index != head.index and t.pos in ("NOUN", "ADJ", "PROPN")}
        same_role = [(len(modifiers & words), mention) for mention, words in self._roles if role in words or head.lower in words]
        related = [(len(modifiers & words), mention) for mention, words in self._roles if modifiers & words]
        for scored in (same_role, related):
            if scored:
                best = max(score for score, _ in scored)
                candidates = [mention for score, mention in scored if score == best]
                before = [mention for mention in candidates if mention.end <= anchor]
                return before[-1] if before else candidates[0]
        return self._nearest_person(head.start)

    def _nearest_person(self, offset: int) -> Mention | None:
        """A person named earlier in the paragraph, else the latest person quoted, else the article's main person."""
        view = self.view
        paragraph = view.paragraph_of(offset)
        nearby = self._latest_person(offset)
        if nearby is not None and view.paragraph_of(nearby.start) == paragraph:
            return nearby
        for _, speaker in reversed(self.history):
            if speaker.is_person and speaker.entity_key:
                return next((m for m in view.mentions if m.entity_key == speaker.entity_key), None)
        if nearby is not None and paragraph - view.paragraph_of(nearby.start) <= 1:
            return nearby
        return self.main_person()

    def main_person(self) -> Mention | None:
        people = [m for m in self.view.mentions if m.label == "PER"]
        if not people:
            return None
        quoted = Counter(speaker.entity_key for _, speaker in self.history if speaker.is_person and speaker.entity_key)
        counts = Counter(m.entity_key for m in people)
        best = max(counts, key=lambda key: (quoted[key], counts[key]))
        return next(m for m in people if m.entity_key == best)

    def remember(self, position: int, speaker: Speaker) -> None:
        if speaker.name:
            self.history.append((position, speaker))
