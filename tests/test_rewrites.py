"""Rewrites built from the sentence: the kept clause, slots, sentence repair, and review."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from macrolint.fixing.apply import fix_text
from macrolint.linting.linter import Linter
from macrolint.linting.prose import edit_problem
from macrolint.model import Applicability
from macrolint.packs.config import Config
from macrolint.packs.load import PackError, read_pack
from tests.conftest import shared_linter, write_pack

CORE = shared_linter("core")


def _fixed(text: str, fmt: str = "text", linter: Linter = CORE) -> str:
    result = fix_text(linter, f"r.{ {'text': 'txt', 'html': 'html', 'markdown': 'md'}[fmt]}", text, fmt,
                      Applicability.UNSAFE)
    assert result.error is None
    return result.text


def _cli(args, **kw):
    return CliRunner().invoke(main, args, catch_exceptions=False, **kw)


# -- the clause after the match is kept ------------------------------------------------------------

def test_the_rest_of_the_clause_is_kept_byte_for_byte():
    text = "Hi {{ticket.requester.first_name}}, the system says that your plan renews on the 3rd ({{ticket.id}}).\n"
    assert _fixed(text) == ("Hi {{ticket.requester.first_name}}, I can see your plan renews on the 3rd "
                            "({{ticket.id}}) — let me check that's right.\n")


def test_markup_inside_the_kept_clause_is_not_touched():
    text = "<p>According to our system, you cancelled on <b>May 3</b>.</p>"
    assert _fixed(text, "html") == "<p>I can see you cancelled on <b>May 3</b> — let me check that's right.</p>"


def test_a_rewrite_of_the_clause_is_shown_whole_and_is_at_most_unsafe():
    diag = next(d for d in CORE.lint_text("The system says your order shipped on Monday.") if d.rule == "BL001")
    assert diag.suggestions[0] == "I can see your order shipped on Monday — let me check that's right"
    assert diag.fix is not None and diag.fix.applicability == Applicability.UNSAFE
    assert fix_text(CORE, "r.txt", "The system says your order shipped on Monday.", "text").text.startswith("The system")


def test_no_clause_no_rewrite():
    """"The system says no." has nothing to keep: no rewrite of the clause is offered."""
    diag = next(d for d in CORE.lint_text("Sorry, the system says no.") if d.rule == "BL001")
    assert diag.fix is None


# -- slots ----------------------------------------------------------------------------------------

def test_a_rewrite_with_a_slot_is_shown_but_never_applied():
    text = "We apologize for any inconvenience.\n"
    diag = next(d for d in CORE.lint_text(text) if d.rule == "RB001")
    assert diag.suggestions[0] == "We're sorry [what went wrong]" and diag.fix is None  # the writer's own voice
    assert _fixed(text) == text
    result = _cli(["check", "--unsafe-fixes", "--diff", "-"], input=text)
    assert result.output.startswith("No fixes") or "---" not in result.output


def _team_rule(replace: str, fix: str | None = None) -> str:
    fix_line = f"    fix: {fix}\n" if fix else ""
    return (
        "id: TM001\nname: thx\ncategory: robotic\nsummary: Flags the system.\nwhy: Own it.\n"
        "message: 'No “{match}”.'\nmatch:\n  - phrase: the tool says\n"
        f'    replace: "{replace}"\n{fix_line}'
        "examples:\n  - bad: the tool says it shipped.\n  - ok: I can see it shipped.\n")


@pytest.mark.parametrize("replace, fix, message", [
    ("I'm sorry [what went wrong]", "safe", "cannot apply a rewrite with a [slot]"),
    ("I can see {rest}", "safe", "cannot apply a rewrite of the rest of the clause"),
])
def test_packs_refuse_fixes_that_cannot_be_automatic(tmp_path, replace, fix, message):
    pack = write_pack(tmp_path / "team", {"thx.yaml": _team_rule(replace, fix)})
    with pytest.raises(PackError) as exc:
        read_pack(pack)
    assert message in str(exc.value) and "thx.yaml:" in str(exc.value)


def test_rest_is_a_field_every_entry_has(tmp_path):
    pack = write_pack(tmp_path / "team", {"thx.yaml": _team_rule("I can see {rest}", "unsafe")})
    linter = Linter(Config(packs=(str(pack),)))
    assert _fixed("Well, the tool says it shipped.", linter=linter) == "Well, I can see it shipped."


# -- sentence repair ------------------------------------------------------------------------------

def test_deleting_a_word_at_a_wrapped_line_start_keeps_the_sentence_in_lower_case():
    text = "<p>Thanks for writing in. You can\nsimply click the button to continue.</p>\n"
    assert _fixed(text, "html") == "<p>Thanks for writing in. You can\nclick the button to continue.</p>\n"


def test_deleting_mid_sentence_words_never_joins_words():
    assert _fixed("If you just use the app, you could just enter the code.\n") == \
        "If you use the app, you could enter the code.\n"


def test_a_capitalised_rewrite_is_lower_case_mid_sentence(tmp_path):
    pack = write_pack(tmp_path / "team", {"thx.yaml": _team_rule("Our records show", "unsafe")})
    linter = Linter(Config(packs=(str(pack),)))
    assert _fixed("Well, the tool says it shipped.", linter=linter) == "Well, our records show it shipped."
    assert _fixed("The tool says it shipped.", linter=linter) == "Our records show it shipped."


@pytest.mark.parametrize("text, start, end, content, problem", [
    ("If you just use it.", 7, 11, "", "doubled space"),
    ("If you just use it.", 6, 12, "", "join words"),
    ("You can\nsimply click it.", 8, 16, "C", "capital in the middle"),
    ("Sadly, there is nothing I can do.", 7, 32, "Here's what I can do", "capital in the middle"),
    ("It is not ok.", 6, 10, "", "negation"),
    ("Refunds take 5 days.", 13, 15, "", "number"),
    ("Obviously, it works.", 0, 11, "", "lower case"),
])
def test_edits_that_damage_the_sentence_are_named(text, start, end, content, problem):
    assert problem in (edit_problem(text, start, end, content) or "")


def test_deleting_an_opener_capitalises_the_word_inside_quotes():
    assert _fixed("Simply 'click in' each wire.\n") == "'Click in' each wire.\n"


@pytest.mark.parametrize("text, start, end, content, problem", [
    ("Users can rest assured that their login works.", 10, 28, "", "without its verb"),
    ("Ask in the aforementioned channel.", 11, 25, "this", "two determiners"),
    ("Simply Begin Again with Joseph Goldstein", 0, 7, "", "Title Case"),
])
def test_deletions_that_break_grammar_are_named(text, start, end, content, problem):
    assert problem in (edit_problem(text, start, end, content) or "")


@pytest.mark.parametrize("text, start, end, content", [
    ("If you just use it.", 7, 12, ""),
    ("Simply click it.", 0, 8, "C"),
    ("Hi Wen,\nSimply click it.", 8, 16, "C"),
    ("Please revert back to me.", 7, 18, "reply"),
])
def test_tidy_edits_pass(text, start, end, content):
    assert edit_problem(text, start, end, content) is None


# -- review ---------------------------------------------------------------------------------------

def _review(tmp_path, text: str, answers: str, *args: str):
    (tmp_path / ".macrolint.toml").write_text('packs = ["core"]\n')
    path = tmp_path / "r.txt"
    path.write_text(text)
    return path, _cli(["review", "--no-color", *args, str(path)], input=answers)


def test_review_keeps_accepted_answers_when_input_ends(tmp_path):
    path, result = _review(tmp_path, "Obviously, it shipped. There is nothing I can do.\n", "1\n")
    assert result.exit_code == 0, result.output
    assert path.read_text() == "It shipped. There is nothing I can do.\n"
    assert "Input ended: the rewrites accepted so far are kept." in result.output
    assert "Aborted" not in result.output


def test_review_asks_for_each_slot_and_applies_what_it_offers(tmp_path):
    path, result = _review(tmp_path, "Dear Valued Customer, your order shipped.\n", "1\nAna\n")
    assert path.read_text() == "Hi Ana, your order shipped.\n"
    assert "Applied 1 rewrite(s)." in result.output


def test_review_shows_suggestions_as_help_and_never_pastes_them_over_the_sentence(tmp_path):
    path, result = _review(tmp_path, "Unfortunately, there is nothing I can do. Thanks.\n",
                           "e\nhere is what I can do\n")
    assert "help: Lead with what you can do: “Here's what I can do: [what you can do].”" in result.output
    assert "1)" not in result.output  # no rewrite of its own: nothing numbered
    assert path.read_text() == "Unfortunately, here is what I can do. Thanks.\n"


def test_review_shows_each_rewrite_as_the_sentence_reads_after_it(tmp_path):
    _, result = _review(tmp_path, "The system says your plan renews on the 3rd.\n", "s\n")
    assert "1) I can see your plan renews on the 3rd — let me check that's right." in result.output


def test_review_dry_run_prints_the_diff_and_writes_nothing(tmp_path):
    text = "Obviously, it shipped.\n"
    path, result = _review(tmp_path, text, "1\n", "--dry-run")
    assert path.read_text() == text
    assert "-Obviously, it shipped.\n+It shipped.\n" in result.output and "Would apply 1 rewrite(s)." in result.output


def test_review_refuses_an_own_rewrite_that_joins_words_and_asks_again(tmp_path):
    path, result = _review(tmp_path, "You can simply click it.\n", "e\nSimply\ns\n")
    assert "not applied: it would put a capital in the middle of a sentence (“Simply”); choose again" in result.output
    assert path.read_text() == "You can simply click it.\n"


def test_the_kept_clause_runs_on_across_a_wrapped_line_but_not_into_a_list():
    text = "Thanks. Our records indicate the\nsecond charge is pending.\n"
    assert _fixed(text) == "Thanks. I can see the\nsecond charge is pending — let me check that's right.\n"
    listed = "The system says\n- your plan renews on the 3rd\n"
    assert _fixed(listed) == listed  # no clause on its line to keep: no rewrite


def test_a_fix_title_writes_the_kept_clause_s_placeholders_out():
    text = "The system says your plan ({{ticket.id}}) renews on the 3rd.\n"
    diag = next(d for d in CORE.lint_text(text) if d.rule == "BL001")
    assert diag.fix.title == "Rewrite as “I can see your plan ({{ticket.id}}) renews on the 3rd — let me check that's right”"
    assert diag.suggestions[0] in diag.fix.title
