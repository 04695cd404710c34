"""The quote-context stage: whom a quote mentions and when it was made, on hand-made parses."""
from datetime import date

import pandas as pd
import pytest

from pipeline.stages.quote_context import quote_context
from pipeline.tables import DATES, DOCUMENTS, ENTITIES, QUOTE_DATES, QUOTE_MENTIONS, QUOTES, TOKENS, empty_frame, to_arrow


class Parse:
    """One sentence of one document, from (word, pos, dep, head word index) rows; words are
    joined by single spaces, so offsets are easy to find."""

    def __init__(self, rows: list[tuple[str, str, str, int]], doc_id: str = "d", published: str | None = "2023-03-10"):
        self.doc_id, self.published = doc_id, published
        self.words = [row[0] for row in rows]
        self.text = " ".join(self.words)
        self.starts = [sum(len(word) + 1 for word in self.words[:i]) for i in range(len(self.words))]
        self.rows = rows
        self.quotes: list[dict] = []
        self.dates: list[dict] = []
        self.entities: list[dict] = []

    def span(self, words: str) -> tuple[int, int]:
        start = self.text.index(words)
        return start, start + len(words)

    def quote(self, words: str, cue: str | None, speaker: str | None = None, key: str | None = None) -> "Parse":
        start, end = self.span(words)
        speaker_start, speaker_end = self.span(speaker) if speaker else (None, None)
        cue_start, cue_end = self.span(f" {cue} ") if cue else (None, None)
        self.quotes.append({
            "doc_id": self.doc_id, "quote_id": len(self.quotes), "sent_id": 0, "start": start, "end": end, "text": words, "kind": "direct",
            "speaker": speaker, "speaker_label": "PER" if speaker else None, "speaker_mention": speaker, "speaker_start": speaker_start,
            "speaker_end": speaker_end, "entity_key": key, "cue": cue, "cue_start": cue_start + 1 if cue else None, "cue_end": cue_end - 1 if cue else None,
        })
        return self

    def date(self, words: str, value: str, kind: str = "DATE", first: str | None = None, last: str | None = None) -> "Parse":
        start, end = self.span(words)
        self.dates.append({
            "doc_id": self.doc_id, "date_id": len(self.dates), "sent_id": 0, "start": start, "end": end, "text": words, "type": kind,
            "value": value, "mod": None, "anchor": "publication",
            "date_start": date.fromisoformat(first) if first else None, "date_end": date.fromisoformat(last or first) if first else None,
        })
        return self

    def entity(self, words: str, label: str, key: str) -> "Parse":
        start, end = self.span(words)
        self.entities.append({"doc_id": self.doc_id, "ent_id": len(self.entities), "sent_id": 0, "start": start, "end": end, "text": words,
                              "label": label, "canonical": words, "entity_key": key})
        return self

    def frames(self, with_tokens: bool = True) -> dict[str, pd.DataFrame]:
        tokens = [
            {"doc_id": self.doc_id, "token_id": i, "sent_id": 0, "start": self.starts[i], "end": self.starts[i] + len(word), "text": word,
             "lemma": word.lower(), "pos": pos, "morph": "", "dep": dep, "head": head}
            for i, (word, pos, dep, head) in enumerate(self.rows)
        ]
        documents = [{
            "doc_id": self.doc_id, "source": "test", "url": None, "title": None, "published": self.published, "published_precision": None,
            "text": self.text, "n_chars": len(self.text), "content_sha256": "", "boilerplate": [], "warnings": [],
        }]
        frames = {
            "documents": (DOCUMENTS, documents), "tokens": (TOKENS, tokens if with_tokens else []), "entities": (ENTITIES, self.entities),
            "quotes": (QUOTES, self.quotes), "dates": (DATES, self.dates),
        }
        # Through the contract's schemas, as the engine hands them to the stage.
        return {name: to_arrow(spec, pd.DataFrame(rows, columns=spec.column_names)).to_pandas() for name, (spec, rows) in frames.items()}

    def run(self, with_tokens: bool = True) -> dict[str, pd.DataFrame]:
        frames = self.frames(with_tokens)
        result = quote_context(frames["documents"], frames["tokens"], frames["entities"], frames["quotes"], frames["dates"])
        to_arrow(QUOTE_MENTIONS, result["quote_mentions"]), to_arrow(QUOTE_DATES, result["quote_dates"])  # the contract holds
        return result


