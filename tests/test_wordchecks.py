"""Checks that read words: shouting in capitals (CD030), unexplained acronyms (JG036, preview), the
``words:`` key that hands them a pack's word classes, and benign contexts on code-backed hits."""
from __future__ import annotations

import pytest

from macrolint.linting.linter import Linter
from macrolint.linting.rules import read_pack
from macrolint.packs.config import Config
from macrolint.packs.load import PackError
from macrolint.packs.reading import Vocabulary
from tests.conftest import write_pack


@pytest.fixture(scope="module")
def acronyms() -> Linter:
    return Linter(Config(packs=("core",)).with_overrides(extend_select=("JG036",)))


def codes(linter, text, fmt="text"):
    return [(d.rule, d.match) for d in linter.lint_text(text, fmt)]


@pytest.mark.parametrize("text, match", [
    ("Hi Sam, PLEASE NOTE THAT refunds take 5 days.", "PLEASE NOTE THAT"),
    ("DO NOT REPLY TO THIS THREAD.", "DO NOT REPLY TO THIS THREAD"),
    ("Thanks. We CANNOT REFUND THIS ORDER, sorry.", "CANNOT REFUND THIS ORDER"),
    ("I DON'T KNOW WHY you keep asking.", "I DON'T KNOW WHY"),
])
def test_shouting_is_found(linter, text, match):
    assert ("CD030", match) in codes(linter, text)


@pytest.mark.parametrize("text", [
    "Click SAVE AND CLOSE when you're done.",
    "Read chapter 6 (EDITING THE SOURCE CODE) of the manual.",
    "IMPORTANT NOTICE\n\nYour plan renews on the 3rd.",
    "ATTACH THE PDF THEN ERASE THIS LINE.\nHi Sam, here is your guide.",
    'The screen says "NO SIGNAL DETECTED" when the cable is loose.',
    "Your USB, HDMI and SD ports are on the left.",
    "Turn on the DO NOT DISTURB setting first.",
])
def test_capitals_that_are_not_shouting(linter, text):
    assert not [c for c in codes(linter, text) if c[0] == "CD030"]


def test_a_text_in_capitals_is_one_finding(linter):
    text = "YOUR ORDER HAS SHIPPED. IT WILL ARRIVE ON MONDAY. PLEASE KEEP THIS EMAIL."
    assert [c for c in codes(linter, text) if c[0] == "CD030"] == [("CD030", "YOUR ORDER HAS SHIPPED")]


def test_shouting_stands_beside_the_findings_on_its_words(linter):
    found = codes(linter, "Thanks. PLEASE UTILIZE THE PORTAL for refunds.")
    assert ("CD030", "PLEASE UTILIZE THE PORTAL") in found and ("JG002", "UTILIZE") in found


def test_unexplained_acronyms_are_a_preview_rule(linter, acronyms):
    text = "The NOC has an open incident for your area."
    assert ("JG036", "NOC") not in codes(linter, text)
    assert ("JG036", "NOC") in codes(acronyms, text)


@pytest.mark.parametrize("text", [
    "Our network operations centre (NOC) is on it, and the NOC will call you by 4pm.",
    "The NOC — our network team — is on it.",
    "Save the file as a PDF and send it with your PIN.",
    "Please do NOT share this code with anyone.",
    "Open the file in VS Code, then make the form with GOV.UK Forms.",
    "Connect the USB-C cable; chapter IV explains the rest.",
    "We use FTL, SNI, OIDC and TOTP here, each set up as the guide says.",  # a text for a technical reader
])
def test_acronyms_that_need_no_explaining(acronyms, text):
    assert not [c for c in codes(acronyms, text) if c[0] == "JG036"]


def test_acronyms_in_articles_are_left_alone(acronyms):
    article = "---\ntitle: Outages\n---\nThe NOC posts updates on the status page.\n"
    assert ("JG036", "NOC") in codes(acronyms, "The NOC posts updates on the status page.")
    assert not [c for c in codes(acronyms, article, "markdown") if c[0] == "JG036"]


def test_accepted_vocabulary_clears_an_acronym(tmp_path):
    config = Config(packs=("core",), vocabulary=Vocabulary(accept=("NOC",)))
    linter = Linter(config.with_overrides(extend_select=("JG036",)))
    assert not [c for c in codes(linter, "The NOC has an open incident.") if c[0] == "JG036"]


RULE = """
    id: TM001
    name: x
    category: jargon
    summary: s
    why: w
    message: m
    check: shouting
    {words}
    {contexts}
    examples:
      - bad: "Hi, DO NOT REPLY TO THIS."
      - ok: "Hi, do not reply."
    """
WORDS = "common-words:\n  kind: words\n  description: d\n  words: [do, not, reply, to, this]\n"


def test_words_key_hands_a_check_its_word_classes(tmp_path):
    folder = write_pack(tmp_path / "p", {"x.yaml": RULE.format(words="words: [common-words]", contexts=""),
                                         "definitions/w.yaml": WORDS})
    (rule,) = read_pack(folder).rules
    assert rule.words == (("common-words", frozenset({"do", "not", "reply", "to", "this"})),)
    linter = Linter(Config(packs=(str(folder),)))
    assert codes(linter, "Hi, DO NOT REPLY TO THIS.") == [("TM001", "DO NOT REPLY TO THIS")]


def test_code_backed_hits_pass_the_rules_benign_contexts(tmp_path):
    folder = write_pack(tmp_path / "p", {
        "x.yaml": RULE.format(words="words: [common-words]", contexts="exceptions: ['do not reply to this address']"),
        "definitions/w.yaml": WORDS})
    linter = Linter(Config(packs=(str(folder),)))
    assert codes(linter, "Hi, DO NOT REPLY TO THIS ADDRESS.") == []
    assert codes(linter, "Hi, DO NOT REPLY TO THIS.") == [("TM001", "DO NOT REPLY TO THIS")]


@pytest.mark.parametrize("words, message", [
    ("words: [nothing]", 'words: "nothing" names no word class'),
    ("words: [ctx]", 'words: "ctx" names a context'),
])
def test_words_key_is_validated(tmp_path, words, message):
    ctx = "ctx:\n  kind: context\n  description: d\n  entries: [a b]\n"
    folder = write_pack(tmp_path / "p", {"x.yaml": RULE.format(words=words, contexts=""),
                                         "definitions/w.yaml": WORDS + "\n" + ctx})
    with pytest.raises(PackError, match=message):
        read_pack(folder)


def test_words_key_needs_a_check(tmp_path):
    rule = RULE.format(words="words: [common-words]", contexts="").replace("check: shouting", "match: [do not reply]")
    folder = write_pack(tmp_path / "p", {"x.yaml": rule, "definitions/w.yaml": WORDS})
    with pytest.raises(PackError, match='"words" names word classes for a code-backed check'):
        read_pack(folder)
