"""Which stretches of a document are quotations, and what attributes each one.

Indirect speech comes from the cues (« X a déclaré que P », « P, a déclaré X », « X
avoue vendre… », « selon X, P »); direct speech from the quote marks, attributed by the
cue after them, the cue before a colon, the cue that governs them, the headline dash, or
the quotation just before (a paragraph that is only a quotation). Every candidate says
*how* its speaker is to be found; ``speakers.Speakers`` decides who it is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from itertools import compress, count

from pipeline.quotes.cues import CLOSING_MARKS, HYPOTHESIS, QUE, REFLEXIVE, Cue, find_cues, selon_words
from pipeline.quotes.document import DocView, EntityMention, Token
from pipeline.quotes.lexicon import QuoteLexicon
from pipeline.marks import MarkedSpan, marked_spans
from pipeline.quotes.speakers import NOMINAL, SUBJECT, Speakers, clitic, verb_group_start

OPEN_MARKS = frozenset("«“„‹\"")
HARD_STOPS = frozenset({".", "!", "?", ";", ":"})
DASHES = frozenset("–—")
TRAILING = " \u00a0\u202f.,;:…"
# « alors que », « parce que »…: conjunctions, not the « que » of reported speech.
# Tokens after a cue within which its infinitive complement starts (« a demandé au Conseil de sécurité de l'ONU d'adopter »).
INFINITIVE_REACH = 12
# Clitics and negation that belong to an infinitive complement (« de ne pas s'en prendre »).
INFINITIVE_CLITICS = frozenset({"ne", "n'", "n’", "pas", "plus", "jamais", "se", "s'", "s’", "en", "y", "le", "la", "les", "l'", "l’", "lui", "leur", "me", "m'", "m’", "te", "t'", "t’", "nous", "vous"})
# A fragment this short without a verb is a name, a term or a title unless a cue governs it.
TERM_WORDS = 4
SENTENCE_WORDS = 5


class Kind(Enum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"


class How(Enum):
    """Where a quotation's source is to be found: the first step of the attribution sieve
    (quotation -> mention); ``pipeline.quotes.attribution`` runs it, ``speakers`` the second."""

    SUBJECT = "subject"  # the subject of its cue (« X a déclaré que P », « X : « … » »)
    INVERTED = "inverted"  # the subject after its cue (« P, a déclaré X »)
    PHRASE = "phrase"  # the noun phrase in ``source`` (« selon X », « pour X », a headline dash)
    CONTEXT = "context"  # no cue of its own: the context gives the speaker (a continuation)
    TURN = "turn"  # a dialogue dash opening a paragraph: a turn of a conversation
    MAIN = "main"  # a headline quotation with no source: the article's main person


@dataclass
class Candidate:
    start: int
    end: int
    kind: Kind
    how: How
    cue: Cue | None = None
    source: Token | None = None
    marks: list[MarkedSpan] = field(default_factory=list)


def _is_mark(token: Token, marks: frozenset[str]) -> bool:
    return token.text in marks


def _words(tokens: list[Token]) -> int:
    return sum(1 for token in tokens if token.pos != "PUNCT")


def _has_finite_verb(tokens: list[Token]) -> bool:
    return any(t.is_finite_verb for t in tokens)


def _has_clause_verb(tokens: list[Token]) -> bool:
    """A finite verb, or a form the tagger reads as a participle right after a noun phrase
    with no auxiliary (« le vote traduit « … » »: « traduit », « dit », « écrit » are both)."""
    if _has_finite_verb(tokens):
        return True
    return any(token.pos == "VERB" and token.feature("VerbForm") == "Part" and position > 0
               and tokens[position - 1].pos in ("NOUN", "PROPN", "ADJ") and not any(t.pos == "AUX" for t in tokens[:position])
               for position, token in enumerate(tokens))


def _inside(span: MarkedSpan, offset: int) -> bool:
    return span.start <= offset < span.end


class Finder:
    def __init__(self, view: DocView, lexicon: QuoteLexicon):
        self.view = view
        self.lexicon = lexicon
        self.cues = find_cues(view, lexicon)
        self.spans = marked_spans(view.text)
        self.speakers = Speakers(view, lexicon, [(span.open, span.close) for span in self.spans if span.closed])

    # -- where reported content ends ---------------------------------------------------
    def _clause_end(self, first: int) -> int:
        """End offset of reported content starting at token ``first``: the end of the
        sentence, or just before a colon, « , <cue> » or « et <cue> » that starts another attribution."""
        view = self.view
        tokens = view.tokens
        sent = tokens[first].sent_id
        last = first
        position = first
        while position < len(tokens) and tokens[position].sent_id == sent:
            token = tokens[position]
            if token.text == ":":
                if not self._elaborates(position):
                    break
            elif token.text in HARD_STOPS and position + 1 < len(tokens) and tokens[position + 1].sent_id == sent and not _is_mark(tokens[position + 1], CLOSING_MARKS):
                break
            if token.text == "," and (self._cue_follows(position) or self._main_clause_resumes(position, first)):
                break
            if token.pos == "CCONJ" and position > first and self._cue_follows(position):
                break  # « a estimé que P et a rappelé que Q »: the second verb reports Q
            last = position
            position += 1
        return self._trim_end(tokens[first].start, tokens[last].end)

    def _elaborates(self, colon: int) -> bool:
        """« juge que la cohabitation comporte «trois inconvénients»: elle «…», «…» »: after a colon,
        quoted fragments in a clause of the narrator's (not a quotation opening right after the
        colon, no cue of their own) carry on the same reported content."""
        tokens = self.view.tokens
        rest = [t for t in tokens[colon + 1 :] if t.sent_id == tokens[colon].sent_id]
        if not rest or _is_mark(rest[0], OPEN_MARKS):
            return False
        return any(_is_mark(t, OPEN_MARKS) for t in rest) and not any(t.index in self.cues for t in rest)

    def _main_clause_resumes(self, comma: int, first: int) -> bool:
        """« Le patronat, pour qui P, reste prudent »: a finite verb right after a comma whose subject
        stands before the content (or that has none) is the verb of the clause the content was set in."""
        tokens = self.view.tokens
        following = tokens[comma + 1] if comma + 1 < len(tokens) else None
        if following is None or following.sent_id != tokens[comma].sent_id or following.pos not in ("VERB", "AUX") or following.feature("VerbForm") != "Fin":
            return False
        return not any(child.dep in SUBJECT and child.index >= first for child in self.view.children(following.index))

    def _cue_follows(self, comma: int) -> bool:
        """A cue's verb group starts right after the comma (or « et », « mais »)."""
        tokens = self.view.tokens
        for position in range(comma + 1, min(comma + 4, len(tokens))):
            if position in self.cues:
                return True
            if tokens[position].pos not in ("AUX", "ADV") and not clitic(tokens[position]):
                return False
        return False

    def _trim_end(self, start: int, end: int) -> int:
        text = self.view.text
        opened = sum(text.count(m, start, end) for m in "«“")
        while end > start and text[end - 1] in TRAILING:
            end -= 1
        if opened and end > start and text[end - 1] not in CLOSING_MARKS:
            closing = end
            while closing < len(text) and text[closing] in TRAILING:
                closing += 1
            if closing < len(text) and text[closing] in CLOSING_MARKS:
                end = closing + 1
        return end

    def _clause_start(self, comma: int) -> int:
        """Start of « P » in « P, a déclaré X »: the sentence start or just after a dash, colon or semicolon."""
        tokens = self.view.tokens
        sent = tokens[comma].sent_id
        position = comma - 1
        while position > 0 and tokens[position - 1].sent_id == sent and tokens[position - 1].text not in DASHES | {":", ";"}:
            position -= 1
        while position < comma and (tokens[position].pos == "PUNCT" and not _is_mark(tokens[position], OPEN_MARKS)):
            position += 1
        return tokens[position].start

    # -- indirect speech ------------------------------------------------------------------
    def _que(self, cue: Cue) -> int | None:
        tokens = self.view.tokens
        sent = tokens[cue.token].sent_id
        for position in range(cue.last + 1, min(cue.last + 12, len(tokens))):
            token = tokens[position]
            if token.sent_id != sent or token.text in HARD_STOPS or _is_mark(token, OPEN_MARKS):
                return None
            if token.lower in QUE and token.pos in ("SCONJ", "PRON", "ADV") and tokens[position - 1].lower not in self.lexicon.compound_que_heads:
                return position + 1 if position + 1 < len(tokens) and tokens[position + 1].sent_id == sent else None
            if position in self.cues or (token.pos == "VERB" and token.feature("VerbForm") == "Fin"):
                return None
        return None

    def _infinitive(self, cue: Cue) -> int | None:
        """« X affirme avoir…», « X a accusé Y d'avoir menti », « X leur reproche de… », « X a menacé
        de s'en prendre à… »: the infinitive complement, with the clitics it carries, is the content."""
        if cue.lemma not in self.lexicon.infinitive_content:
            return None
        tokens = self.view.tokens
        for position in range(cue.last + 1, min(cue.last + INFINITIVE_REACH, len(tokens))):
            token = tokens[position]
            if token.sent_id != tokens[cue.token].sent_id or (token.pos == "PUNCT" and token.text not in "'’"):
                return None
            if token.pos in ("VERB", "AUX") and token.feature("VerbForm") == "Inf":
                return self._with_clitics(position, cue.last)
            if token.pos in ("VERB", "AUX") or position in self.cues:
                return None
        return None

    def _with_clitics(self, infinitive: int, after: int) -> int:
        """First token of « s'en prendre », « ne pas avoir »: the clitics and negation before an infinitive."""
        tokens = self.view.tokens
        first = infinitive
        while first - 1 > after and (tokens[first - 1].lower in INFINITIVE_CLITICS or (tokens[first - 1].pos == "PRON" and tokens[first - 1].dep in ("obj", "iobj", "expl:comp", "expl:pv", "expl"))):
            first -= 1
        return first

    def _attribute(self, cue: Cue) -> int | None:
        """« Laurent Fabius se dit favorable à… »: the adjective after a reflexive reporting verb starts the content."""
        if cue.lemma not in self.lexicon.attribute_content:
            return None
        tokens = self.view.tokens
        if not any(child.lower in REFLEXIVE and child.index < cue.token for child in self.view.children(cue.token)):
            return None
        position = cue.last + 1
        while position < len(tokens) and tokens[position].pos == "ADV" and tokens[position].sent_id == tokens[cue.token].sent_id:
            position += 1
        if position >= len(tokens) or tokens[position].sent_id != tokens[cue.token].sent_id:
            return None
        attribute = tokens[position]
        if self._statistical_subject(cue):
            return None  # « 58 % se disent sceptiques »: a survey's figures, whose source is the survey
        if attribute.pos == "ADJ" or (attribute.pos == "VERB" and attribute.feature("VerbForm") == "Part" and attribute.dep == "xcomp"):
            return position
        return None

    def _statistical_subject(self, cue: Cue) -> bool:
        """A subject that is a share of people (« 58 % », « deux tiers des Français »)."""
        subject = self.speakers.subject_of(cue)
        if subject is None:
            return False
        if subject.pos == "NUM" or subject.lemma.lower() in self.lexicon.quantities:
            return True
        return any(self.view.tokens[i].text == "%" for i in self.view.subtree(subject.index) if self.view.tokens[i].sent_id == subject.sent_id)

    def _inverted(self, cue: Cue) -> tuple[int, int] | None:
        """(start, end) of P in « P, a déclaré X » / « P confirme André Kaufmann »."""
        view, tokens = self.view, self.view.tokens
        verb = tokens[cue.token]
        first = verb_group_start(self.view, verb)
        if any(child.dep in SUBJECT and child.index < verb.index and not clitic(child) and not self.speakers.subject_of_report(child, first)
               for child in view.children(verb.index)):
            return None
        if verb.feature("VerbForm") != "Fin" and not any(child.pos == "AUX" for child in view.children(verb.index)):
            return None  # « …, réitérant les affirmations » is not an inversion
        if first == 0 or tokens[first - 1].sent_id != verb.sent_id:
            return None
        before = tokens[first - 1]
        after = tokens[cue.last + 1] if cue.last + 1 < len(tokens) else None
        if any(_is_mark(t, OPEN_MARKS) and t.sent_id == verb.sent_id for t in tokens[cue.last + 1 : cue.last + 4]):
            return None  # « …, a avancé des «raisons personnelles» »: what follows is what was said, not who
        followed_by_name = after is not None and any(m.start == after.start and m.label == "PER" for m in view.mentions)
        if before.text != "," and not (followed_by_name and before.pos != "PUNCT"):
            return None
        end_token = first - 1 if before.text == "," else first
        if end_token <= 0:
            return None
        start = self._clause_start(end_token)
        end = self._trim_end(start, tokens[end_token - 1].end if before.text == "," else before.end)
        if end - start < 10 or not _has_finite_verb(view.tokens_between(start, end)):
            return None
        return start, end

    def indirect(self) -> list[Candidate]:
        found = []
        for cue in self.cues.values():
            if any(span.closed and _inside(span, self.view.tokens[cue.token].start) for span in self.spans):
                continue  # speech reported inside a quotation belongs to that quotation
            content = self._que(cue) or self._infinitive(cue) or self._attribute(cue)
            how = How.SUBJECT
            if content is not None:
                start = self.view.tokens[content].start
                bounds = (start, self._clause_end(content))
            else:
                bounds = self._inverted(cue)
                how = How.INVERTED
            if bounds is None or bounds[1] <= bounds[0]:
                continue
            found.append(self._reported(bounds, cue, how))
        return found

    def _reported(self, bounds: tuple[int, int], cue: Cue, how: How, source: Token | None = None) -> Candidate:
        """Indirect, mixed, or (when the content is one whole quotation) direct."""
        start, end = bounds
        marks = [span for span in self.spans if span.open < end and span.start >= start - 1 and span.open >= start - 2]
        whole = [span for span in marks if span.open <= start + 1 and span.close >= end - 1]
        if len(marks) == 1 and whole:
            span = marks[0]
            return Candidate(span.start, span.end, Kind.DIRECT, how, cue, source, marks)
        return Candidate(start, end, Kind.MIXED if marks else Kind.INDIRECT, how, cue, source, marks)

    def selon(self) -> list[Candidate]:
        """« selon X, P », « P selon X », « P, d'après X, Q » (two quotations around the incise),
        « selon lequel P »; and « pour X, P » (``_opinion_holders``)."""
        view, tokens = self.view, self.view.tokens
        found = []
        for first, last, lemma in selon_words(view, self.lexicon):
            if any(span.closed and _inside(span, first.start) for span in self.spans):
                continue
            nxt = last.index + 1
            if nxt >= len(tokens) or tokens[nxt].sent_id != first.sent_id:
                continue
            cue = Cue(first.index, last.index, lemma, first.start, last.end)
            if tokens[nxt].lower in self.lexicon.selon_relatives:
                source = next((t for t in reversed(tokens[max(first.index - 5, 0) : first.index]) if t.pos == "PROPN"), None)
                if source is None or nxt + 1 >= len(tokens):
                    continue
                found.append(self._reported((tokens[nxt + 1].start, self._clause_end(nxt + 1)), cue, How.PHRASE, source))
                continue
            head = self._source_head(nxt)
            if head is None or (self._named(head) is None and head.lemma.lower() in self.lexicon.not_sources):
                continue  # « selon la tradition »: a rule, not a source
            phrase = self.speakers.phrase(head)
            found += [self._reported(bounds, cue, How.PHRASE, head) for bounds in self._around_incise(first.index, phrase[-1].index + 1)]
        return found + self._opinion_holders()

    def _named(self, token: Token) -> EntityMention | None:
        return self.view.mention_at(token.start)

    def _source_head(self, position: int) -> Token | None:
        """The head of the source phrase starting at ``position``: a name starting there (whatever
        the tagger made of its words: « The Hollywood Reporter »), else its first noun or pronoun."""
        tokens = self.view.tokens
        window = [t for t in tokens[position : position + 4] if t.sent_id == tokens[position].sent_id]
        for token in window:
            named = self._named(token)
            if named is not None and named.start == token.start:
                return token
            if token.pos in ("NOUN", "PROPN", "PRON"):
                return token
        return None

    def _around_incise(self, first: int, after: int) -> list[tuple[int, int]]:
        """Bounds of what a source phrase (tokens ``first`` up to ``after``) attributes: what
        precedes it in its clause when that is a clause of its own (« P selon X. », « P, selon X,
        le président de Y. »), and what follows it after a comma (« Selon X, P », « P, d'après X,
        Q »: two quotations around the incise) or, when it opens its clause, right after it
        (« Selon lui « … » »)."""
        tokens = self.view.tokens
        sent = tokens[first].sent_id
        after = self._past_parenthesis(after)
        following = tokens[after] if after < len(tokens) and tokens[after].sent_id == sent else None
        found = []
        if first > 0 and tokens[first - 1].sent_id == sent:
            start = self._clause_start(first)
            last_before = first - 2 if tokens[first - 1].text == "," else first - 1
            before = self.view.tokens_between(start, tokens[last_before].end)
            # not « il est bon de rappeler que, d'après X, P » nor « Mais, selon X, P »
            if _has_finite_verb(before) and before[-1].pos not in ("SCONJ", "ADP", "CCONJ", "DET") and before[-1].lower not in QUE:
                found.append((start, self._trim_end(start, tokens[last_before].end)))
        rest = after + 1
        if following is not None and following.text == "," and rest < len(tokens) and tokens[rest].sent_id == sent and (tokens[rest].pos not in ("CCONJ", "SCONJ", "PUNCT") or _is_mark(tokens[rest], OPEN_MARKS)):
            found.append((tokens[rest].start, self._clause_end(rest)))
        elif following is not None and following.pos != "PUNCT" and self._opens_clause(first):
            found.append((following.start, self._clause_end(after)))
        return self._long_enough(found)

    def _past_parenthesis(self, index: int) -> int:
        """The token after a parenthesis opening at ``index`` (« selon la Direction générale de
        l'aviation civile (DGAC), P »: the acronym belongs to the source), else ``index``."""
        tokens = self.view.tokens
        if index >= len(tokens) or tokens[index].text != "(":
            return index
        for position in range(index + 1, min(index + 15, len(tokens))):
            if tokens[position].sent_id != tokens[index].sent_id:
                break
            if tokens[position].text == ")":
                return position + 1
        return index

    def _opens_clause(self, index: int) -> bool:
        """The token opens its sentence, or follows a comma, colon, semicolon, dash or « et »/« mais »."""
        tokens = self.view.tokens
        previous = tokens[index - 1] if index > 0 and tokens[index - 1].sent_id == tokens[index].sent_id else None
        return previous is None or previous.text in {",", ":", ";"} | DASHES or previous.pos == "CCONJ"

    @staticmethod
    def _long_enough(bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(start, end) for start, end in bounds if end - start >= 10]

    def _opinion_holders(self) -> list[Candidate]:
        """« Pour X, P » (GUIDELINES §4: like selon): « pour » opening a clause, an agent X set off
        by a comma or a colon (« Pour la principale association du secteur, l'April : « … » »), and
        « le Medef, pour qui P »."""
        view, tokens = self.view, self.view.tokens
        found = []
        for index in compress(count(), map("pour".__eq__, view.lowers)):
            if any(span.closed and _inside(span, tokens[index].start) for span in self.spans):
                continue
            sent = tokens[index].sent_id
            following = [t for t in tokens[index + 1 : index + 16] if t.sent_id == sent]
            if not following:
                continue
            cue = Cue(index, index, "selon", tokens[index].start, tokens[index].end)
            if following[0].lower == "qui" and len(following) > 1:
                antecedent = tokens[index - 1] if index and tokens[index - 1].sent_id == sent else None
                if antecedent is not None and antecedent.pos in ("NOUN", "PROPN") and self.speakers.is_agent(self.speakers.from_token(antecedent, antecedent.start), antecedent):
                    found.append(self._reported((following[1].start, self._clause_end(following[1].index)), cue, How.PHRASE, antecedent))
                continue
            if not self._opens_clause(index):
                continue
            holder = self._opinion_holder(following)
            if holder is None:
                continue
            source, content = holder
            if content < len(tokens) and tokens[content].sent_id == sent:
                bounds = (tokens[content].start, self._clause_end(content))
                if bounds[1] - bounds[0] >= 10 and _has_clause_verb(view.tokens_between(*bounds)):
                    found.append(self._reported(bounds, cue, How.PHRASE, source))
        return found

    def _opinion_holder(self, following: list[Token]) -> tuple[Token, int] | None:
        """(source, first token of the content) when ``following`` starts with an agent phrase
        ended by a comma or colon, with maybe a name in apposition before it."""
        view, speakers = self.view, self.speakers
        ends = [position for position, token in enumerate(following) if token.text in {",", ":"}]
        if not ends or ends[0] == 0:
            return None
        phrase = following[: ends[0]]
        named = [m for m in view.mentions_between(phrase[0].start, phrase[-1].end) if m.label in ("PER", "ORG")]
        head = view.tokens[view.token_at(named[0].start)] if named else next((t for t in phrase if t.pos in ("NOUN", "PROPN", "PRON")), None)
        if head is None or (head.pos == "PRON" and (len(phrase) > 1 or head.lower not in self.lexicon.pronoun_number)):
            return None
        if not named and head.pos != "PRON" and head.lemma.lower() not in self.lexicon.person_roles | self.lexicon.organisation_nouns:
            return None  # « pour les familles, … » names whom something is for, not whose opinion it is
        content = ends[0] + 1
        if named and following[ends[0]].text == "," and len(ends) > 1 and following[ends[1]].text == ",":
            # « Pour Jean Dupont, secrétaire général du syndicat, P »: the apposition is the source's
            apposition = following[ends[0] + 1 : ends[1]]
            role = next((t for t in apposition if t.pos == "NOUN"), None)
            if role is not None and self.lexicon.is_agent_noun(role.lemma.lower()) and not _has_finite_verb(apposition):
                content = ends[1] + 1
        if following[ends[0]].text == "," and len(ends) > 1 and following[ends[1]].text == ":":
            apposed = [m for m in view.mentions_between(following[content].start, following[ends[1] - 1].end) if m.label in ("PER", "ORG")]
            if apposed:  # « pour la principale association du secteur, l'April : »
                head, content = view.tokens[view.token_at(apposed[0].start)], ends[1] + 1
        return head, following[content].index if content < len(following) else following[-1].index + 1

    # -- direct speech --------------------------------------------------------------------
    def _cue_after(self, span: MarkedSpan) -> Cue | None:
        tokens = self.view.tokens
        position = self.view.token_at(span.close)
        if position is None:
            return None
        sent = tokens[position - 1].sent_id if position else tokens[position].sent_id
        for index in range(position, min(position + 7, len(tokens))):
            token = tokens[index]
            if token.sent_id != sent or _is_mark(token, OPEN_MARKS) or token.text in HARD_STOPS | DASHES or token.pos == "CCONJ":
                return None  # a dash opens an aside, « et » another clause: their verb does not attribute the quote
            if token.feature("PronType") == "Rel":
                return None  # « … » par la CGT, qui appelle à…: a relative clause tells of the noun before it
            if index in self.cues:
                return self.cues[index]
            if token.pos in ("VERB",) and token.feature("VerbForm") == "Fin":
                return None
        return None

    def _has_other_content(self, cue: Cue, span: MarkedSpan) -> bool:
        """« l'Otan « qui considère … », a lancé des avions »: a verb whose subject stands before
        the quotation and whose object follows it says something else than the quotation."""
        children = self.view.children(cue.token)
        if cue.lemma in self.lexicon.small_clause_verbs and any(child.dep == "xcomp" and span.start <= child.start < span.end for child in children):
            return False  # « juge « inacceptable » le comportement »: the object is the quoted attribute's
        subject_before = any(child.dep in SUBJECT and child.end <= span.open for child in children)
        object_after = any(child.dep == "obj" and child.pos in ("NOUN", "PROPN") and child.start >= span.end for child in children)
        return subject_before and object_after

    def _cue_closing_sentence_before(self, span: MarkedSpan) -> Cue | None:
        """« Hervé Mangin, le patron du camping, confirme. « Je mets… » »: a reporting verb that
        ends the sentence just before the quotation, with nothing reported of its own."""
        tokens = self.view.tokens
        position = self.view.token_at(span.open)
        if not position or position < 2 or tokens[position - 1].text not in {".", ":"}:
            return None
        verb = position - 2
        while verb > 0 and tokens[verb].pos == "ADV" and tokens[verb].sent_id == tokens[position - 1].sent_id:
            verb -= 1
        if verb not in self.cues or self.view.paragraph_of(tokens[verb].start) != self.view.paragraph_of(span.open):
            return None
        cue = self.cues[verb]
        complements = [child for child in self.view.children(cue.token) if child.dep in ("obj", "ccomp", "xcomp") and child.index > cue.last]
        return None if complements else cue

    def _cue_before_colon(self, span: MarkedSpan) -> tuple[bool, Cue | None]:
        tokens = self.view.tokens
        position = self.view.token_at(span.open)
        if not position or tokens[position - 1].text != ":":
            return False, None
        sent = tokens[position].sent_id
        for index in range(position - 2, -1, -1):
            if tokens[index].sent_id != sent or _is_mark(tokens[index], CLOSING_MARKS):
                break
            if index in self.cues:
                return True, self.cues[index]
        return True, None

    def _governing_cue(self, span: MarkedSpan) -> Cue | None:
        view = self.view
        inside = view.tokens_between(span.start, span.end)
        if not inside:
            return None
        sent = inside[0].sent_id
        for token in inside:
            head = view.head(token)
            if head is None or span.start <= head.start < span.end:
                continue
            for ancestor in [head, *view.ancestors(head)]:
                if ancestor.index in self.cues and ancestor.start < span.open:
                    return self.cues[ancestor.index]
        if _words(inside) <= TERM_WORDS and not _has_finite_verb(inside):
            return None  # a bare term is a quotation only when a cue governs it
        opening = view.token_at(span.open) or 0
        for index in range(opening - 1, max(opening - 12, -1), -1):
            if view.tokens[index].sent_id != sent or view.tokens[index].text in HARD_STOPS:
                break
            if index in self.cues:
                return self.cues[index]
        return None

    def _judged_fragment(self, span: MarkedSpan, cue: Cue) -> Candidate | None:
        """« X juge la réforme « inacceptable » »: a quoted word in the small clause of a verb of
        judgement is one mixed quotation over that clause (object and attribute), not a direct one."""
        if cue.lemma not in self.lexicon.small_clause_verbs or cue.start > span.open:
            return None
        view = self.view
        children = [child for child in view.children(cue.token) if child.index > cue.last and not child.dep.startswith("obl")]
        # the object first: the parse may call a day written before it a complement (« a jugé lundi la réforme « … » »)
        complements = sorted((child for child in children if child.pos in NOMINAL and child.start < span.open), key=lambda child: child.dep != "obj")
        if complements:
            indices = [i for i in view.subtree(complements[0].index) if view.tokens[i].sent_id == view.tokens[cue.token].sent_id]
            start = view.tokens[min(indices)].start
        else:
            start = self._object_before_mark(cue, span)
        if start is None and any(child.dep == "obj" and child.start >= span.end for child in children):
            # « juge « inacceptable » le comportement des laboratoires »: the attribute before its object
            return self._reported((span.open, self._clause_end(view.token_at(span.open))), cue, How.SUBJECT)
        if start is None or not start < span.open:
            return None  # the quotation is all of the clause
        return self._reported((start, self._clause_end(view.token_at(start))), cue, How.SUBJECT)

    def _incise_follows(self, span: MarkedSpan) -> bool:
        """A comma right after the closing mark: what follows is the quotation's incise."""
        return span.closed and self.view.text[span.close : span.close + 3].lstrip(" \u00a0\u202f").startswith(",")

    def _judgement_before(self, span: MarkedSpan) -> Cue | None:
        """A verb of judgement whose object phrase runs up to the quote mark, when the parse hangs
        the quoted attribute elsewhere (« le ministère juge la position iranienne « décevante » »)."""
        view = self.view
        opening = view.token_at(span.open)
        if not opening:
            return None
        for index in range(opening - 1, max(opening - 10, -1), -1):
            cue = self.cues.get(index)
            if cue is not None:
                return cue if cue.lemma in self.lexicon.small_clause_verbs and self._object_before_mark(cue, span) is not None else None
        return None

    def _object_before_mark(self, cue: Cue, span: MarkedSpan) -> int | None:
        """Where the object of a judgement verb starts when the parse hangs it elsewhere: a noun
        phrase written between the verb and the quote mark (« juge la position iranienne « … » »)."""
        view = self.view
        # not the verb's adjuncts (« juge mardi « … » »)
        adjuncts = {i for child in view.children(cue.token) if child.dep.startswith("obl") for i in view.subtree(child.index)}
        between = [t for t in view.tokens_between(view.tokens[cue.last].end, span.open) if t.index not in adjuncts]
        if not between or between[0].pos not in ("DET", "NOUN", "PROPN") or not any(t.pos in ("NOUN", "PROPN") for t in between):
            return None
        if any(t.pos in ("VERB", "AUX", "PUNCT", "SCONJ", "CCONJ") or t.sent_id != between[0].sent_id for t in between):
            return None
        return between[0].start

    def _headline(self, span: MarkedSpan) -> Candidate | None:
        view, text = self.view, self.view.text
        para_start, para_end = view.paragraph_bounds(0)
        if span.open >= para_end:
            return None
        rest = text[span.close : para_end].lstrip(" \u00a0")
        if rest[:1] in DASHES:
            after = view.tokens_between(span.close + (len(text[span.close:para_end]) - len(rest)) + 1, para_end)
            if not after or _has_finite_verb(after):
                return None
            head = next((t for t in after if t.pos in ("NOUN", "PROPN")), None)
            return Candidate(span.start, span.end, Kind.DIRECT, How.PHRASE, source=head)
        before = text[para_start : span.open].rstrip(" \u00a0")
        if before.endswith(":"):
            # « Élisabeth Borne : « … » »: the name the headline gives before its colon
            named = [m for m in view.mentions_between(para_start, para_start + len(before)) if m.label in ("PER", "ORG")]
            if named:
                return Candidate(span.start, span.end, Kind.DIRECT, How.PHRASE, source=view.tokens[view.token_at(named[-1].start)])
        if rest[:1] == ":":
            # « « … » : le Premier ministre défend sa réforme »: the person subject of the clause after
            # the colon (an organisation there, « l'OTAN veut… », speaks through the article's main person)
            after = view.tokens_between(span.close + (len(text[span.close:para_end]) - len(rest)) + 1, para_end)
            inside = {token.index for token in after}
            subject = next((t for t in after if t.dep in ("nsubj", "nsubj:pass") and t.head in inside), None)
            if subject is not None and self.speakers.from_token(subject, span.start).is_person:
                return Candidate(span.start, span.end, Kind.DIRECT, How.PHRASE, source=subject)
        if rest[:1] == ":" or not rest:
            return Candidate(span.start, span.end, Kind.DIRECT, How.MAIN)
        return None

    def _split(self, span: MarkedSpan, cue: Cue) -> list[Candidate] | None:
        """« A, a-t-il dit, B »: two quotations around an attribution inside the marks."""
        tokens = self.view.tokens
        verb = tokens[cue.token]
        first = verb_group_start(self.view, verb)
        closing = next((t for t in tokens[cue.last + 1 : cue.last + 8] if t.text == ","), None)
        if first == 0 or tokens[first - 1].text != "," or closing is None:
            return None
        a_end = self._trim_end(span.start, tokens[first - 1].start)
        b_start = closing.end
        while b_start < span.end and self.view.text[b_start] in " \u00a0\u202f":
            b_start += 1
        return [
            Candidate(span.start, a_end, Kind.DIRECT, How.SUBJECT, cue, marks=[span]),
            Candidate(b_start, span.end, Kind.DIRECT, How.SUBJECT, cue, marks=[span]),
        ]

    def direct(self, taken: list[MarkedSpan], indirect: list[Candidate]) -> list[Candidate]:
        found = []
        taken_opens = {span.open for span in taken}
        for span in self.spans:
            if span.open in taken_opens:
                continue
            if not span.closed and any(c.cue and span.start <= c.cue.start < span.end for c in indirect):
                continue  # a relayed passage whose attributions are inside it
            inside = self.view.tokens_between(span.start, span.end)
            inner_cue = next((self.cues[t.index] for t in inside if t.index in self.cues and any(clitic(x) for x in self.view.tokens[t.index - 2 : t.index + 3])), None)
            if inner_cue is not None and span.closed:
                split = self._split(span, inner_cue)
                if split:
                    found.extend(split)
                    continue
            words, verbal = _words(inside), _has_finite_verb(inside)
            term_like = words <= TERM_WORDS and not verbal
            colon, cue = False, self._cue_after(span)
            if term_like and inside and self.view.text[span.start].isupper() and not (cue is not None and self._incise_follows(span)):
                continue  # a name or a title; not « « Quatre ans de plus », a écrit X »
            if cue is None:
                colon, cue = self._cue_before_colon(span)
            if cue is None and not colon:
                cue = self._governing_cue(span)
            if cue is None and term_like:
                cue = self._judgement_before(span)
            if cue is None and not term_like:
                cue = self._cue_closing_sentence_before(span)
            if cue is not None and self._has_other_content(cue, span):
                cue = None
            judged = self._judged_fragment(span, cue) if cue is not None and term_like else None
            if judged is not None:
                found.append(judged)
                continue
            if cue is not None:
                found.append(Candidate(span.start, span.end, Kind.DIRECT, How.SUBJECT, cue, marks=[span]))
                continue
            if self.view.paragraph_of(span.open) == 0:
                headline = self._headline(span)
                if headline is not None:
                    found.append(headline)
                if headline is not None or self.view.paragraph_count > 1:
                    continue  # a title's marks are a headline quote or a name; a lone paragraph is a body
            if colon or words >= SENTENCE_WORDS or verbal:
                found.append(Candidate(span.start, span.end, Kind.DIRECT, How.CONTEXT, marks=[span]))
        return found

    def unmarked_paragraphs(self, found: list[Candidate]) -> list[Candidate]:
        """A paragraph in the first person with no marks and no attribution, right after a quoted one."""
        view = self.view
        result = []
        covered = {view.paragraph_of(c.start) for c in found}
        marked = {view.paragraph_of(s.open) for s in self.spans}
        for para in range(1, view.paragraph_count):
            if para in covered or para in marked or para - 1 not in covered:
                continue
            start, end = view.paragraph_bounds(para)
            first = view.token_at(start)
            if first is not None and view.tokens[first].start < end and view.lowers[first] in self.lexicon.first_person:
                result.append(Candidate(start, self._trim_end(start, end) if view.text[end - 1] not in ".!?" else end, Kind.DIRECT, How.CONTEXT))
        return result

    def dialogue_turns(self, found: list[Candidate]) -> list[Candidate]:
        """« — Vous partez ? — Non. »: a paragraph opened by a dialogue dash is a turn of an
        interview, a direct quotation; one whose cue is inside it (« — Non, répond-il. ») is direct too."""
        view, text = self.view, self.view.text
        turns = []
        for para in range(1, view.paragraph_count):
            start, end = view.paragraph_bounds(para)
            opening = text[start:end].lstrip(" \u00a0")
            if opening[:1] not in DASHES:
                continue
            content = start + (len(text[start:end]) - len(opening)) + 1
            while content < end and text[content] in " \u00a0\u202f":
                content += 1
            inside = [c for c in found if content <= c.start < end]
            if inside:
                for candidate in inside:
                    if candidate.kind is Kind.INDIRECT and candidate.how is How.INVERTED:
                        candidate.kind = Kind.DIRECT
                continue
            if content < end:
                turns.append(Candidate(content, self._trim_end(content, end) if text[end - 1] not in ".!?" else end, Kind.DIRECT, How.TURN))
        return turns

    def _ends_sentence(self, offset: int) -> bool:
        """Only marks and punctuation stand between ``offset`` and the end of its sentence."""
        sentence = self.view.sentences[self.view.sentence_position(max(offset - 1, 0))]
        return not self.view.text[offset : sentence[2]].strip(" \u00a0\u202f.!?…»”\"")

    def _past_attribution(self, candidate: Candidate) -> int:
        """Where a quotation's sentence goes on after it: past its own attribution when that follows
        it (« P, selon X, le président de Y. », « P, a-t-il ajouté. »)."""
        cue = candidate.cue
        if cue is None or cue.start < candidate.end or self.view.sentence_of(cue.start) != self.view.sentence_of(max(candidate.end - 1, candidate.start)):
            return candidate.end
        tokens = self.view.tokens
        last = cue.last
        while last + 1 < len(tokens) and tokens[last + 1].sent_id == tokens[cue.last].sent_id and tokens[last + 1].text not in HARD_STOPS:
            last += 1
        return tokens[last].end

    def reportive_conditionals(self, found: list[Candidate]) -> list[Candidate]:
        """« X a affirmé que P. Q serait… »: a sentence in the reportive conditional right after an
        attributed quotation, in its paragraph, with no cue or marks of its own, carries on its report."""
        view = self.view
        ends = {view.sentence_position(max(c.end - 1, c.start)) for c in found if c.how is not How.MAIN and self._ends_sentence(self._past_attribution(c))}
        result = []
        for position, (_, start, end) in enumerate(view.sentences):
            if position - 1 not in ends or view.paragraph_of(start) != view.paragraph_of(view.sentences[position - 1][1]):
                continue
            if any(c.start < end and start < c.end for c in found) or any(start <= span.open < end for span in self.spans):
                continue
            tokens = view.tokens_between(start, end)
            if not _reportive_conditional(view, tokens) or any(t.index in self.cues for t in tokens):
                continue
            result.append(Candidate(start, self._trim_end(start, end), Kind.INDIRECT, How.CONTEXT))
            ends.add(position)
        return result

    def candidates(self) -> list[Candidate]:
        reported = self.indirect() + self.selon()
        taken = [span for candidate in reported for span in candidate.marks]
        found = reported + self.direct(taken, reported)
        found += self.unmarked_paragraphs(found)
        found += self.dialogue_turns(found)
        found += self.reportive_conditionals(found)
        return _without_overlaps(found)