def dated(parse: Parse, with_tokens: bool = True) -> list[tuple]:
    frame = parse.run(with_tokens)["quote_dates"]
    return [(row.dated_by, row.value) for row in frame.astype(object).where(frame.notna(), None).itertuples()]


# « Nous partirons en mars », a déclaré lundi Marie Curie .
INCISE = [
    ("«", "PUNCT", "punct", 2), ("Nous", "PRON", "nsubj", 2), ("partirons", "VERB", "ROOT", 2), ("en", "ADP", "case", 4),
    ("mars", "NOUN", "obl:mod", 2), ("»", "PUNCT", "punct", 2), (",", "PUNCT", "punct", 8), ("a", "AUX", "aux:tense", 8),
    ("déclaré", "VERB", "parataxis", 2), ("lundi", "NOUN", "obl:mod", 8), ("Marie", "PROPN", "nsubj", 8), ("Curie", "PROPN", "flat:name", 10),
    (".", "PUNCT", "punct", 2),
]


def test_a_quote_is_dated_by_its_reporting_clause_not_by_the_dates_it_quotes():
    parse = Parse(INCISE).quote("Nous partirons en mars", "déclaré", "Marie Curie", "PER:marie curie")
    parse.date("mars", "2023-03", first="2023-03-01", last="2023-03-31").date("lundi", "2023-03-06", first="2023-03-06")
    frame = parse.run()["quote_dates"]
    assert frame.to_dict("records") == [{
        "doc_id": "d", "quote_id": 0, "dated_by": "clause", "date_id": 1, "value": "2023-03-06",
        "date_start": date(2023, 3, 6), "date_end": date(2023, 3, 6),
    }]


def test_without_a_date_in_its_clause_a_quote_takes_the_publication_date():
    parse = Parse(INCISE, published="2023-03").quote("Nous partirons en mars", "déclaré").date("mars", "2023-03", first="2023-03-01", last="2023-03-31")
    frame = parse.run()["quote_dates"]
    assert frame.loc[0, "dated_by"] == "publication" and frame.loc[0, "value"] == "2023-03"
    assert pd.isna(frame.loc[0, "date_id"]) and (frame.loc[0, "date_start"], frame.loc[0, "date_end"]) == (date(2023, 3, 1), date(2023, 3, 31))


def test_without_a_date_or_a_publication_date_a_quote_is_undated():
    parse = Parse(INCISE, published=None).quote("Nous partirons en mars", "déclaré")
    assert dated(parse) == [(None, None)]


def test_without_a_parse_only_the_publication_date_is_known():
    parse = Parse(INCISE).quote("Nous partirons en mars", "déclaré").date("lundi", "2023-03-06", first="2023-03-06")
    assert dated(parse, with_tokens=False) == [("publication", "2023-03-10")]


