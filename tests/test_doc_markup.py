"""reStructuredText and AsciiDoc: what of a Sphinx or Antora page is prose, and every kept
character maps to the raw file."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macrolint import readers
from macrolint.readers import adoc, rst
from macrolint.text.document import MASK
from tests.conftest import shared_linter

LINTER = shared_linter()


def view(raw: str, reader=rst.rst_view) -> str:
    text, omap = reader(raw)
    for vs, ve, rs, re_ in omap.runs():  # kept text is the raw text, verbatim
        if re_ is None:
            assert text[vs:ve] == raw[rs:rs + ve - vs]
    return text


def words(raw: str, reader=rst.rst_view) -> str:
    return " ".join(view(raw, reader).replace(MASK, "<>").split())


def rules(raw: str, fmt: str = "rst") -> list[str]:
    return [d.rule for d in LINTER.lint_text(raw, fmt) if d.category != "input"]


def test_rst_files_are_read_as_articles():
    assert readers.detect("docs/help/sync.rst") == "rst" and readers.detect("a.rest") == "rst"
    source = readers.read("sync.rst", "Title\n=====\n\nText.\n", "rst")
    assert source.articles and len(source.units) == 1


def test_comments_targets_and_code_directives_are_not_prose():
    raw = (".. _target:\n\n.. START THE SECTION HERE\n   and its second line\n\n"
           ".. code-block:: python\n   :linenos:\n\n   print('we apologize')\n\n"
           ".. image:: /img/a.png\n   :alt: A picture\n\n.. |name| replace:: NoteSync\n\nThe text.\n")
    assert words(raw) == "The text."


def test_admonitions_keep_their_text_but_not_their_options():
    raw = ".. note:: Back up first.\n\n   It keeps your notes.\n\n.. warning::\n   :class: strong\n\n   Do not unplug it.\n"
    assert words(raw) == "Back up first. It keeps your notes. Do not unplug it."


def test_a_literal_block_after_a_double_colon_is_code():
    raw = "Run this::\n\n    notesync --check\n\nThen wait.\n\nOr this ::\n\n   x = 1\n\nDone.\n"
    assert words(raw) == "Run this: Then wait. Or this Done."
    item = "#. Run the check::\n\n      notesync --check\n\n   The result appears.\n"
    assert words(item) == "Run the check: The result appears."


def test_titles_are_headings_and_adornments_vanish():
    raw = "=======\nSyncing\n=======\n\nIntro.\n\nCheck it\n--------\n\nBody.\n\n----\n\nEnd.\n"
    scopes: list = []
    rst.rst_view(raw, scopes)
    assert [raw[s:e] for s, e, k in scopes if k == "heading"] == ["Syncing", "Check it"]
    assert words(raw) == "Syncing Intro. Check it Body. End."


def test_inline_markup():
    raw = ("See :ref:`the sync guide <sync>`, :ref:`sync`, `our site <https://x.example>`_ and `Guide`_. "
           "Run ``notesync`` or :command:`notesync`; click :guilabel:`Save`. It is **very** *easy*. "
           "|product| works [1]_. A\\*star.\n")
    assert words(raw) == ("See the sync guide, <>, our site and Guide. Run <> or <>; click Save. "
                          "It is very easy. <> works <>. A*star.")
    scopes: list = []
    rst.rst_view(raw, scopes)
    assert [raw[s:e] for s, e, k in scopes if k == "link"] == ["the sync guide", "our site", "Guide"]


def test_lists_fields_and_tables_keep_their_text_only():
    raw = (":orphan:\n\n- First item.\n* Second item.\n#. Third.\n\n+------+------+\n| Date | Pass |\n"
           "+======+======+\n| 2026 | Yes  |\n+------+------+\n\n=====  =====\nA      B\n=====  =====\n")
    assert words(raw) == "First item. Second item. Third. Date Pass 2026 Yes A B"


def test_findings_in_prose_only_and_suppression_comments():
    raw = (".. We apologize for any inconvenience.\n\n.. code-block:: text\n\n   Obviously it is code.\n\n"
           "Obviously, restart it. We apologize for any inconvenience.\n\n"
           ".. macrolint-disable-next-line CD001\nObviously, this line is allowed.\n")
    found = LINTER.lint_text(raw, "rst")
    assert [(d.rule, d.line) for d in found if d.category != "input"] == [("CD001", 7), ("RB001", 7)]


def test_a_shouted_comment_is_not_shouting():
    assert rules("Share\n=====\n\n.. START SHARE YOUR COURSES ON SOCIAL MEDIA\n\nOn your dashboard, share it.\n") == []


def test_broken_markup_never_fails():
    for raw in ("", "..", ".. note::", "``unclosed", ":ref:`open", "`a <b`_", "::", "===\n", "a\r\n===\r\n\r\nb::\r\n\r\n  c\r\n",
                "\t.. code::\n\t\tx\n", "|", "**", "\\"):
        view(raw)
        LINTER.lint_text(raw, "rst")


@settings(max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from([
    "Title", "=====", "", "   ", ".. note:: Text.", ".. code-block:: sh", "   echo x", "Run this::", "    code",
    "- item", "#. step", "| a | b |", "+---+---+", ":field: value", "We apologize for any inconvenience.",
    "See :ref:`a <b>` and `c <d>`_.", "``lit`` **b** *e*", "|sub| [1]_", ".. [1] Note.", "\tTabbed.", "x\r",
]), max_size=12))
def test_any_mix_of_blocks_maps_back_to_the_raw_text(lines):
    raw = "\n".join(lines)
    view(raw)
    for d in LINTER.lint_text(raw, "rst"):
        assert 0 <= d.start <= d.end <= len(raw)


# --- AsciiDoc ---------------------------------------------------------------------------------

def adoc_words(raw: str) -> str:
    return words(raw, adoc.adoc_view)


def test_adoc_files_are_read_as_articles():
    assert readers.detect("docs/modules/ROOT/pages/refunds.adoc") == "asciidoc"
    assert readers.detect("guide.asciidoc") == "asciidoc"
    source = readers.read("refunds.adoc", "= Refunds\n\nText.\n", "asciidoc")
    assert source.articles and len(source.units) == 1


def test_adoc_comments_attributes_and_code_blocks_are_not_prose():
    raw = ("= Title\n:toc: left\n:product: ShopKit\n// KEEP IT SHORT. We apologize.\n\n////\nWe apologize.\n////\n\n"
           "[source,bash]\n----\necho 'we apologize'\n----\n\n....\nliteral\n....\n\n  $ indented literal\n\n"
           "[[anchor]]\nThe text.\n")
    assert adoc_words(raw) == "Title The text."


def test_adoc_lists_admonitions_tables_and_prose_blocks_keep_their_text():
    raw = ("* First item\n** Nested\n. Step one\n. Step two\n+\nMore on step two.\n\nNOTE: Back up first.\n\n"
           "[TIP]\n====\nKeep the receipt.\n====\n\n|===\n|Item |Window\n\n|Shoes |30 days\n|===\n\n"
           "Term:: A definition.\n")
    assert adoc_words(raw) == ("First item Nested Step one Step two More on step two. Back up first. "
                               "Keep the receipt. Item Window Shoes 30 days Term: A definition.")


def test_adoc_titles_are_headings():
    raw = "= Refunds\n\nIntro.\n\n== Start a return\n\n.Return windows\nBody.\n"
    scopes: list = []
    adoc.adoc_view(raw, scopes)
    assert [raw[s:e] for s, e, k in scopes if k == "heading"] == ["Refunds", "Start a return", "Return windows"]


def test_adoc_inline_markup():
    raw = ("See xref:orders.adoc[the order guide], https://x.example[our site], <<returns,Returns>>, <<returns>> "
           "and https://x.example. Run `shopkit` or +raw+. Click btn:[Save] and kbd:[Ctrl+S]. It is *very* _easy_. "
           "image:logo.png[Logo] Done.\n")
    assert adoc_words(raw) == ("See the order guide, our site, Returns, <> and <>. Run <> or <>. Click Save and <>. "
                               "It is very easy. <> Done.")
    scopes: list = []
    adoc.adoc_view(raw, scopes)
    assert [raw[s:e] for s, e, k in scopes if k == "link"] == ["the order guide", "our site", "Returns"]


def test_adoc_findings_in_prose_only_and_suppression_comments():
    raw = ("// We apologize for any inconvenience.\n\n----\nObviously it is code.\n----\n\n"
           "Obviously, restart it. We apologize for any inconvenience.\n\n"
           "// macrolint-disable-next-line CD001\nObviously, this line is allowed.\n")
    found = LINTER.lint_text(raw, "asciidoc")
    assert [(d.rule, d.line) for d in found if d.category != "input"] == [("CD001", 7), ("RB001", 7)]


def test_adoc_broken_markup_never_fails():
    for raw in ("", "=", "----", "----\nunclosed code", "|===", "`open", "xref:a[", "<<x", "[source", "NOTE:", "+",
                "a\r\n----\r\nb\r\n----\r\n", "\t indented", "::", "**"):
        view(raw, adoc.adoc_view)
        LINTER.lint_text(raw, "asciidoc")


@settings(max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from([
    "= Title", "== Section", ".Block title", "", "   ", ":attr: value", "// comment", "////", "----", "....", "====",
    "|===", "|a |b", "[source,sh]", "[[id]]", "* item", ". step", "NOTE: Text.", "+", "Term:: def",
    "We apologize for any inconvenience.", "See xref:a.adoc[b] and https://c.example[d].", "`mono` *b* _e_",
    "\tTabbed.", "x\r",
]), max_size=12))
def test_any_mix_of_adoc_blocks_maps_back_to_the_raw_text(lines):
    raw = "\n".join(lines)
    view(raw, adoc.adoc_view)
    for d in LINTER.lint_text(raw, "asciidoc"):
        assert 0 <= d.start <= d.end <= len(raw)