def _reportive_conditional(view: DocView, tokens: list[Token]) -> bool:
    """A sentence whose main verb is in the conditional and that states no condition (« si… »)."""
    if not tokens or any(t.lower in HYPOTHESIS for t in tokens):
        return False
    root = next((t for t in tokens if t.head == t.index), None)
    if root is None or root.pos not in ("VERB", "AUX"):
        return False
    verbs = [root, *(child for child in view.children(root.index) if child.pos == "AUX")]
    return any(_conditional(verb) for verb in verbs)


def _conditional(verb: Token) -> bool:
    """Mood=Cnd, or a form the tagger took for an imperfect that is the future stem (the
    infinitive, less the final « e » of « -re ») + « -rait/-raient »: « concernerait »."""
    if verb.feature("Mood") == "Cnd":
        return True
    form, stem = verb.lower, verb.lemma.lower().removesuffix("e") if verb.lemma.lower().endswith("re") else verb.lemma.lower()
    return form.endswith(("ait", "aient")) and form.startswith(stem) and form[len(stem) - 1 : len(stem)] == "r"


def _without_overlaps(found: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per stretch of text: the first found (indirect and direct before fallbacks)."""
    kept: list[Candidate] = []
    for candidate in found:
        if any(candidate.start < other.end and other.start < candidate.end for other in kept):
            continue
        kept.append(candidate)
    return sorted(kept, key=lambda c: c.start)
