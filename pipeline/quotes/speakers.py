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
from functools import cached_property

from pipeline.characters import is_pictograph
from pipeline.quotes.cues import Cue
from pipeline.quotes.first_names import first_name_gender
from pipeline.quotes.document import DocView, Mention, Token
from pipeline.quotes.lexicon import Lexicon

NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})
SUBJECT = ("nsubj", "nsubj:pass", "expl:subj")
# Relations the parse gives, at the head of a clause in news text, to what is its subject.
MISPARSED_SUBJECT = frozenset({"vocative", "dislocated"})
# Relations through which a verb shares the subject of the verb it depends on.
SHARED_SUBJECT = frozenset({"advcl", "conj", "xcomp", "parataxis", "ccomp", "acl"})
DETERMINER_POS = frozenset({"DET"})
DEFINITE = frozenset({"le", "la", "l'", "l’", "ce", "cet", "cette", "son", "sa"})
RELATIVE = frozenset({"qui", "lequel", "laquelle"})
ELIDED_ARTICLES = frozenset({"l'", "l’", "d'", "d’"})
OF = frozenset({"de", "d'", "d’", "des", "du"})
# Sentences back that a pronoun looks for a named subject in.
SENTENCES_BACK = 1
# Words a subject noun phrase is made of (« une dizaine de délégués de la FNEC FP Force Ouvrière »).
PHRASE_POS = frozenset({"DET", "NOUN", "PROPN", "ADJ", "ADP", "NUM"})
OPENING_MARKS = frozenset("«“„‹\"")
CLOSING_MARKS = frozenset("»”›\"")


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


def verb_group_start(view: DocView, verb: Token) -> int:
    """First token of « a-t-il déclaré », « ont-ils souligné », « a déclaré »."""
    tokens = view.tokens
    first = verb.index
    while first > 0 and tokens[first - 1].sent_id == verb.sent_id and (tokens[first - 1].pos == "AUX" or clitic(tokens[first - 1]) or tokens[first - 1].lower == "-t"):
        first -= 1
    return first


