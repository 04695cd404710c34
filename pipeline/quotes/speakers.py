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
from pipeline.quotes.cues import CLOSING_MARKS, OBJECT_CLITICS, REFLEXIVE, Cue, narrative_opening
from pipeline.quotes.first_names import first_name_gender
from pipeline.quotes.document import DocView, EntityMention, Token
from pipeline.quotes.lexicon import QuoteLexicon

NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})
SUBJECT = ("nsubj", "nsubj:pass", "expl:subj")
# Relations the parse gives, at the head of a clause in news text, to what is its subject.
MISPARSED_SUBJECT = frozenset({"vocative", "dislocated"})
# Relations through which a verb shares the subject of the verb it depends on.
SHARED_SUBJECT = frozenset({"advcl", "conj", "xcomp", "parataxis", "ccomp", "acl"})
# Relations of a clause hanging on a noun, never part of the noun phrase a speaker is named by.
CLAUSAL = frozenset({"acl:relcl", "ccomp", "parataxis", "advcl", "csubj"})
DETERMINER_POS = frozenset({"DET"})
RELATIVE = frozenset({"qui", "lequel", "laquelle"})
ELIDED_ARTICLES = frozenset({"l'", "l’", "d'", "d’"})
# Sentences back that a pronoun looks for a named subject in.
SENTENCES_BACK = 1
# Words a subject noun phrase is made of (« une dizaine de délégués de la FNEC FP Force Ouvrière »).
PHRASE_POS = frozenset({"DET", "NOUN", "PROPN", "ADJ", "ADP", "NUM"})
# The singular subject pronoun of each grammatical gender.
PRONOUN_OF_GENDER = {"Masc": "il", "Fem": "elle"}
OPENING_MARKS = frozenset("«“„‹\"")


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
    """First token of « a-t-il déclaré », « ont-ils souligné », « a déclaré », « leur a dit »,
    « s'est réjoui »."""
    tokens = view.tokens
    # « a pour sa part déclaré », « a, elle, salué »: words may stand between the auxiliary and the participle
    first = min([verb.index, *(child.index for child in view.children(verb.index) if child.dep.startswith("aux") and child.index < verb.index)])
    while first > 0 and tokens[first - 1].sent_id == verb.sent_id and (tokens[first - 1].pos == "AUX" or clitic(tokens[first - 1]) or tokens[first - 1].lower == "-t"
                                                                       or tokens[first - 1].lower in OBJECT_CLITICS or tokens[first - 1].lower in REFLEXIVE):
        first -= 1
    return first