# Arrivé lundi , le ministre a déclaré : « Nous partirons » .
PARTICIPLE = [
    ("Arrivé", "VERB", "advcl", 6), ("lundi", "NOUN", "obl:mod", 0), (",", "PUNCT", "punct", 0), ("le", "DET", "det", 4),
    ("ministre", "NOUN", "nsubj", 6), ("a", "AUX", "aux:tense", 6), ("déclaré", "VERB", "ROOT", 6), (":", "PUNCT", "punct", 6),
    ("«", "PUNCT", "punct", 10), ("Nous", "PRON", "nsubj", 10), ("partirons", "VERB", "ccomp", 6), ("»", "PUNCT", "punct", 10),
    (".", "PUNCT", "punct", 6),
]
# Il est arrivé lundi et a déclaré : « Nous partirons » .
COORDINATED = [
    ("Il", "PRON", "nsubj", 2), ("est", "AUX", "aux:tense", 2), ("arrivé", "VERB", "ROOT", 2), ("lundi", "NOUN", "obl:mod", 2),
    ("et", "CCONJ", "cc", 6), ("a", "AUX", "aux:tense", 6), ("déclaré", "VERB", "conj", 2), (":", "PUNCT", "punct", 6),
    ("«", "PUNCT", "punct", 10), ("Nous", "PRON", "nsubj", 10), ("partirons", "VERB", "ccomp", 6), ("»", "PUNCT", "punct", 10),
    (".", "PUNCT", "punct", 2),
]
# Lors de la réunion de lundi , il a déclaré : « Nous partirons » .
NOUN_MODIFIER = [
    ("Lors", "ADV", "advmod", 9), ("de", "ADP", "case", 3), ("la", "DET", "det", 3), ("réunion", "NOUN", "obl:mod", 9),
    ("de", "ADP", "case", 5), ("lundi", "NOUN", "nmod", 3), (",", "PUNCT", "punct", 3), ("il", "PRON", "nsubj", 9),
    ("a", "AUX", "aux:tense", 9), ("déclaré", "VERB", "ROOT", 9), (":", "PUNCT", "punct", 9), ("«", "PUNCT", "punct", 13),
    ("Nous", "PRON", "nsubj", 13), ("partirons", "VERB", "ccomp", 9), ("»", "PUNCT", "punct", 13), (".", "PUNCT", "punct", 9),
]
# Il a tenu lundi à préciser : « Nous partirons » .
OPEN_COMPLEMENT = [
    ("Il", "PRON", "nsubj", 2), ("a", "AUX", "aux:tense", 2), ("tenu", "VERB", "ROOT", 2), ("lundi", "NOUN", "obl:mod", 2),
    ("à", "ADP", "mark", 5), ("préciser", "VERB", "xcomp", 2), (":", "PUNCT", "punct", 5), ("«", "PUNCT", "punct", 9),
    ("Nous", "PRON", "nsubj", 9), ("partirons", "VERB", "ccomp", 5), ("»", "PUNCT", "punct", 9), (".", "PUNCT", "punct", 2),
]


@pytest.mark.parametrize("rows, cue, expected", [
    (PARTICIPLE, "déclaré", ("publication", "2023-03-10")),  # "Arrivé lundi" is a clause of its own
    (COORDINATED, "déclaré", ("publication", "2023-03-10")),  # so is the first of two coordinated predicates
    (NOUN_MODIFIER, "déclaré", ("publication", "2023-03-10")),  # "de lundi" dates the meeting, not the saying
    (OPEN_COMPLEMENT, "préciser", ("clause", "2023-03-06")),  # "a tenu lundi à préciser" is one clause
])
def test_the_clause_is_the_reporting_predicate_without_the_clauses_it_governs(rows, cue, expected):
    parse = Parse(rows).quote("Nous partirons", cue).date("lundi", "2023-03-06", first="2023-03-06")
    assert dated(parse) == [expected]


@pytest.mark.parametrize("kind, value", [("DURATION", "P2D"), ("SET", "P1W"), ("DATE", "PAST_REF")])
def test_durations_sets_and_vague_references_do_not_date_a_quote(kind, value):
    parse = Parse(INCISE).quote("Nous partirons en mars", "déclaré").date("lundi", value, kind=kind)
    assert dated(parse) == [("publication", "2023-03-10")]


def test_a_quote_without_cue_takes_the_clause_of_its_first_word():
    # « Nous partirons en mars » , lundi . -- no cue: "lundi" hangs on the quoted verb's clause.
    rows = [("«", "PUNCT", "punct", 2), ("Nous", "PRON", "nsubj", 2), ("partirons", "VERB", "ROOT", 2), ("en", "ADP", "case", 4),
            ("mars", "NOUN", "obl:mod", 2), ("»", "PUNCT", "punct", 2), (",", "PUNCT", "punct", 7), ("lundi", "NOUN", "obl:mod", 2), (".", "PUNCT", "punct", 2)]
    parse = Parse(rows).quote("Nous partirons en mars", None).date("mars", "2023-03", first="2023-03-01", last="2023-03-31").date("lundi", "2023-03-06", first="2023-03-06")
    assert dated(parse) == [("clause", "2023-03-06")]


