"""Who said each quotation: the two-step sieve of Muzny et al. (EACL 2017).

Step 1 links a quotation to the mention of its source, by ordered sieves that depend on
how the quotation was found (``How``):

- a cue's subject, before it or after it (« X a déclaré », « P, a déclaré X »), the noun
  phrase opening the clause when the parse gave none, the nearest name of the sentence;
- the phrase of « selon X », « pour X », a headline dash;
- with no cue (``How.CONTEXT``): the subject of a clause introducing the quotation with a
  colon, the subject of the sentence just before in the paragraph, then the conversation
  (the speaker of the quotation just before, within a few paragraphs).

A source that is not an agent (« le bilan », « le choix » as the subject of a cue) is not
kept: the sieve looks on, to an agent inside the phrase (« les chiffres publiés par la
Dares »), the subject of the speech verb governing the cue, then the previous speaker.

Step 2, ``speakers.Speakers``, links that mention to an entity: names, titles and
descriptions, pronouns with gender and number.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.quotes.constructions import DASHES, Candidate, Finder, How
from pipeline.quotes.cues import CLOSING_MARKS, Cue
from pipeline.quotes.document import DocView, Token
from pipeline.quotes.speakers import NOBODY, Speaker, Speakers

# Paragraphs back that a quotation with no cue of its own may take its speaker from.
CONTINUATION_PARAGRAPHS = 2


@dataclass
class Attribution:
    """Speakers for one document's candidates, decided in text order."""

    view: DocView
    speakers: Speakers
    # (offset, speaker) of the latest attributed quotation
    last: tuple[int, Speaker] | None = None
    # (offset, speaker) of every dialogue turn so far
    turns: list[tuple[int, Speaker]] = field(default_factory=list)

    @classmethod
    def of(cls, finder: Finder) -> "Attribution":
        return cls(finder.view, finder.speakers)

    def decide(self, candidates: list[Candidate]) -> list[Speaker]:
        speakers: list[Speaker] = []
        for candidate in candidates:
            speaker = NOBODY if candidate.how is How.MAIN else self._speaker(candidate)
            speakers.append(speaker)
            if self._opens_turn(candidate):
                self.turns.append((candidate.start, speaker))
            if speaker.name:
                self.last = (candidate.start, speaker)
                self.speakers.remember(candidate.start, speaker)
        main = self._main_speaker() if any(c.how is How.MAIN for c in candidates) else NOBODY
        return [main if candidate.how is How.MAIN else speaker for candidate, speaker in zip(candidates, speakers)]

    def _opens_turn(self, candidate: Candidate) -> bool:
        """A quotation opening a paragraph after a dialogue dash (with or without a cue)."""
        text = self.view.text
        start, _ = self.view.paragraph_bounds(self.view.paragraph_of(candidate.start))
        opening = text[start : candidate.start].strip(" \u00a0\u202f")
        return len(opening) == 1 and opening in DASHES

    # -- the sieves --------------------------------------------------------------------------
    def _speaker(self, candidate: Candidate) -> Speaker:
        if candidate.how in (How.SUBJECT, How.INVERTED) and candidate.cue is not None:
            return self._cue_speaker(candidate.cue, candidate)
        if candidate.how is How.PHRASE:
            # « selon X » names its source whatever X is (« d'après le droit international »)
            return self.speakers.from_token(candidate.source, candidate.start)
        if candidate.how is How.CONTEXT:
            return self._context_speaker(candidate)
        if candidate.how is How.TURN:
            return self._turn_speaker(candidate)
        return NOBODY

    def _turn_speaker(self, candidate: Candidate) -> Speaker:
        """A dialogue turn with no cue. Turns alternate, so the speaker of the turn before the
        previous one when both were turns. In an interview the questions are the interviewer's,
        whom the text does not name, and the answers the voice of the person the narration just
        before the dialogue introduces (« Elle a répondu à nos questions. »). Else the context's speaker."""
        if self._is_question(candidate.start, candidate.end):
            return NOBODY
        paragraph = self.view.paragraph_of(candidate.start)
        latest = [(self.view.paragraph_of(position), position, speaker) for position, speaker in self.turns[-2:]]
        if latest and latest[-1][0] == paragraph - 1:
            if len(latest) == 2 and latest[0][0] == paragraph - 2 and latest[0][2].name:
                return latest[0][2]
            if self._is_question(*self.view.paragraph_bounds(paragraph - 1)):
                interviewee = self.speakers.narrator_of(self._dialogue_start(paragraph))
                if interviewee is not None:
                    return self.speakers.from_token(interviewee, candidate.start)
        previous = self._previous(candidate, same_paragraph=False)
        return previous if previous is not None else NOBODY

    def _is_question(self, start: int, end: int) -> bool:
        return self.view.text[start:end].rstrip(" \u00a0\u202f" + "".join(CLOSING_MARKS)).endswith("?")

    def _dialogue_start(self, paragraph: int) -> int:
        """The paragraph of the first turn of the dialogue ``paragraph`` belongs to."""
        paragraphs = {self.view.paragraph_of(position) for position, _ in self.turns}
        while paragraph - 1 in paragraphs:
            paragraph -= 1
        return paragraph

    def _cue_speaker(self, cue: Cue, candidate: Candidate) -> Speaker:
        speakers = self.speakers
        inverted = candidate.how is How.INVERTED
        agent = speakers.passive_agent(cue)
        if agent is not None:
            return self._agent_or_further(agent, candidate, cue)
        qualified = speakers.qualified_by_participle(cue)
        if qualified is not None:
            speaker = speakers.from_token(qualified, candidate.start)
            return speaker if speaker.name else self._agent_or_further(qualified, candidate, cue)
        subject = speakers.subject_of(cue, inverted=inverted)
        if subject is None and not inverted:
            preceding = speakers.phrase_before(cue, candidate.start)
            if preceding is not None and preceding.name:
                return preceding
            after = speakers.subject_of(cue, inverted=True)
            if after is not None and candidate.start <= after.start < candidate.end:
                after = None  # « estimant que cet événement… »: what the cue reports is not who reports it
            subject = speakers.named_before(cue) or after
        return self._agent_or_further(subject, candidate, cue)

    def _agent_or_further(self, head: Token | None, candidate: Candidate, cue: Cue | None) -> Speaker:
        """The source ``head`` designates when it is an agent; else an agent inside its phrase,
        the subject of the speech verb governing the cue, the previous speaker, in that order;
        else the phrase as written (the text names no better source)."""
        speakers = self.speakers
        speaker = speakers.from_token(head, candidate.start)
        if head is not None and speakers.is_agent(speaker, head):
            return speaker
        inner = speakers.agent_in_phrase(head, candidate.start) if head is not None else None
        if inner is not None:
            return inner
        governing = speakers.governing_subject(cue) if cue is not None else None
        if governing is not None:
            further = speakers.from_token(governing, candidate.start)
            if speakers.is_agent(further, governing):
                return further
        if head is not None and head.pos == "NOUN" and head.feature("Number") == "Plur" and speaker.name:
            return speaker  # « les pompiers ont précisé que »: a plural noun the lexicons lack is a group of people
        previous = self._previous(candidate, same_paragraph=True)
        return previous if previous is not None else speaker

    def _context_speaker(self, candidate: Candidate) -> Speaker:
        """A quotation with no cue: a colon introduction, the sentence before, the conversation."""
        speakers = self.speakers
        sieves = (speakers.colon_introducer, speakers.governing_clause_subject, speakers.previous_sentence_subject)
        for head in (sieve(candidate.start, candidate.end) for sieve in sieves):
            if head is None:
                continue
            speaker = speakers.from_token(head, candidate.start)
            if speaker.name and speakers.is_agent(speaker, head):
                return speaker
        previous = self._previous(candidate, same_paragraph=False)
        return previous if previous is not None else NOBODY

    def _previous(self, candidate: Candidate, same_paragraph: bool) -> Speaker | None:
        if self.last is None:
            return None
        position, speaker = self.last
        distance = self.view.paragraph_of(candidate.start) - self.view.paragraph_of(position)
        return speaker if distance <= (0 if same_paragraph else CONTINUATION_PARAGRAPHS) else None

    def _main_speaker(self) -> Speaker:
        person = self.speakers.main_person()
        if person is None:
            return NOBODY
        first = next(m for m in self.view.mentions if m.entity_key == person.entity_key)
        return Speaker(person.canonical, "PER", first.start, first.end, person.entity_key)

