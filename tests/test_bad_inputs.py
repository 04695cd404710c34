"""Each kind of broken input becomes one reject with a clear reason (or a warning when
the text is still usable), while the good articles beside it come out unchanged."""
import json
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import SEEDS

GOOD = sorted(SEEDS.glob("*.txt"))[:2]
FRENCH = (
    "Le secrétaire général de l’OTAN a déclaré vendredi que le risque d’un conflit était réel.\n\n"
    "« Nous devons être prêts », a-t-il ajouté devant les journalistes à Bruxelles, où les ministres se sont réunis."
)
ENGLISH = (
    "NATO chief warns of real risk of war\n\n"
    "The NATO secretary general said on Friday that the risk of a wider conflict in Europe was real, "
    "and he warned that the alliance would defend every inch of its territory."
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE TimeML [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1) if i > 1 else "&lol;") * 10}">' for i in range(1, 10))
    + "]><TimeML><DOCID>bomb</DOCID><TEXT>&lol9;</TEXT></TimeML>"
)

runner = CliRunner()


def run_clean(tmp_path, files: dict[str, bytes | str], *options: str, extra_inputs: tuple[str, ...] = ()):
    """`pipeline clean` on a folder holding the good seeds and ``files``; (result, documents, rejects)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for seed in GOOD:
        shutil.copy(seed, corpus / seed.name)
    for name, content in files.items():
        path = corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    output = tmp_path / "out"
    inputs = [arg for item in (str(corpus), *extra_inputs) for arg in ("--input", item)]
    result = runner.invoke(app, ["clean", *inputs, "--output", str(output), *options])
    documents = pd.read_parquet(output / "documents.parquet") if (output / "documents.parquet").exists() else None
    rejects = pd.read_parquet(output / "rejects.parquet") if (output / "rejects.parquet").exists() else None
    return result, documents, rejects


@pytest.fixture(scope="module")
def good_rows(tmp_path_factory):
    """The good seeds cleaned on their own: what they must still look like next to bad inputs."""
    _, documents, _ = run_clean(tmp_path_factory.mktemp("good"), {})
    return documents.drop(columns=["source"]).set_index("doc_id")


def config(tmp_path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def assert_good_rows_intact(documents, good_rows):
    mine = documents.drop(columns=["source"]).set_index("doc_id").loc[good_rows.index]
    pd.testing.assert_frame_equal(mine, good_rows)


def only_reject(rejects, name_part: str) -> dict:
    rows = rejects[rejects["source"].str.contains(name_part, regex=False)]
    assert len(rows) == 1, rejects
    return rows.iloc[0].to_dict()


@pytest.mark.parametrize(
    "name, content, stage, reason",
    [
        ("empty.txt", b"", "read", "empty file"),
        ("blank.txt", " \n\t\n\u00a0\n", "clean", "no text (empty or whitespace only)"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "read", "binary file (NUL bytes)"),
        ("controls.txt", bytes(range(1, 32)) * 40, "read", "binary file (control characters)"),
        ("dated.txt", " date 2022-13 Un titre\n\n" + FRENCH, "clean", "malformed date header"),
        ("dated2.txt", " date 2022-1x Un titre\n\n" + FRENCH, "clean", "malformed date header"),
        ("english.txt", ENGLISH, "clean", "not French: looks en"),
        ("broken.tml", "<TimeML><DOCID>x</DOCID><TEXT>Texte sans fin", "read", "malformed TimeML"),
        ("notext.tml", "<TimeML><DOCID>x</DOCID></TimeML>", "read", "TimeML without a TEXT element"),
        ("bomb.tml", BILLION_LAUGHS, "read", "TimeML refused: EntitiesForbidden"),
        ("columns.csv", "id,body\n1,Texte\n", "read", "CSV lacks column text"),
        ("nothing.jsonl", "\n\n", "read", "no record in file"),
        ("damaged.parquet", b"PAR1 not really", "read", "not a readable Parquet file"),
        ("notes.md", "# rien", None, None),  # skipped in a folder: not an input format
    ],
)
def test_bad_file_is_rejected_and_the_rest_processed(tmp_path, good_rows, name, content, stage, reason):
    result, documents, rejects = run_clean(tmp_path, {name: content})
    assert result.exit_code == 0, result.output
    assert_good_rows_intact(documents, good_rows)
    if reason is None:
        assert rejects.empty and len(documents) == len(GOOD)
        return
    reject = only_reject(rejects, name)
    assert reject["stage"] == stage and reject["reason"].startswith(reason), reject
    assert "\n" not in reject["reason"]
    assert len(documents) == len(GOOD)
    assert "rejected 1" in result.output


@pytest.mark.parametrize(
    "encoding, warning",
    [("latin-1", "not UTF-8: decoded as Latin-1"), ("cp1252", "not UTF-8: decoded as Windows-1252"), ("utf-16", "not UTF-8: decoded as UTF-16")],
)
def test_other_encodings_are_decoded_with_a_warning(tmp_path, good_rows, encoding, warning):
    title = "Élection à Genève : « déjà » l'été"
    body = FRENCH.replace("’", "'") + (" Coût : 5 €, l’œuvre." if encoding != "latin-1" else "")
    result, documents, rejects = run_clean(tmp_path, {"encoded.txt": f"{title}\n\n{body}".encode(encoding)})
    assert result.exit_code == 0 and rejects.empty, rejects
    row = documents.set_index("doc_id").loc["encoded"]
    assert row["title"] == title and row["text"].endswith(body)
    assert list(row["warnings"]) == [warning]
    assert_good_rows_intact(documents, good_rows)


def test_record_files_in_another_encoding_warn_on_every_record(tmp_path):
    line = json.dumps({"id": "j1", "text": FRENCH}, ensure_ascii=False)
    result, documents, _ = run_clean(tmp_path, {"records.jsonl": (line + "\n").encode("cp1252")})
    assert result.exit_code == 0
    assert list(documents.set_index("doc_id").loc["j1", "warnings"]) == ["not UTF-8: decoded as Windows-1252"]


def test_mojibake_is_repaired_with_a_warning(tmp_path, good_rows):
    mangled = FRENCH.encode("utf-8").decode("cp1252", errors="ignore")
    assert "Ã©" in mangled
    result, documents, rejects = run_clean(tmp_path, {"mojibake.txt": "Le prÃ©sident\n\n" + mangled})
    assert result.exit_code == 0 and rejects.empty
    row = documents.set_index("doc_id").loc["mojibake"]
    assert row["title"] == "Le président" and "secrétaire général" in row["text"] and "Ã" not in row["text"]
    assert list(row["warnings"]) == ["repaired mojibake (text had been decoded with the wrong encoding)"]
    assert_good_rows_intact(documents, good_rows)


def test_mojibake_can_be_rejected_instead(tmp_path):
    result, documents, rejects = run_clean(tmp_path, {"mojibake.txt": "Le prÃ©sident\n\n" + FRENCH}, "--config", config(tmp_path, '[clean]\nmojibake = "reject"\n'))
    assert result.exit_code == 0
    assert only_reject(rejects, "mojibake.txt")["reason"].startswith("mojibake")


def test_not_french_can_be_flagged_instead(tmp_path):
    result, documents, rejects = run_clean(tmp_path, {"english.txt": ENGLISH}, "--config", config(tmp_path, '[clean]\nnot_french = "flag"\n'))
    assert result.exit_code == 0 and rejects.empty
    assert list(documents.set_index("doc_id").loc["english", "warnings"])[0].startswith("not French: looks en")


def test_file_over_the_size_limit(tmp_path, good_rows):
    limit = max(seed.stat().st_size for seed in GOOD) + 10
    result, documents, rejects = run_clean(
        tmp_path,
        {"big.txt": FRENCH * (limit // len(FRENCH) + 1), "big.jsonl": json.dumps({"id": "big-record", "text": FRENCH * (limit // len(FRENCH) + 1)}) + "\n"},
        "--config",
        config(tmp_path, f"[clean]\nmax_bytes = {limit}\n"),
    )
    assert result.exit_code == 0
    assert only_reject(rejects, "big.txt")["reason"].startswith("file is ")
    record = only_reject(rejects, "big.jsonl")
    assert record["doc_id"] == "big-record" and f"over the limit of {limit} ([clean] max_bytes)" in record["reason"]
    assert_good_rows_intact(documents, good_rows)


def test_bad_jsonl_lines_are_rejected_one_by_one(tmp_path, good_rows):
    lines = [
        json.dumps({"id": "ok", "text": FRENCH}),
        "{not json",
        json.dumps({"text": FRENCH}),
        json.dumps({"id": "no-text"}),
        json.dumps(["id", "text"]),
        json.dumps({"id": {"nested": 1}, "text": FRENCH}),
    ]
    result, documents, rejects = run_clean(tmp_path, {"records.jsonl": "\n".join(lines) + "\n"})
    assert result.exit_code == 0
    assert "ok" in set(documents["doc_id"])
    reasons = dict(zip(rejects["source"].str.rsplit(":", n=1).str[1].astype(int), rejects["reason"]))
    assert reasons[2].startswith("line is not JSON")
    assert reasons[3] == "record lacks id"
    assert reasons[4] == "record lacks text"
    assert reasons[5] == "line is a JSON list, expected an object with id and text"
    assert reasons[6] == "field id is a dict, expected a string or an integer"
    assert rejects.set_index("doc_id").loc["no-text", "stage"] == "read"
    assert_good_rows_intact(documents, good_rows)


BAD_DATES = {
    "slashes": ("2021/03/03", "2021-03-03", []),
    "english": ("March 3, 2021", "2021-03-03", []),
    "missing": ("NA", None, ["record date 'NA' is not a date (ignored)"]),
    "words": ("hier", None, ["record date 'hier' is not a date (ignored)"]),
    "impossible": ("2022-02-30", None, ["record date '2022-02-30' names no real day (ignored)"]),
}


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_records_with_bad_dates_are_kept_with_a_warning_or_read_when_unambiguous(tmp_path, good_rows, suffix):
    frame = pd.DataFrame([{"id": name, "text": FRENCH, "date": date} for name, (date, _, _) in BAD_DATES.items()])
    if suffix == ".parquet":
        content = frame.to_parquet()
    elif suffix == ".csv":
        content = frame.to_csv(index=False)
    else:
        content = "\n".join(json.dumps(row) for row in frame.to_dict("records")) + "\n"
    result, documents, rejects = run_clean(tmp_path, {f"records{suffix}": content})
    assert result.exit_code == 0, result.output
    assert rejects is None or rejects.empty
    rows = documents.set_index("doc_id")
    for name, (_, published, warnings) in BAD_DATES.items():
        assert (pd.isna(rows.loc[name, "published"]) if published is None else rows.loc[name, "published"] == published), name
        assert list(rows.loc[name, "warnings"]) == warnings, name
    assert_good_rows_intact(documents, good_rows)


def test_csv_rows_with_missing_fields_and_huge_fields(tmp_path):
    long_text = FRENCH * 2000  # above csv's default 128 KiB field limit
    frame = pd.DataFrame({"id": ["c1", "c2", "c3"], "text": [FRENCH, "", long_text]})
    result, documents, rejects = run_clean(tmp_path, {"records.csv": frame.to_csv(index=False)})
    assert result.exit_code == 0
    assert {"c1", "c3"} <= set(documents["doc_id"])
    assert rejects.set_index("doc_id").loc["c2", "reason"] == "record lacks text"


def test_duplicate_ids_first_wins(tmp_path):
    result, documents, rejects = run_clean(tmp_path, {f"zz_copy/{GOOD[0].name}": GOOD[0].read_bytes()})
    assert result.exit_code == 0
    reject = only_reject(rejects, "zz_copy")
    assert reject["doc_id"] == GOOD[0].stem and reject["reason"].startswith(f"duplicate doc_id '{GOOD[0].stem}'")
    assert documents.set_index("doc_id").loc[GOOD[0].stem, "source"].endswith(f"corpus/{GOOD[0].name}")


def test_missing_path_is_rejected_and_the_rest_processed(tmp_path, good_rows):
    missing = str(tmp_path / "nowhere" / "article.txt")
    result, documents, rejects = run_clean(tmp_path, {}, extra_inputs=(missing,))
    assert result.exit_code == 0
    assert only_reject(rejects, "nowhere")["reason"] == "path does not exist"
    assert_good_rows_intact(documents, good_rows)


def test_every_input_ends_up_in_documents_or_rejects(tmp_path):
    files = {"empty.txt": b"", "english.txt": ENGLISH, "ok.txt": FRENCH, "broken.tml": "<TimeML>", "records.jsonl": json.dumps({"id": "r", "text": FRENCH}) + "\n{\n"}
    _, documents, rejects = run_clean(tmp_path, files)
    one_article_files, jsonl_records = 4, 2
    assert len(documents) + len(rejects) == len(GOOD) + one_article_files + jsonl_records


# Exit codes -----------------------------------------------------------------------


def test_nothing_processed_exits_non_zero_with_one_line(tmp_path):
    corpus = tmp_path / "bad"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["run", "--input", str(corpus), "--output", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"rejected 1 (by reason; all in {tmp_path / 'out' / 'rejects.parquet'}):",
        f"  1 × empty file: {corpus / 'empty.txt'}",
        "error: no document could be processed (1 rejected, reasons above)",
    ]
    assert len(pd.read_parquet(tmp_path / "out" / "rejects.parquet")) == 1


def test_strict_fails_on_any_reject_after_writing_the_tables(tmp_path):
    result, documents, rejects = run_clean(tmp_path, {"empty.txt": b""}, "--strict")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-2:] == [f"  1 × empty file: {tmp_path / 'corpus' / 'empty.txt'}", "error: 1 input(s) rejected and --strict given (reasons above)"]
    assert len(documents) == len(GOOD) and len(rejects) == 1


def test_strict_passes_when_nothing_is_rejected(tmp_path):
    result, _, _ = run_clean(tmp_path, {}, "--strict")
    assert result.exit_code == 0 and "rejected 0" in result.output


@pytest.mark.parametrize(
    "arguments",
    [["run", "--no-such-option"], ["run", "--config", "/nonexistent/config.toml"], ["sentences", "--output", "/nonexistent-folder-for-sure/x"]],
)
def test_usage_errors_exit_2(tmp_path, arguments):
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2


def test_bad_config_values_are_usage_errors(tmp_path):
    result, _, _ = run_clean(tmp_path, {}, "--config", config(tmp_path, '[clean]\nmojibake = "ignore"\n'))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["error: [clean] mojibake = 'ignore'; expected one of repair, reject"]