# « Marie Curie et Paris gagneront » , a dit Marie Curie à Lyon .
MENTIONS = [
    ("«", "PUNCT", "punct", 4), ("Marie", "PROPN", "nsubj", 4), ("Curie", "PROPN", "flat:name", 1), ("et", "CCONJ", "cc", 4),
    ("Paris", "PROPN", "conj", 1), ("gagneront", "VERB", "ROOT", 5), ("»", "PUNCT", "punct", 5), (",", "PUNCT", "punct", 9),
    ("a", "AUX", "aux:tense", 9), ("dit", "VERB", "parataxis", 5), ("Marie", "PROPN", "nsubj", 9), ("Curie", "PROPN", "flat:name", 10),
    ("à", "ADP", "case", 13), ("Lyon", "PROPN", "obl", 9), (".", "PUNCT", "punct", 5),
]


def test_a_quote_mentions_the_entities_inside_it_but_never_its_own_speaker():
    parse = Parse(MENTIONS).entity("Marie Curie", "PER", "PER:marie curie").entity("Paris", "LOC", "LOC:paris")
    parse.entities.append({**parse.entities[0], "ent_id": 2, "start": parse.text.rindex("Marie Curie"), "end": parse.text.rindex("Marie Curie") + 11})
    parse.entity("Lyon", "LOC", "LOC:lyon")
    parse.quote("Marie Curie et Paris gagneront", "dit", None, "PER:marie curie")
    assert parse.run()["quote_mentions"].to_dict("records") == [{"doc_id": "d", "quote_id": 0, "ent_id": 1, "entity_key": "LOC:paris", "label": "LOC"}]


def test_a_speaker_with_no_entity_key_is_left_out_by_its_mention_span():
    parse = Parse(MENTIONS).entity("Paris", "LOC", "LOC:paris")
    # A speaker phrase the quote overlaps (a wrong span, or a headline's source): never "mentioned".
    parse.quote("Marie Curie et Paris gagneront", "dit", "Paris", None)
    assert parse.run()["quote_mentions"].empty


def test_an_entity_crossing_the_quote_edge_is_not_inside_it():
    parse = Parse(MENTIONS).entity("Paris gagneront »", "MISC", "MISC:x").entity("Paris", "LOC", "LOC:paris")
    parse.quote("Marie Curie et Paris gagneront", "dit")
    assert parse.run()["quote_mentions"]["entity_key"].tolist() == ["LOC:paris"]


def test_documents_without_quotes_give_no_rows():
    frames = Parse(INCISE).frames()
    result = quote_context(frames["documents"], frames["tokens"], frames["entities"], empty_frame(QUOTES), frames["dates"])
    assert result["quote_mentions"].empty and result["quote_dates"].empty
    assert list(result["quote_dates"].columns) == QUOTE_DATES.column_names


def test_validate_finds_dangling_rows_and_quotes_without_a_date_row(tmp_path):
    from pipeline.tables import read_table, write_table
    from pipeline.validate import validate_folder
    from tests import tiny_outputs

    folder = tiny_outputs.build(tmp_path / "outputs")
    assert validate_folder(folder)[1] == []
    mentions = read_table(QUOTE_MENTIONS, folder)
    write_table(QUOTE_MENTIONS, pd.concat([mentions, mentions.iloc[[0]].assign(ent_id=99)], ignore_index=True), folder)
    write_table(QUOTE_DATES, read_table(QUOTE_DATES, folder).iloc[1:], folder)
    assert [str(problem) for problem in validate_folder(folder)[1]] == [
        "quote_mentions: no such row in entities: doc_id nato-2022, ent_id 99",
        "quote_dates: no row for this row of quotes: doc_id nato-2022, quote_id 0",
    ]


def test_a_date_inside_another_quote_does_not_date_this_one():
    # « Nous partirons en mars », a déclaré lundi Marie Curie . -- with "lundi" inside a second quotation.
    parse = Parse(INCISE).quote("Nous partirons en mars", "déclaré").quote("lundi", None).date("lundi", "2023-03-06", first="2023-03-06")
    assert dated(parse) == [("publication", "2023-03-10"), ("publication", "2023-03-10")]
