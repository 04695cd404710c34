"""No code path evaluates, unpickles or unsafely parses what it reads."""
import re

import pytest

from pipeline.readers import Reject, read_file
from tests.conftest import ROOT

UNSAFE = re.compile(r"\beval\(|\bexec\(|\bpickle\b|\bmarshal\b|yaml\.load\(|yaml\.unsafe_load|shell=True|(?<!Safe)ElementTree\.(fromstring|parse|XMLParser)\b")


@pytest.mark.parametrize("path", sorted((ROOT / "pipeline").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_unsafe_call_in_the_package(path):
    source = path.read_text(encoding="utf-8")
    found = [match.group(0) for match in UNSAFE.finditer(source)]
    assert not found, f"{path}: {found}"


@pytest.mark.parametrize(
    "xml, reason",
    [
        ('<!DOCTYPE TimeML [<!ENTITY x SYSTEM "file:///etc/passwd">]><TimeML><DOCID>x</DOCID><TEXT>&x;</TEXT></TimeML>', "TimeML refused: EntitiesForbidden"),
        ('<!DOCTYPE TimeML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><TimeML><TEXT>&b;</TEXT></TimeML>', "TimeML refused: EntitiesForbidden"),
    ],
)
def test_timeml_entities_are_refused(tmp_path, xml, reason):
    path = tmp_path / "evil.tml"
    path.write_text(xml, encoding="utf-8")
    [item] = list(read_file(path))
    assert isinstance(item, Reject) and item.reason.startswith(reason)