class Speakers:
    """Speaker resolution for one document; remembers the speakers already given."""

    def __init__(self, view: DocView, lexicon: QuoteLexicon, quoted: list[tuple[int, int]] | None = None):
        self.view = view
        # (start, end) of the quotations between marks: a speaker is never inside one
        self.quoted_spans = quoted or []
        self.lexicon = lexicon
        self.history: list[tuple[int, Speaker]] = []
        # the first-name genders a pronoun must agree with: all of them, then the certain ones
        self._gender_of: dict[str, str] | None = None

    def _quoted(self, token: Token) -> bool:
        return self._inside_quotation(token.start)

    def _inside_quotation(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.quoted_spans)

    @cached_property
    def _unquoted_mentions(self) -> list[EntityMention]:
        """The mentions outside quotations, in text order: found once per document, since every
        search for a speaker or an antecedent reads them (a long article has thousands)."""
        return [mention for mention in self.view.mentions if not self._inside_quotation(mention.start)]

    # -- the subject of a cue -------------------------------------------------------
    def subject_of(self, cue: Cue, inverted: bool = False, depth: int = 0) -> Token | None:
        view = self.view
        verb = view.tokens[cue.token]
        if verb.feature("VerbForm") == "Inf":
            opening = narrative_opening(view, verb, self.lexicon)
            if opening is not None:
                return self._narrative_subject(opening, verb)
        children = view.children(verb.index)
        group = verb_group_start(view, verb)
        for child in children:
            # nothing between the auxiliary and its participle is the subject (« a de son côté affirmé »)
            if (child.dep in SUBJECT and child.index < verb.index and not self._quoted(child) and not group < child.index
                    and not (inverted and self.subject_of_report(child, group))):
                # « a-t-elle »: the euphonic « -t » is sometimes parsed as the subject
                if child.lower == "-t" and child.index + 1 < len(view.tokens):
                    return view.tokens[child.index + 1]
                return self._repaired_subject(child, verb)
        for child in children:
            # « Bruno Martin, président du groupe, est intervenu »: a subject the parse calls a vocative
            if child.dep in MISPARSED_SUBJECT and child.index < verb.index and child.pos in ("NOUN", "PROPN") and not self._quoted(child):
                return child
        after = view.tokens[verb.index - 2 : cue.last + 3] if verb.index >= 2 else view.tokens[: cue.last + 3]
        for token in after:
            if token.index > verb.index - 3 and clitic(token) in self.lexicon.pronoun_number | {"on": "Sing"}:
                return token
        if inverted:
            named = self._name_right_after(cue)
            if named is not None:
                return named  # « lance Pierre, un agriculteur »: the parse may hang the name on the cue or on its apposition
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
        return self._auxiliary_subject(verb)

    def _narrative_subject(self, opening: int, infinitive: Token) -> Token | None:
        """« Et le ministre de conclure »: the noun phrase between « Et » and « de »; with none
        (« Et d'ajouter »), the subject of the sentence before, whose story goes on."""
        view = self.view
        named = next((token for token in view.tokens[opening + 1 : infinitive.index - 1] if token.pos in ("NOUN", "PROPN")), None)
        if named is not None or opening == 0:
            return named
        return self._root_subject(self._sentence_tokens(view.tokens[opening - 1].start))

    def subject_of_report(self, subject: Token, group_start: int) -> bool:
        """« Les enquêteurs privilégient la piste, a indiqué une source »: a subject the parse gives
        the cue, but which a finite verb of its own follows before the comma that opens the incise,
        is the report's (not « Le préfet, qui était à Lyon, a déclaré »: a relative clause's verb)."""
        tokens = self.view.tokens
        if group_start == 0 or tokens[group_start - 1].text != "," or subject.index >= group_start:
            return False
        between = tokens[subject.index + 1 : group_start - 1]
        relative = next((position for position, token in enumerate(between) if token.feature("PronType") == "Rel"), len(between))
        return any(token.is_finite_verb for token in between[:relative])

    def _name_right_after(self, cue: Cue) -> Token | None:
        """The first word of a person's or organisation's name written right after the cue."""
        tokens = self.view.tokens
        if cue.last + 1 >= len(tokens):
            return None
        following = tokens[cue.last + 1]
        named = self.view.mention_at(following.start)
        return following if named is not None and named.start == following.start and named.label in ("PER", "ORG") else None

    def passive_agent(self, cue: Cue) -> Token | None:
        """« Le gouvernement a été accusé par l'opposition de mentir »: a speech verb in the passive
        is said by its agent (« par X »), not by its subject; the parse sometimes hangs the agent on
        the quoted attribute (« qualifiée d'« historique » par le gouvernement »)."""
        view = self.view
        children = view.children(cue.token)
        if not any(child.dep in ("aux:pass", "nsubj:pass") for child in children):
            return None
        agent = next((child for child in children if child.dep == "obl:agent" and child.pos in NOMINAL and not self._quoted(child)), None)
        if agent is not None:
            return agent
        attributes = [child for child in children if child.dep == "xcomp" and child.index > cue.last]
        return next((noun for attribute in attributes for noun in view.children(attribute.index)
                     if noun.pos in NOMINAL and not self._quoted(noun) and any(case.dep == "case" and case.lower == "par" for case in view.children(noun.index))), None)

    def qualified_by_participle(self, cue: Cue) -> Token | None:
        """« une rumeur affirmant que », « un bandeau disant « … » »: a present participle written
        right after its noun, with no comma, qualifies that noun, which is what says it (set off by a
        comma, « X a quitté la salle, estimant que », it is the main subject's). Not a document the
        clause's subject issues (« le parti publie un texte affirmant que »): the subject speaks through it."""
        view = self.view
        verb = view.tokens[cue.token]
        if verb.feature("VerbForm") != "Part" or verb.feature("Tense") != "Pres" or verb.dep != "acl":
            return None
        noun = view.head(verb)
        if noun is None or noun.pos != "NOUN" or noun.index > verb.index or self._quoted(noun):
            return None
        if any(token.pos == "PUNCT" for token in view.tokens[noun.index + 1 : verb.index]):
            return None
        if not any(child.pos == "DET" for child in view.children(noun.index)):
            return None  # a noun qualified in a phrase has its determiner (not a misspelt « en » read as « an »)
        issuer = view.head(noun)
        if noun.dep == "obj" and issuer is not None and noun.lemma.lower() in self.lexicon.publications:
            if any(child.dep in SUBJECT for child in view.children(issuer.index)):
                return None
        return noun

    def _auxiliary_subject(self, participle: Token) -> Token | None:
        """« Le gouvernement, impuissant, a de son côté dénoncé… »: when the parse splits the verb
        group, the subject hangs on the finite auxiliary a few words before the participle, or on
        the word the parse hung that auxiliary on (« ont au contraire dénoncé »: on « contraire »)."""
        view = self.view
        if participle.feature("VerbForm") != "Part":
            return None
        for token in reversed(view.tokens[max(participle.index - 6, 0) : participle.index]):
            if token.sent_id != participle.sent_id or token.pos in ("VERB", "PUNCT") and token.lemma not in ("avoir", "être"):
                return None
            if token.lemma in ("avoir", "être") and token.feature("VerbForm") == "Fin":
                holders = [token] if view.head(token) is None else [token, view.head(token)]
                return next((child for holder in holders for child in view.children(holder.index)
                             if child.dep in SUBJECT and child.index < token.index and not self._quoted(child)), None)
        return None

    def _repaired_subject(self, subject: Token, verb: Token) -> Token:
        """Two parse errors a French subject cannot be: a phrase opened by a preposition (« Sur
        Twitter, Philippe Gosselin a dénoncé »: the subject is the name set off after it), and a
        phrase followed, past a comma, by a noun with no preposition that ends right before the
        verb group (« La Syrie n'ayant pas ratifié la convention, l'ONG a demandé »: that noun)."""
        view = self.view
        children = view.children(subject.index)
        if any(child.dep == "case" and child.index < subject.index for child in children):
            apposed = next((child for child in children if child.dep == "appos" and child.index < verb.index and self._names_agent(child)), None)
            if apposed is not None:
                return apposed
        first = verb_group_start(view, verb)
        nearest = view.tokens[first - 1] if first > subject.index + 1 else None
        while nearest is not None and nearest.pos == "ADV" and nearest.index > subject.index + 1:
            nearest = view.tokens[nearest.index - 1]
        if nearest is None or nearest.pos not in ("NOUN", "PROPN") or nearest.dep != "nmod":
            return subject
        head_of_nearest = view.name_head(nearest)
        phrase_start = min(i for i in view.subtree(head_of_nearest.index) if view.tokens[i].sent_id == verb.sent_id)
        unmarked = not any(child.dep == "case" for child in view.children(head_of_nearest.index))
        after_comma = phrase_start > 0 and view.tokens[phrase_start - 1].text == ","
        return head_of_nearest if unmarked and after_comma else subject

    def _names_agent(self, token: Token) -> bool:
        named = self.view.mention_at(token.start)
        return named is not None and named.label in ("PER", "ORG")

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
        counted = first.index + 1 < len(self.view.tokens) and self.view.tokens[first.index + 1].lower in self.lexicon.of_words
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
        """The noun phrase headed by ``head``: its words in the parse without the clauses that hang
        on it (« …confirmés, les républicains auront… » is not part of « les projections »), cut
        before a relative clause or a second comma (one comma lets an apposition in: « le chef du
        bloc, Jens Stoltenberg »)."""
        view = self.view
        indices = set(i for i in view.subtree(head.index) if view.tokens[i].sent_id == head.sent_id and i >= head.index - 8)
        for index in sorted(indices):
            token = view.tokens[index]
            if index in indices and index != head.index and self._is_clause(token):
                indices -= set(view.subtree(index)) - {head.index}
        lo, hi = min(indices), max(indices)
        kept: list[Token] = []
        commas = 0
        for token in view.tokens[lo : hi + 1]:
            if is_pictograph(token.text):
                # An emoji is never part of a speaker: it ends the phrase after its head, and starts it afresh before.
                if token.index > head.index:
                    break
                kept = []
                continue
            finite = token.is_finite_verb
            if token.index > head.index and finite and commas == 1:
                # « Selon X, la langue est… »: what a comma sets off right before a finite verb is
                # that verb's subject, not an apposition
                kept = kept[: next(position for position, word in enumerate(kept) if word.index > head.index and word.text == ",")]
                break
            if token.index > head.index and (token.index not in indices or token.lower in RELATIVE or token.text in "();:" or finite):
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
        return self._to_end_of_name(kept) or [head]

    def _to_end_of_name(self, phrase: list[Token]) -> list[Token]:
        """A noun phrase never ends inside a name: whatever the parse made of its words
        (« d'après The Hollywood | Reporter, P »), the phrase runs to the name's end."""
        if not phrase:
            return phrase
        last = phrase[-1]
        named = self.view.mention_at(last.start)
        following = self.view.tokens[last.index + 1] if last.index + 1 < len(self.view.tokens) else None
        if named is None and last.pos == "NOUN" and following is not None and following.sent_id == last.sent_id:
            # « écrit l'ONG Oxfam »: a name written right after the head noun names it, whatever the parse
            named = next((m for m in self.view.mentions if m.start == following.start), None)
        if named is None or named.end <= last.end:
            return phrase
        rest = []
        for token in self.view.tokens[last.index + 1 :]:
            if token.start >= named.end or token.sent_id != last.sent_id:
                break
            rest.append(token)
        return phrase + rest

    @staticmethod
    def _is_clause(token: Token) -> bool:
        """A clause hanging on a noun: a finite verb, a relative, reported or adverbial clause, a
        present participle's or an infinitive's (« une rumeur affirmant que… », « accusé par
        l'opposition de mentir »); a past participle qualifies (« les chiffres publiés par… »)."""
        if token.dep == "acl" and (token.feature("VerbForm") == "Inf" or token.feature("VerbForm") == "Part" and token.feature("Tense") == "Pres"):
            return True
        return token.dep in CLAUSAL or token.is_finite_verb

    @staticmethod
    def without_apposition(tokens: list[Token], head: Token) -> list[Token]:
        """« nombreux habitants, témoins de la scène » -> « nombreux habitants »: a description is
        its noun phrase without what a comma sets off after the head."""
        comma = next((position for position, token in enumerate(tokens) if token.index > head.index and token.text == ","), None)
        return tokens if comma is None else tokens[:comma]

    def _without_determiner(self, tokens: list[Token]) -> list[Token]:
        """Without its determiner, and without a leading noun of quantity (« une dizaine de délégués » -> « délégués »)."""
        position = self._past_determiners(tokens, 0)
        if (
            position < len(tokens) - 2
            and tokens[position].lemma.lower() in self.lexicon.quantities
            and tokens[position + 1].lower in self.lexicon.of_words
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
                if antecedent is None or antecedent.pos not in ("NOUN", "PROPN"):
                    antecedent = self._written_antecedent(head)
                return self.from_token(antecedent, anchor) if antecedent is not None else NOBODY
            if word in self.lexicon.pronoun_number:
                start = head.start + head.text.lower().rfind(word)
                return self.pronoun(word, start, start + len(word), anchor)
            if word == "on":
                start = head.start + head.text.lower().rfind("on")
                return Speaker("on", "OTHER", start, start + 2) if not clitic(head) else NOBODY
        group = self._partitive_pronoun(head)
        if group is not None:
            return self.pronoun(group.lower, head.start, group.end, anchor)  # its antecedent stands before the whole phrase
        latest = self._latest_named(head)
        if latest is not None:
            start = head.start if head.lower in self.lexicon.proximal_pronouns else view.tokens[head.index - 1].start
            end = head.end + 3 if head.lower in self.lexicon.proximal_pronouns else head.end
            return self._refer(self._entity_speaker(latest), start, end)
        tokens = self.phrase(head)
        return self.from_phrase(tokens, head, anchor)

    def _partitive_pronoun(self, head: Token) -> Token | None:
        """« Plusieurs d'entre eux », « l'un d'elles »: some of a group a pronoun refers to, who
        speak for it; the pronoun, whose group is the speaker."""
        for child in self.view.children(head.index):
            if child.index > head.index and child.pos == "PRON" and self.lexicon.pronoun_number.get(child.lower) == "Plur":
                if any(grandchild.dep == "case" and grandchild.lower in self.lexicon.of_words for grandchild in self.view.children(child.index)):
                    return child
        return None

    def _written_antecedent(self, relative: Token) -> Token | None:
        """« … par la CGT, qui appelle à… »: when the parse hangs the relative clause elsewhere, its
        antecedent is still the noun written right before the pronoun (past a comma)."""
        tokens = self.view.tokens
        before = relative.index - 1
        if before >= 0 and tokens[before].text == ",":
            before -= 1
        if before < 0 or tokens[before].sent_id != relative.sent_id or tokens[before].pos not in ("NOUN", "PROPN"):
            return None
        return self.view.name_head(tokens[before])

    def _latest_named(self, head: Token) -> EntityMention | None:
        """« Paul Martin a rencontré Luc Bernard. Ce dernier a affirmé… »: « ce dernier », « cette
        dernière », « celui-ci », « celle-ci » stand for the latest person or organisation named
        before them, of their gender."""
        view, lexicon = self.view, self.lexicon
        determiner = view.tokens[head.index - 1] if head.index else None
        if head.lower in lexicon.latest_named and determiner is not None and determiner.lower in lexicon.demonstratives and determiner.head == head.index:
            gender, before = lexicon.latest_named[head.lower], determiner.start
        elif head.lower in lexicon.proximal_pronouns and view.text[head.end : head.end + 3].lower() == "-ci":
            gender, before = lexicon.proximal_pronouns[head.lower], head.start
        else:
            return None
        return next(
            (m for m in reversed(self._unquoted_mentions) if m.end <= before and m.label in ("PER", "ORG")
             and (m.label != "PER" or self._agrees(m.entity_key, gender))),
            None,
        )

    def from_phrase(self, tokens: list[Token], head: Token, anchor: int, whole: bool = True) -> Speaker:
        """The speaker a noun phrase designates; ``whole`` is False for one member of a coordination."""
        view = self.view
        start, end = tokens[0].start, tokens[-1].end
        coordinated = self._coordination(head, anchor) if whole else None
        if coordinated is not None:
            return coordinated
        mentions = view.mentions_between(start, end)
        named = self._named_in_phrase(mentions, head) or (self._apposed_to(tokens) if head.dep not in SUBJECT else None)
        if named is None and self._is_person_noun(head):
            named = self._name_set_off_after(tokens)
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
        content = self.without_apposition(content, head)
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
        # « Jean Moulin, maire de Brest, et Paul Kerbrat »: a name coordinated to the apposition
        # is a member too; a noun there is the apposition's own (« sociologue et professeur »)
        members += [child for holder in self._with_appositions(head)[1:] for child in view.children(holder.index)
                    if child.dep == "conj" and child.pos == "PROPN" and not self._quoted(child)]
        if not members or not any(child.dep == "cc" for member in members for child in view.children(member.index)):
            return None  # « de nombreux riverains, témoins de l'incendie »: no coordinating word, an apposition
        names, labels = [], set()
        for member in [head, *members]:
            speaker = self.from_phrase(self._member_tokens(member), member, anchor, whole=False)
            if not speaker.name:
                return None
            names.append(speaker.name)
            labels.add(speaker.label)
        first = self._member_tokens(head)[0]
        last = max((token for member in [head, *members] for token in self._member_tokens(member)), key=lambda token: token.end)
        if labels == {"OTHER"}:
            # « les projections et résultats déjà confirmés »: descriptions, with nothing to name
            # them by, are the coordination as written (a modifier may be shared by every member)
            written = self._without_determiner([t for t in view.tokens[first.index : last.index + 1]])
            return Speaker(view.text[written[0].start : written[-1].end], "OTHER", first.start, last.end)
        joiner = next((child.text for member in members for child in view.children(member.index) if child.dep == "cc"), "et")
        name = ", ".join(names[:-1]) + f" {joiner} " + names[-1]
        label = labels.pop() if len(labels) == 1 else "OTHER"
        return Speaker(name, label, first.start, last.end)

    def _with_appositions(self, head: Token) -> list[Token]:
        """The head and its appositions: « Jean Moulin, maire de Brest, et Paul Kerbrat » is parsed
        with the second member coordinated to the apposition."""
        return [head, *(child for child in self.view.children(head.index) if child.dep == "appos")]

    def _member_tokens(self, member: Token) -> list[Token]:
        """One member of a coordination: its own phrase, without the members coordinated to it."""
        view = self.view
        inside = {token.index for token in self.phrase(member)}
        for holder in self._with_appositions(member):
            for child in view.children(holder.index):
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
        return first.index == head.index or first.lower in self.lexicon.definite_determiners or first.pos != "DET"

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
        owner = self._owner_pointing_back(tokens, head) if word in self.lexicon.speaks_for_owner else None
        if owner is not None:
            return self.organisation(self.phrase(owner), owner, anchor)  # « la direction du groupe »: the group named before
        modified = any(t.index > head.index and t.pos in ("ADJ", "NOUN", "PROPN") for t in tokens)
        organisations = [m for m in self._unquoted_mentions if m.label == "ORG" and m.end <= anchor]
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
            if self._has_complement(tokens, head):
                return None  # « le mouvement des Indignés »: a description of its own, not an organisation named before
            subject = self._organisation_subject_before(head)
            if subject is not None:
                return self._entity_speaker(subject)
            counts = Counter(m.entity_key for m in organisations)
            if counts:
                best = max(counts, key=lambda key: (counts[key], max(i for i, m in enumerate(organisations) if m.entity_key == key)))
                return self._entity_speaker(next(m for m in reversed(organisations) if m.entity_key == best))
        return None

    def _owner_pointing_back(self, tokens: list[Token], head: Token) -> Token | None:
        """« la direction du groupe », « la présidence de l'entreprise »: the organisation noun
        of the « de » phrase right after the head, when it points back to an organisation."""
        following = [token for token in tokens if token.index > head.index and token.pos != "ADJ"]
        if len(following) < 2 or following[0].lower not in self.lexicon.of_words:
            return None
        owner = next((token for token in following[1:] if token.pos != "DET"), None)
        if owner is None or owner.pos != "NOUN" or owner.lemma.lower() not in self.lexicon.organisation_anaphors:
            return None
        return owner if not any(token.index > owner.index and token.pos in ("NOUN", "PROPN", "ADJ") for token in tokens) else None

    def _has_complement(self, tokens: list[Token], head: Token) -> bool:
        """« le syndicat (national) des pilotes », « le mouvement des « Indignés » »: a « de » phrase
        right after the head and its adjectives (not one inside a participle's phrase: « l'organisation
        militant pour les droits de l'Homme »), naming something else than a place."""
        following = [token for token in tokens if token.index > head.index]
        while following and following[0].pos == "ADJ":
            following.pop(0)
        if not following or following[0].lower not in self.lexicon.of_words:
            return False
        # « l'institution de Washington », « le groupe de Boulogne-Billancourt »: a place locates it, still pointing back
        complement = next((token for token in following[1:] if token.pos != "DET"), None)
        named = self.view.mention_at(complement.start) if complement is not None else None
        return named is None or named.label != "LOC"

    def _organisation_subject_before(self, head: Token) -> EntityMention | None:
        """« Air France assure que P. La compagnie estime… »: like a pronoun, a noun pointing back
        stands first for a named organisation subject of its sentence or of the one before."""
        for tokens in self._sentences_back(head.start)[:2]:
            for subject in self._subjects_by_salience(tokens, head.start):
                named = self.view.mention_at(subject.start)
                if named is not None and named.label == "ORG" and not self._quoted(subject):
                    return named
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
        if self.lexicon.is_agent_noun(lemma) or self.lexicon.is_agent_noun(head.lower) or lemma in self.lexicon.quantities:
            return True
        covering = self.view.mention_at(head.start)
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
        verbless, first = True, colon
        for index in range(colon - 1, -1, -1):
            token = tokens[index]
            if token.sent_id != tokens[colon].sent_id or token.text in CLOSING_MARKS or token.text in {";", ".", "!", "?"} or self._quoted(token):
                break
            first = index
            if token.pos in ("VERB", "AUX") and token.dep not in ("aux", "aux:tense", "aux:pass", "cop"):
                verbless = False
                subject = self.subject_of(Cue(index, index, token.lemma, token.start, token.end))
                if subject is not None:
                    return subject
        if not verbless:
            return None
        # « Réaction du maire, Jean Tessier : « … » »: a heading with no verb gives the speaker by
        # the latest person or organisation it names
        named = [m for m in self.view.mentions_between(tokens[first].start, tokens[colon].start) if m.label in ("PER", "ORG")]
        return tokens[self.view.token_at(named[-1].start)] if named else None

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
            return self._narrator_before(mark)
        return self._root_subject(self._sentence_tokens(previous.start))

    def _narrator_before(self, mark: int) -> Token | None:
        """« X a répondu à nos questions.¶« … » »: a quotation opening a paragraph, after a paragraph
        of narration with no quotation in it, is the voice of the person subject of that
        paragraph's last sentence."""
        view, tokens = self.view, self.view.tokens
        paragraph = view.paragraph_of(tokens[mark].start)
        if paragraph == 0 or view.text[view.paragraph_bounds(paragraph)[0] : tokens[mark].start].strip():
            return None
        return self.narrator_of(paragraph)

    def narrator_of(self, paragraph: int) -> Token | None:
        """The person subject of the last sentence of the paragraph before ``paragraph``, when that
        paragraph is narration with no quotation in it: who the quotation or interview opening
        ``paragraph`` is introduced as the voice of."""
        view = self.view
        if paragraph == 0:
            return None
        start, end = view.paragraph_bounds(paragraph - 1)
        if any(start <= a < end for a, _ in self.quoted_spans):
            return None
        subject = self._root_subject(view.tokens_between(start, end))
        return subject if subject is not None and self.from_token(subject, subject.start).is_person else None

    def _sentence_tokens(self, offset: int) -> list[Token]:
        _, first, last = self.view.sentences[self.view.sentence_position(offset)]
        return self.view.tokens_between(first, last)

    def _root_subject(self, tokens: list[Token]) -> Token | None:
        """The subject of the last root among ``tokens`` (a sentence, a paragraph) when it is a predicate."""
        root = next((token for token in reversed(tokens) if token.head == token.index), None)
        if root is None or not self._is_predicate(root) or self._quoted(root):
            return None
        return self.subject_of(Cue(root.index, root.index, root.lemma, root.start, root.end))

    def _is_predicate(self, root: Token) -> bool:
        """A verb, or a word a copula makes the predicate (« X était satisfait »)."""
        return root.pos in ("VERB", "AUX") or any(child.dep == "cop" for child in self.view.children(root.index))

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

    def _named_in_phrase(self, mentions: list[EntityMention], head: Token) -> EntityMention | None:
        view = self.view
        # the name holding the head, even when it starts before the phrase (the parse may hang a
        # first name elsewhere: « a déclaré Dmitri Peskov » with « Dmitri » as the object)
        covering = view.mention_at(head.start)
        if covering is not None and covering.label in ("PER", "ORG", "LOC"):
            return covering
        if head.lemma.lower() in self.lexicon.document_nouns:
            return None  # « un sondage Ifop », « le rapport Gallois »: a name after a document is its issuer or author, the source is the document
        for mention in mentions:
            before = view.token_at(mention.start)
            previous = view.tokens[before - 1] if before else None
            if mention.label in ("ORG", "LOC") and previous is not None and self._names_head(previous, head):
                return mention  # « la chaîne BFM TV », « l'agence Fitch »
            if mention.label != "PER":
                if not self._apposed_name_of_person(mention, head):
                    continue
                mention = mention._replace(label="PER")
            # a name in apposition or right after a title, not « l'avocate de Bernard »
            if previous is not None and (previous.text == "," or previous.pos in ("NOUN", "ADJ") or previous.text in self.lexicon.honorifics):
                return mention
        return None

    def _name_set_off_after(self, tokens: list[Token]) -> EntityMention | None:
        """« Une porte-parole de l'ONU, Marie Okabe, a indiqué »: a person's name between commas
        right after a phrase headed by a noun of people, which the parse did not make its apposition."""
        view = self.view
        comma = tokens[-1].index + 1
        if comma + 1 >= len(view.tokens) or view.tokens[comma].text != "," or view.tokens[comma + 1].sent_id != tokens[-1].sent_id:
            return None
        named = view.mention_at(view.tokens[comma + 1].start)
        if named is None or named.label != "PER" or named.start != view.tokens[comma + 1].start or self._inside_quotation(named.start):
            return None
        after = view.token_at(named.end)
        return named if after is not None and view.tokens[after].text == "," else None

    def _apposed_name_of_person(self, mention: EntityMention, head: Token) -> bool:
        """« Sa femme, Ioulia, a affirmé »: a proper noun in apposition to a noun of people names
        that person, whatever label the model gave the name."""
        view = self.view
        first = view.token_at(mention.start)
        if not first or not self._is_person_noun(head) or view.tokens[first - 1].text != ",":
            return False
        name = view.tokens[first]
        return name.pos == "PROPN" and name.head == head.index and not any(child.dep == "case" for child in view.children(name.index))

    def _names_head(self, previous: Token, head: Token) -> bool:
        """A name written right after the head noun, or after its adjectives and bare « de » complements
        (« l'agence de presse officielle Xinhua », « la télévision d'État CCTV »), names it."""
        if previous.index < head.index or previous.index > head.index and previous.pos not in ("ADJ", "NOUN"):
            return False  # not « le gouvernement du Mali »: a place it is of
        bare_of = self.lexicon.bare_of_words
        between = self.view.tokens[head.index + 1 : previous.index + 1]
        bare_complement = [token.pos == "NOUN" and index > 0 and between[index - 1].lower in bare_of for index, token in enumerate(between)]
        return all(token.pos == "ADJ" or token.lower in bare_of or bare for token, bare in zip(between, bare_complement))

    def _entity_speaker(self, mention: EntityMention) -> Speaker:
        start = mention.start
        index = self.view.token_at(mention.start)
        if index:
            previous = self.view.tokens[index - 1]
            if previous.text in self.lexicon.honorifics and previous.end >= mention.start - 1:
                start = previous.start
        label = mention.label if mention.label in ("PER", "ORG", "LOC") else "OTHER"
        return Speaker(mention.canonical, label, start, mention.end, mention.entity_key)

    def _apposed_to(self, tokens: list[Token]) -> EntityMention | None:
        """« Bernard Bonnet, le successeur de Claude Erignac, qui… »: a description set off by commas
        right after a name stands for that name (« Selon X, le gouvernement a… » is no apposition:
        its head is a subject)."""
        view = self.view
        if not tokens or tokens[0].index < 2 or tokens[0].pos != "DET" or view.tokens[tokens[0].index - 1].text != ",":
            return None
        after = view.tokens[tokens[-1].index + 1] if tokens[-1].index + 1 < len(view.tokens) else None
        if after is not None and after.sent_id == tokens[-1].sent_id and after.text != "," and after.lower not in RELATIVE:
            return None  # an apposition closes with a comma, a relative or its sentence: « , l'ONG a demandé » is a subject
        before = view.tokens[tokens[0].index - 2]
        # a description of a person (« un infirmier de l'hôpital ») is never apposed to an organisation
        noun = next((t for t in tokens if t.pos == "NOUN"), None)
        labels = ("PER",) if noun is not None and self._is_person_noun(noun) else ("PER", "ORG")
        return next((m for m in view.mentions if m.end == before.end and m.label in labels and not self._quoted(before)), None)

    def _is_person_description(self, tokens: list[Token], head: Token) -> bool:
        """A definite singular description headed by a role or a noun of people (« le chercheur »)."""
        if head.feature("Number") == "Plur":
            return False
        first = tokens[0]
        roles = self.lexicon.person_roles
        if head.lemma.lower() in roles or head.lower in roles:
            return first.index == head.index or first.lower in self.lexicon.definite_determiners or first.pos != "DET"
        # « le médecin », « cette mère de famille »: a noun of people with an article or a
        # demonstrative points back to someone named; « son voisin », « le recteur de son
        # université » is someone else, related to the one named
        people = self.lexicon.human_nouns
        related = any(token.feature("Poss") == "Yes" for token in tokens)
        return (head.lemma.lower() in people or head.lower in people) and first.lower in self.lexicon.pointing_back and not related

    # -- pronouns and descriptions --------------------------------------------------------
    def pronoun(self, word: str, start: int, end: int, anchor: int, depth: int = 0) -> Speaker:
        """Who a pronoun refers to (``_salient_referent``); when nobody agrees with it, a first
        name worn by both genders does not rule a person out (« Camille Roux… Il a affirmé »)."""
        found = self._salient_referent(word, start, end, anchor, depth)
        if found.name is not None or self._gender_of is not None:
            return found
        self._gender_of = self._certain_genders
        try:
            return self._salient_referent(word, start, end, anchor, depth)
        finally:
            self._gender_of = None

    def _salient_referent(self, word: str, start: int, end: int, anchor: int, depth: int = 0) -> Speaker:
        """Who a pronoun refers to, agreeing in gender and number, by salience: a person who is the
        subject of a clause before it in its sentence or in the sentence before (main clauses
        first; a pronoun there refers on to its own antecedent); else the latest speaker of its
        paragraph; else an organisation or group subject before it in its own sentence (« l'ONG X
        publie un rapport dans lequel elle dévoile que… »); else a named person of the sentence
        before; else the latest speaker, else the latest named person."""
        view = self.view
        plural = self.lexicon.pronoun_number.get(word) == "Plur"
        gender = self.lexicon.pronoun_gender.get(word)
        person = self._subject_antecedent(start, word, depth, people=True)
        if person is not None:
            return self._refer(person, start, end)
        paragraph = view.paragraph_of(start)
        speakers = [(position, speaker) for position, speaker in reversed(self.history) if position < start and speaker.name and (plural or (speaker.is_person and self._agrees(speaker.entity_key, gender)))]
        if speakers and view.paragraph_of(speakers[0][0]) == paragraph:
            return self._refer(speakers[0][1], start, end)
        agent = self._subject_antecedent(start, word, depth, people=False)
        if agent is not None:
            return self._refer(agent, start, end)
        named = self._named_in_sentence_before(start, gender) if not plural else None
        if named is not None:
            return self._refer(self._entity_speaker(named), start, end)
        if speakers and paragraph - view.paragraph_of(speakers[0][0]) <= 3:
            return self._refer(speakers[0][1], start, end)
        latest = next((m for m in reversed(self._people()) if m.end <= start and self._agrees(m.entity_key, gender)), None)
        if latest is not None:
            return self._refer(self._entity_speaker(latest), start, end)
        # no person it can stand for: an agreeing subject of the sentence before that is not a
        # named person (« Le constructeur Renault a présenté ses résultats. Il affirme… », « Le
        # préfet a promis une réponse. Selon lui… »)
        agent = self._subject_antecedent(start, word, depth, people=False, reach=SENTENCES_BACK + 1)
        return self._refer(agent, start, end) if agent is not None else Speaker(None, None, start, end)

    def _sentences_back(self, start: int) -> list[list[Token]]:
        """The tokens before ``start`` in its sentence, then those of the sentence before it when
        that one is in the same paragraph or the one before."""
        view = self.view
        position = view.sentence_position(start)
        found = []
        for back in range(SENTENCES_BACK + 1):
            if position - back < 0:
                break
            _, first, last = view.sentences[position - back]
            if view.paragraph_of(start) - view.paragraph_of(first) > 1:
                break
            found.append([t for t in view.tokens_between(first, min(last, start)) if not self._quoted(t)])
        return found

    def _subject_antecedent(self, start: int, word: str, depth: int, people: bool, reach: int | None = None) -> Speaker | None:
        """The speaker the nearest agreeing subject stands for, a person (``people``: in the
        pronoun's sentence, then in the sentence before) or not (in its sentence only: further
        back, an organisation is seldom what « il » or « elle » stands for); in each sentence the
        subjects of main clauses before the others, the latest first."""
        for tokens in self._sentences_back(start)[: reach or (None if people else 1)]:
            subjects = self._subjects_by_salience(tokens, start)
            plural = self.lexicon.pronoun_number.get(word) == "Plur"
            for subject in subjects:
                speaker = self._agreeing(subject, word, depth)
                # « Thomas Pesquet et ses coéquipiers… Ils ont raconté »: a group of people is not one
                # person; « un infirmier… Il dit » is one, unnamed
                person = speaker is not None and (speaker.label == "PER" or (speaker.label == "OTHER" and self._is_person_noun(subject)))
                if speaker is not None and (person == people or plural and people):
                    return speaker
        return None

    def _is_person_noun(self, token: Token) -> bool:
        lemma = token.lemma.lower()
        return token.pos == "NOUN" and (lemma in self.lexicon.person_roles or lemma in self.lexicon.human_nouns)

    def _subjects_by_salience(self, tokens: list[Token], before: int) -> list[Token]:
        """The subjects among ``tokens`` that end before ``before``: main clauses first, the latest first."""
        subjects = [t for t in tokens if t.dep in ("nsubj", "nsubj:pass") and t.end <= before]
        return sorted(subjects, key=lambda t: (len(self.view.ancestors(t)), -t.index))

    def _agreeing(self, subject: Token, word: str, depth: int) -> Speaker | None:
        """The speaker ``subject`` designates when it agrees with the pronoun ``word`` and is an agent."""
        number, gender = self.lexicon.pronoun_number[word], self.lexicon.pronoun_gender.get(word)
        other = clitic(subject) or subject.lower
        if subject.pos == "PRON" or clitic(subject):
            if other not in self.lexicon.pronoun_number or self.lexicon.pronoun_number[other] != number or depth >= 2:
                return None
            if self.lexicon.pronoun_gender.get(other, gender) != gender:
                return None
            start = subject.start + subject.text.lower().rfind(other)
            speaker = self.pronoun(other, start, start + len(other), start, depth + 1)
            return speaker if speaker.name else None
        named = self.view.mention_at(subject.start)
        coordinated = any(child.dep == "conj" for child in self.view.children(subject.index))
        subject_number = "Plur" if coordinated else ("Sing" if named is not None and subject.pos == "PROPN" else subject.feature("Number"))
        if subject_number is not None and subject_number != number:
            return None
        if named is not None and named.label == "PER":
            if not self._agrees(named.entity_key, gender):
                return None
        elif gender is not None and number == "Sing" and self._noun_gender(subject) not in (None, gender):
            return None
        speaker = self.from_token(subject, subject.start)
        if speaker.is_person and not self._agrees(speaker.entity_key, gender):
            return None
        return speaker if speaker.name and self.is_agent(speaker, subject) else None

    def _noun_gender(self, token: Token) -> str | None:
        """The gender of a noun as its determiner says it (« la ministre »), else as tagged."""
        determiner = next((child for child in self.view.children(token.index) if child.pos == "DET" and child.feature("Gender")), None)
        return determiner.feature("Gender") if determiner is not None else token.feature("Gender")

    def _named_in_sentence_before(self, start: int, gender: str | None) -> EntityMention | None:
        """The latest named person of the sentence before, of the pronoun's gender, whatever their role
        in it (« … leur indignation par Christian Jacob, président du groupe. Il a souhaité… »)."""
        back = self._sentences_back(start)
        if len(back) < 2 or not back[1]:
            return None
        first, last = back[1][0].start, back[1][-1].end
        return next((m for m in reversed(self._people()) if first <= m.start < last and self._agrees(m.entity_key, gender)), None)

    def _is_subject(self, mention: EntityMention) -> bool:
        return any(token.dep in SUBJECT for token in self.view.tokens_between(mention.start, mention.end))

    def _agrees(self, entity_key: str | None, gender: str | None) -> bool:
        if gender is None or entity_key is None:
            return True
        known = (self._genders if self._gender_of is None else self._gender_of).get(entity_key)
        return known is None or known == gender

    @cached_property
    def _genders(self) -> dict[str, str]:
        """The grammatical gender the text gives each named person: an honorific (« Mme »), a
        gendered noun or determiner just before a mention (« la ministre X »), else the first
        name's gender in a dictionary of first names."""
        return self._people_genders(certain=False)

    @cached_property
    def _certain_genders(self) -> dict[str, str]:
        """The same without the genders of first names worn by both (« Camille », « Claude »)."""
        return self._people_genders(certain=True)

    def _people_genders(self, certain: bool) -> dict[str, str]:
        found: dict[str, str] = {}
        for mention in self._people():
            if mention.entity_key in found:
                continue
            gender = self._written_gender(mention)
            if gender is not None:
                found[mention.entity_key] = gender
        for mention in self._people():
            if mention.entity_key not in found:
                gender = first_name_gender(mention.canonical, certain)
                if gender is not None:
                    found[mention.entity_key] = gender
        return found

    def _written_gender(self, mention: EntityMention) -> str | None:
        view = self.view
        index = view.token_at(mention.start)
        if not index:
            return None
        for token in reversed(view.tokens[max(index - 4, 0) : index]):
            if token.sent_id != view.tokens[index].sent_id or token.pos in ("VERB", "AUX", "ADP"):
                return None
            if token.text in self.lexicon.honorific_gender:
                return self.lexicon.honorific_gender[token.text]
            if self._is_person_noun(token):
                if any(child.dep == "case" for child in view.children(token.index)):
                    return None  # « l'avocat de la famille, Me Jean Dupont »: a complement is not the name's title
                # « la ministre », « la juge »: the determiner says the gender of a noun of both
                # genders; a masculine title is also worn by women (« l'avocat de l'accusé, Me
                # Sylvie Moreau »), so only a feminine one says anything
                determiner = next((child for child in view.children(token.index) if child.pos == "DET" and child.feature("Gender")), None)
                gender = determiner.feature("Gender") if determiner is not None else token.feature("Gender")
                return gender if gender == "Fem" else None
        return None

    def _refer(self, speaker: Speaker, start: int, end: int) -> Speaker:
        return Speaker(speaker.name, speaker.label, start, end, speaker.entity_key)

    def _people(self, role: frozenset[str] = frozenset()) -> list[EntityMention]:
        """Named people who may be a speaker: not names inside a quotation, and, for a role
        (« l'adjoint »), not people the article gives another role (« Daniel Lanquetin, maire »)."""
        return [
            mention
            for mention in self._unquoted_mentions
            if mention.label == "PER"
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
    def _roles(self) -> list[tuple[EntityMention, set[str]]]:
        """Words written around each named person: « le secrétaire général de l'OTAN, Jens Stoltenberg »;
        found when a description or a role first asks for them, which most documents never do."""
        view = self.view
        roles = []
        for mention in self._unquoted_mentions:
            if mention.label != "PER":
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

    def description(self, tokens: list[Token], head: Token, anchor: int) -> EntityMention | None:
        """The named person a description stands for, of its gender (« l'élu » is not a woman),
        unless the article writes the very role with its words beside a person of the other
        (« le Premier ministre » of a woman the article calls « la Première ministre »)."""
        role = head.lemma.lower()
        gender = self._noun_gender(head)
        modifiers = {t.lemma.lower() for t in tokens if t.index != head.index and t.pos in ("NOUN", "ADJ", "PROPN")}
        roles = [(mention, words) for mention, words in self._roles if self._agrees(mention.entity_key, gender)]
        office = self.lexicon.office_titles.get(frozenset({role} | modifiers), ())
        if office:
            modifiers = set()  # « le chef de l'État »: the person given one of the office's titles
        same_role = [(len(modifiers & words), mention) for mention, words in roles
                     if any(title <= words for title in office) or not office and (role in words or head.lower in words)]
        related = [(len(modifiers & words), mention) for mention, words in roles if modifiers & words]
        written = [(len(modifiers & words), mention) for mention, words in self._roles if (role in words or head.lower in words) and modifiers <= words] if modifiers else []
        paragraph = self.view.paragraph_of(anchor)
        for scored in (same_role, related, written):
            # a description points back, or forward within its paragraph only (« Le président… »
            # said in one paragraph is not a president the article names three paragraphs on); a
            # headline's point forward into the article
            scored = [(score, mention) for score, mention in scored if mention.end <= anchor or self.view.paragraph_of(mention.start) == paragraph or paragraph == 0]
            if not scored:
                continue
            best = max(score for score, _ in scored)
            if modifiers and not best:
                continue  # « l'ancien ministre de la Défense » is not the « ministre des Finances » named before
            candidates = [mention for score, mention in scored if score == best]
            before = [mention for mention in candidates if mention.end <= anchor]
            return before[-1] if before else candidates[0]
        return self._nearest_person(head.start, frozenset({role, head.lower}), gender)

    def _nearest_person(self, offset: int, role: frozenset[str], gender: str | None = None) -> EntityMention | None:
        """A person of ``gender`` named earlier in the paragraph, else the latest person quoted, else
        the article's main person, preferring there one the article gives no other role than
        ``role`` (« l'adjoint » is not « Daniel Lanquetin, maire »)."""
        view = self.view
        if gender is not None:
            # like a pronoun, a description with nothing to match stands first for the person subject
            # of a clause before it, in its sentence or the one before (« Barack Obama a félicité Mitt
            # Romney. Le président a rappelé… »)
            subject = self._subject_antecedent(offset, PRONOUN_OF_GENDER[gender], 0, people=True)
            if subject is not None and subject.entity_key:
                return next((m for m in view.mentions if m.entity_key == subject.entity_key), None)
        paragraph = view.paragraph_of(offset)
        nearby = next((m for m in reversed(self._people()) if m.end <= offset and self._agrees(m.entity_key, gender)), None)
        if nearby is not None and view.paragraph_of(nearby.start) == paragraph:
            return nearby
        for _, speaker in reversed(self.history):
            if speaker.is_person and speaker.entity_key and self._agrees(speaker.entity_key, gender):
                return next((m for m in view.mentions if m.entity_key == speaker.entity_key), None)
        if nearby is not None and paragraph - view.paragraph_of(nearby.start) <= 1:
            return nearby
        return self.main_person(role, gender) or self.main_person(role)

    def main_person(self, role: frozenset[str] = frozenset(), gender: str | None = None) -> EntityMention | None:
        people = [m for m in self._people(role) if self._agrees(m.entity_key, gender)]
        if not people:
            return None
        quoted = Counter(speaker.entity_key for _, speaker in self.history if speaker.is_person and speaker.entity_key)
        counts = Counter(m.entity_key for m in people)
        best = max(counts, key=lambda key: (quoted[key], counts[key]))
        return next(m for m in people if m.entity_key == best)

    def remember(self, position: int, speaker: Speaker) -> None:
        if speaker.name:
            self.history.append((position, speaker))