class Speakers:
    """Speaker resolution for one document; remembers the speakers already given."""

    def __init__(self, view: DocView, lexicon: Lexicon, quoted: list[tuple[int, int]] | None = None):
        self.view = view
        # (start, end) of the quotations between marks: a speaker is never inside one
        self.quoted_spans = quoted or []
        self.lexicon = lexicon
        self.history: list[tuple[int, Speaker]] = []

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
        for child in children:
            # « Bruno Martin, président du groupe, est intervenu »: a subject the parse calls a vocative
            if child.dep in MISPARSED_SUBJECT and child.index < verb.index and child.pos in ("NOUN", "PROPN") and not self._quoted(child):
                return child
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
        participle = verb.feature("VerbForm") == "Part" and verb.feature("Tense") == "Pres"
        if head is not None and participle:
            head = self._main_clause_verb(head)
        if head is not None and participle and head.pos in ("NOUN", "PROPN") and verb.dep.startswith("acl") and depth < 3:
            # « X demandait l'ouverture d'une enquête, estimant que… »: the participle is X's, not the noun's
            clause = next((a for a in view.ancestors(verb) if a.pos in ("VERB", "AUX")), None)
            if clause is not None:
                return self.subject_of(Cue(clause.index, clause.index, "", clause.start, clause.end), depth=depth + 1)
        if head is not None and verb.dep.startswith("acl") and head.pos in ("NOUN", "PROPN") and verb.feature("VerbForm") == "Fin":
            return head  # « Moscou, quant à elle, considère … et a averti que »: the clause describes its head
        if depth < 3 and head is not None and verb.dep in SHARED_SUBJECT and head.pos in ("VERB", "AUX", "ADJ"):
            return self.subject_of(Cue(head.index, head.index, "", head.start, head.end), inverted=False, depth=depth + 1)
        return None

    def _main_clause_verb(self, verb: Token) -> Token:
        """« le Kremlin a démenti que le chef de l'Etat soit malade, indiquant que… »: a participle
        the parse hangs on a reported clause belongs to the verb that reports it."""
        view = self.view
        while verb.dep == "ccomp" and view.head(verb) is not None and any(child.dep == "mark" for child in view.children(verb.index)):
            verb = view.head(verb)
        return verb

    def phrase_before(self, cue: Cue, anchor: int) -> Speaker | None:
        """The noun phrase that ends right before the cue's verb group and opens its clause, as
        the speaker when the parse gives the verb no subject (« Hier, une dizaine de délégués de
        la FNEC FP Force Ouvrière ont appelé… »)."""
        view, tokens = self.view, self.view.tokens
        verb = tokens[cue.token]
        first = verb_group_start(view, verb)
        position = first - 1
        while position >= 0 and tokens[position].sent_id == verb.sent_id and tokens[position].pos in PHRASE_POS and not self._quoted(tokens[position]):
            position -= 1
        phrase = tokens[position + 1 : first]
        if not phrase or phrase[0].pos == "ADP" or phrase[-1].pos not in ("NOUN", "PROPN", "ADJ"):
            return None  # « En France le ministre… »: a phrase opened by a preposition is not a subject
        head = self._group_head(phrase)
        return self.from_phrase(phrase, head, anchor) if head is not None else None

    def _group_head(self, phrase: list[Token]) -> Token | None:
        """The first noun of a phrase, past a noun of quantity (« une dizaine de délégués » -> délégués)."""
        nouns = [token for token in phrase if token.pos in ("NOUN", "PROPN")]
        if not nouns:
            return None
        first = nouns[0]
        counted = first.index + 1 < len(self.view.tokens) and self.view.tokens[first.index + 1].lower in OF
        if first.lemma.lower() in self.lexicon.quantities and counted and len(nouns) > 1:
            return nouns[1]
        return first

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
            if is_pictograph(token.text):
                # An emoji is never part of a speaker: it ends the phrase after its head, and starts it afresh before.
                if token.index > head.index:
                    break
                kept = []
                continue
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
        """Without its determiner, and without a leading noun of quantity (« une dizaine de délégués » -> « délégués »)."""
        position = self._past_determiners(tokens, 0)
        if (
            position < len(tokens) - 2
            and tokens[position].lemma.lower() in self.lexicon.quantities
            and tokens[position + 1].lower in OF
            and any(token.pos in ("NOUN", "PROPN") for token in tokens[position + 2 :])
        ):
            position = self._past_determiners(tokens, position + 2)
        return tokens[position:]

    def _past_determiners(self, tokens: list[Token], position: int) -> int:
        while position < len(tokens) - 1 and (tokens[position].pos in DETERMINER_POS or tokens[position].lower in ELIDED_ARTICLES):
            position += 1
        return position

    # -- deciding ----------------------------------------------------------------------
    def from_token(self, head: Token | None, anchor: int) -> Speaker:
        """The speaker a subject (or selon-phrase) head token designates; ``anchor`` is the quote offset."""
        if head is None or is_pictograph(head.text):
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

    def from_phrase(self, tokens: list[Token], head: Token, anchor: int, whole: bool = True) -> Speaker:
        """The speaker a noun phrase designates; ``whole`` is False for one member of a coordination."""
        view = self.view
        start, end = tokens[0].start, tokens[-1].end
        coordinated = self._coordination(head, anchor) if whole else None
        if coordinated is not None:
            return coordinated
        mentions = view.mentions_between(start, end)
        named = self._named_in_phrase(mentions, head)
        if named is not None:
            return self._entity_speaker(named)
        content = self._without_determiner(tokens)
        if head.pos == "NOUN" and self._is_person_description(tokens, head):
            person = self.description(content, head, anchor)
            if person is not None:
                return Speaker(person.canonical, "PER", start, end, person.entity_key)
        if head.pos == "NOUN" and self._is_organisation_description(tokens, head):
            organisation = self.organisation(tokens, head, anchor)
            if organisation is not None:
                return self._refer(organisation, start, end)
        if head.pos == "NOUN" and any(token.lower in self.lexicon.anaphoric for token in tokens if token.index < head.index):
            earlier = self._antecedent(head)
            if earlier is not None and earlier.name:
                return self._refer(earlier, start, end)
        if not content:
            return NOBODY
        label = "ORG" if head.pos == "NOUN" and self._is_organisation_description(tokens, head) else "OTHER"
        return Speaker(view.text[content[0].start : content[-1].end], label, start, end)

    # -- coordinated sources ----------------------------------------------------------------
    def _coordination(self, head: Token, anchor: int) -> Speaker | None:
        """« Paris et Berlin », « la CGT et Solidaires »: the whole coordination, each member by its
        own name, joined by the coordinating word as written."""
        view = self.view
        members = [child for child in view.children(head.index) if child.dep == "conj" and child.pos in ("NOUN", "PROPN") and not self._quoted(child)]
        if not members:
            return None
        names, labels = [], set()
        for member in [head, *members]:
            speaker = self.from_phrase(self._member_tokens(member), member, anchor, whole=False)
            if not speaker.name:
                return None
            names.append(speaker.name)
            labels.add(speaker.label)
        joiner = next((child.text for member in members for child in view.children(member.index) if child.dep == "cc"), "et")
        name = ", ".join(names[:-1]) + f" {joiner} " + names[-1]
        label = labels.pop() if len(labels) == 1 else "OTHER"
        first = self._member_tokens(head)[0]
        last = self._member_tokens(members[-1])[-1]
        return Speaker(name, label, first.start, last.end)

    def _member_tokens(self, member: Token) -> list[Token]:
        """One member of a coordination: its own phrase, without the members coordinated to it."""
        view = self.view
        inside = set(view.subtree(member.index))
        for child in view.children(member.index):
            if child.dep in ("conj", "cc"):
                inside -= set(view.subtree(child.index))
        kept = [view.tokens[i] for i in sorted(inside) if view.tokens[i].sent_id == member.sent_id]
        while kept and kept[0].index < member.index and (kept[0].pos in ("ADP", "PUNCT", "CCONJ") or kept[0].dep == "case"):
            kept.pop(0)
        while kept and kept[-1].pos == "PUNCT":
            kept.pop()
        return kept or [member]

    # -- organisations ------------------------------------------------------------------------
    def _is_organisation_description(self, tokens: list[Token], head: Token) -> bool:
        if head.lemma.lower() not in self.lexicon.organisation_nouns and head.lower not in self.lexicon.organisation_nouns:
            return False
        if head.feature("Number") == "Plur" and head.lower not in self.lexicon.organisation_nouns:
            return False
        first = tokens[0]
        return first.index == head.index or first.lower in DEFINITE or first.pos != "DET"

    def organisation(self, tokens: list[Token], head: Token, anchor: int) -> Speaker | None:
        """The organisation a description stands for: a name the article writes after the same
        noun (« l'ONG Human Rights Watch » for « l'ONG »), a name it governs (« la direction de
        Renault »), the fuller phrase written earlier (« le ministère de l'Intérieur » for « le
        ministère »), and, for a noun that points back (« l'organisation », « la direction »), the
        organisation the article names most up to there."""
        view = self.view
        word = head.lemma.lower()
        inner = [m for m in view.mentions_between(tokens[0].start, tokens[-1].end) if m.label != "PER" and m.start > head.start]
        if inner and word in self.lexicon.speaks_for_owner:
            return self._entity_speaker(inner[0])
        modified = any(t.index > head.index and t.pos in ("ADJ", "NOUN", "PROPN") for t in tokens)
        organisations = [m for m in view.mentions if m.label == "ORG" and m.end <= anchor and not any(a <= m.start < b for a, b in self.quoted_spans)]
        for mention in reversed(organisations):
            index = view.token_at(mention.start)
            before = view.tokens[index - 1] if index else None
            if before is not None and before.lemma.lower() == word or mention.canonical.lower().split(" ")[0] == head.lower:
                return self._entity_speaker(mention)
        if not modified:
            fuller = self._fuller_phrase(head)
            if fuller is not None:
                return fuller
        if modified and word not in self.lexicon.organisation_anaphors:
            return None
        if word in self.lexicon.organisation_anaphors or word in self.lexicon.speaks_for_owner:
            counts = Counter(m.entity_key for m in organisations)
            if counts:
                best = max(counts, key=lambda key: (counts[key], max(i for i, m in enumerate(organisations) if m.entity_key == key)))
                return self._entity_speaker(next(m for m in reversed(organisations) if m.entity_key == best))
        return None

    def _fuller_phrase(self, head: Token) -> Speaker | None:
        """The latest earlier phrase with the same head noun and words of its own (« le ministère de l'Intérieur »)."""
        for token in reversed(self.view.tokens[: head.index]):
            if token.pos != "NOUN" or token.lemma != head.lemma or self._quoted(token):
                continue
            phrase = self.phrase(token)
            if any(word.index > token.index and word.pos in ("ADJ", "NOUN", "PROPN") for word in phrase):
                return self.from_phrase(phrase, token, token.start)
        return None

    # -- is it a source? -------------------------------------------------------------------
    def is_agent(self, speaker: Speaker, head: Token) -> bool:
        """A person, a group of people, an organisation, a place standing for its government, or
        a document or medium: by entity label, by pronoun, or by a noun of the closed lexicons."""
        if speaker.label in ("PER", "ORG", "LOC"):
            return True
        word = clitic(head) or head.lower
        if word in RELATIVE:
            antecedent = self.view.head(self.view.head(head) or head)
            return antecedent is not None and antecedent.index != head.index and self.is_agent(NOBODY, antecedent)
        if head.pos in ("PRON", "PROPN", "NUM") or clitic(head):
            return True
        lemma = head.lemma.lower()
        if lemma in self.lexicon.agent_nouns or head.lower in self.lexicon.agent_nouns or lemma in self.lexicon.quantities:
            return True
        covering = next((m for m in self.view.mentions if m.start <= head.start < m.end), None)
        return covering is not None and head.feature("Number") == "Plur"  # « les Ukrainiens »: a people

    def agent_in_phrase(self, head: Token, anchor: int) -> Speaker | None:
        """An agent a non-agent phrase names: « les chiffres publiés par la Dares », « l'estimation du ministère »."""
        view = self.view
        for index in view.subtree(head.index):
            token = view.tokens[index]
            if index == head.index or token.sent_id != head.sent_id or self._quoted(token):
                continue
            if token.dep not in ("obl:agent", "nmod") or token.pos not in ("NOUN", "PROPN"):
                continue
            speaker = self.from_token(token, anchor)
            if speaker.name and self.is_agent(speaker, token):
                return speaker
        return None

    def governing_subject(self, cue: Cue) -> Token | None:
        """The subject of the speech verb the cue depends on (« il a dit que le rapport montrait que… »)."""
        view = self.view
        for ancestor in view.ancestors(view.tokens[cue.token]):
            if ancestor.pos in ("VERB", "AUX") and ancestor.lemma in self.lexicon.speech_verbs:
                return self.subject_of(Cue(ancestor.index, ancestor.index, ancestor.lemma, ancestor.start, ancestor.end))
        return None

    # -- quotations with no cue ------------------------------------------------------------
    def _opening_mark(self, offset: int) -> int | None:
        """Index of the quote mark opening the quotation whose content starts at ``offset``."""
        view = self.view
        first = view.token_at(offset)
        if first is None or first == 0:
            return None
        mark = first - 1
        return mark if view.tokens[mark].text in OPENING_MARKS else None

    def colon_introducer(self, offset: int, end: int) -> Token | None:
        """« Akli Gasmi se souvient : « … » »: the subject of the clause the colon closes."""
        view, tokens = self.view, self.view.tokens
        mark = self._opening_mark(offset)
        if mark is None or mark == 0 or tokens[mark - 1].text != ":":
            return None
        colon = mark - 1
        for index in range(colon - 1, -1, -1):
            token = tokens[index]
            if token.sent_id != tokens[colon].sent_id or token.text in CLOSING_MARKS or token.text in {";", ".", "!", "?"} or self._quoted(token):
                return None
            if token.pos in ("VERB", "AUX") and token.dep not in ("aux", "aux:tense", "aux:pass", "cop"):
                subject = self.subject_of(Cue(index, index, token.lemma, token.start, token.end))
                if subject is not None:
                    return subject
        return None

    def governing_clause_subject(self, offset: int, end: int) -> Token | None:
        """« X est intervenu, trouvant le « procédé choquant » »: the subject of the clause the
        quotation belongs to, when that clause starts before it."""
        view = self.view
        mark = self._opening_mark(offset)
        if mark is None or mark == 0 or view.tokens[mark - 1].sent_id != view.tokens[mark].sent_id:
            return None
        for token in view.tokens_between(offset, end):
            head = view.head(token)
            if head is None or offset <= head.start < end:
                continue
            for verb in [head, *view.ancestors(head)]:
                if verb.start >= offset or verb.pos not in ("VERB", "AUX") or self._quoted(verb):
                    continue
                subject = self.subject_of(Cue(verb.index, verb.index, verb.lemma, verb.start, verb.end))
                if subject is not None and subject.start < offset:
                    return subject
            return None
        return None

    def previous_sentence_subject(self, offset: int, end: int) -> Token | None:
        """A quotation opening a sentence, after a sentence of the narrator's in the same
        paragraph: that sentence's subject (« Il a demandé la parole. « Ce vote… » »)."""
        view, tokens = self.view, self.view.tokens
        mark = self._opening_mark(offset)
        if mark is None or mark == 0 or tokens[mark - 1].sent_id == tokens[mark].sent_id:
            return None
        previous = tokens[mark - 1]
        if view.paragraph_of(previous.start) != view.paragraph_of(tokens[mark].start):
            return None
        root = next((t for t in reversed(tokens[: mark]) if t.sent_id == previous.sent_id and t.head == t.index), None)
        if root is None or root.pos not in ("VERB", "AUX") or self._quoted(root):
            return None
        return self.subject_of(Cue(root.index, root.index, root.lemma, root.start, root.end))

    def _antecedent(self, head: Token) -> Speaker | None:
        """« ce même sondage » -> the latest earlier phrase with the same head noun that does not point back itself."""
        view = self.view
        for token in reversed(view.tokens[: head.index]):
            if token.pos != "NOUN" or token.lemma != head.lemma or self._quoted(token):
                continue
            phrase = self.phrase(token)
            if any(word.lower in self.lexicon.anaphoric for word in phrase if word.index < token.index):
                continue
            return self.from_phrase(phrase, token, token.start)
        return None

    def _named_in_phrase(self, mentions: list[Mention], head: Token) -> Mention | None:
        view = self.view
        covering = next((m for m in mentions if m.start <= head.start < m.end), None)
        if covering is not None and covering.label in ("PER", "ORG", "LOC"):
            return covering
        for mention in mentions:
            before = view.token_at(mention.start)
            previous = view.tokens[before - 1] if before else None
            if mention.label in ("ORG", "LOC") and previous is not None and self._names_head(previous, head):
                return mention  # « la chaîne BFM TV », « l'agence Fitch »
            if mention.label != "PER":
                continue
            # a name in apposition or right after a title, not « l'avocate de Bernard »
            if previous is not None and (previous.text == "," or previous.pos in ("NOUN", "ADJ") or previous.text in self.lexicon.honorifics):
                return mention
        return None

    def _names_head(self, previous: Token, head: Token) -> bool:
        """A name written right after the head noun, or after an adjective of it, names it."""
        return previous.index == head.index or (previous.pos == "ADJ" and previous.head == head.index and previous.index > head.index)

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
        """The person a pronoun refers to, of its gender: the latest named subject of its own
        sentence or of the two before, else the latest speaker, else the latest named person."""
        view = self.view
        plural = self.lexicon.pronoun_number.get(word) == "Plur"
        gender = self.lexicon.pronoun_gender.get(word)
        if not plural:
            subject = self._subject_antecedent(start, gender)
            if subject is not None:
                return self._refer(self._entity_speaker(subject), start, end)
        paragraph = view.paragraph_of(start)
        for position, speaker in reversed(self.history):
            if position < start and paragraph - view.paragraph_of(position) <= 3 and speaker.name:
                if plural or (speaker.is_person and self._agrees(speaker.entity_key, gender)):
                    return self._refer(speaker, start, end)
        person = next((m for m in reversed(self._people()) if m.end <= start and self._agrees(m.entity_key, gender)), None)
        return self._refer(self._entity_speaker(person), start, end) if person is not None else Speaker(None, None, start, end)

    def _subject_antecedent(self, start: int, gender: str | None) -> Mention | None:
        """The latest named person, of the pronoun's gender, who is the subject of a clause in the
        pronoun's sentence (before it) or in one of the two sentences before, in its paragraph or the one before."""
        view = self.view
        sentence = view.sentence_of(start)
        paragraph = view.paragraph_of(start)
        sentences_seen: list[int] = []
        for mention in reversed(self._people()):
            if mention.end > start or view.text[mention.start] == "-":
                continue
            where = view.sentence_of(mention.start)
            if where != sentence and where not in sentences_seen:
                sentences_seen.append(where)
            if len(sentences_seen) > SENTENCES_BACK or paragraph - view.paragraph_of(mention.start) > 1:
                return None
            if self._is_subject(mention) and self._agrees(mention.entity_key, gender):
                return mention
        return None

    def _is_subject(self, mention: Mention) -> bool:
        return any(token.dep in SUBJECT for token in self.view.tokens_between(mention.start, mention.end))

    def _agrees(self, entity_key: str | None, gender: str | None) -> bool:
        if gender is None or entity_key is None:
            return True
        known = self._genders.get(entity_key)
        return known is None or known == gender

    @cached_property
    def _genders(self) -> dict[str, str]:
        """The grammatical gender the text gives each named person: an honorific (« Mme »), a
        gendered noun or determiner just before a mention (« la ministre X »), else the first
        name's gender in a dictionary of first names."""
        view = self.view
        found: dict[str, str] = {}
        for mention in self._people():
            if mention.entity_key in found:
                continue
            gender = self._written_gender(mention)
            if gender is not None:
                found[mention.entity_key] = gender
        for mention in self._people():
            if mention.entity_key not in found:
                gender = first_name_gender(mention.canonical)
                if gender is not None:
                    found[mention.entity_key] = gender
        return found

    def _written_gender(self, mention: Mention) -> str | None:
        view = self.view
        index = view.token_at(mention.start)
        if not index:
            return None
        for token in reversed(view.tokens[max(index - 4, 0) : index]):
            if token.sent_id != view.tokens[index].sent_id or token.pos in ("VERB", "AUX", "ADP"):
                return None
            if token.text in self.lexicon.honorific_gender:
                return self.lexicon.honorific_gender[token.text]
            if token.pos == "NOUN" and (token.lemma.lower() in self.lexicon.person_roles or token.lemma.lower() in self.lexicon.human_nouns):
                # « la ministre », « le juge »: the determiner says the gender of a noun of both genders
                determiner = next((child for child in view.children(token.index) if child.pos == "DET" and child.feature("Gender")), None)
                return determiner.feature("Gender") if determiner is not None else token.feature("Gender")
        return None

    def _refer(self, speaker: Speaker, start: int, end: int) -> Speaker:
        return Speaker(speaker.name, speaker.label, start, end, speaker.entity_key)

    def _latest_person(self, before: int) -> Mention | None:
        return next((m for m in reversed(self._people()) if m.end <= before), None)

    def _people(self, role: frozenset[str] = frozenset()) -> list[Mention]:
        """Named people who may be a speaker: not names inside a quotation, and, for a role
        (« l'adjoint »), not people the article gives another role (« Daniel Lanquetin, maire »)."""
        return [
            mention
            for mention in self.view.mentions
            if mention.label == "PER"
            and not any(start <= mention.start < end for start, end in self.quoted_spans)
            and not (role and self._has_other_role(mention.entity_key, role))
        ]

    def _has_other_role(self, entity_key: str, role: frozenset[str]) -> bool:
        held = self._roles_by_person.get(entity_key, set()) & self.lexicon.person_roles
        return bool(held) and not held & role

    @cached_property
    def _roles_by_person(self) -> dict[str, set[str]]:
        by_person: dict[str, set[str]] = {}
        for mention, words in self._roles:
            by_person.setdefault(mention.entity_key, set()).update(words)
        return by_person

    @cached_property
    def _roles(self) -> list[tuple[Mention, set[str]]]:
        """Words written around each named person: « le secrétaire général de l'OTAN, Jens Stoltenberg »;
        found when a description or a role first asks for them, which most documents never do."""
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
        return self._nearest_person(head.start, frozenset({role, head.lower}))

    def _nearest_person(self, offset: int, role: frozenset[str]) -> Mention | None:
        """A person named earlier in the paragraph, else the latest person quoted, else the
        article's main person, preferring there one the article gives no other role than ``role``
        (« l'adjoint » is not « Daniel Lanquetin, maire »)."""
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
        return self.main_person(role) or self.main_person()

    def main_person(self, role: frozenset[str] = frozenset()) -> Mention | None:
        people = self._people(role)
        if not people:
            return None
        quoted = Counter(speaker.entity_key for _, speaker in self.history if speaker.is_person and speaker.entity_key)
        counts = Counter(m.entity_key for m in people)
        best = max(counts, key=lambda key: (quoted[key], counts[key]))
        return next(m for m in people if m.entity_key == best)

    def remember(self, position: int, speaker: Speaker) -> None:
        if speaker.name:
            self.history.append((position, speaker))
