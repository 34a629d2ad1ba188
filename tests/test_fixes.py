"""Fixes: tidy edits, case kept, safe/unsafe/suggestion respected, files written safely."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from macrolint import readers
from macrolint.cli import main
from macrolint.fixing.apply import fix_text
from macrolint.linting.edits import plan
from macrolint.linting.linter import Linter
from macrolint.model import Applicability
from macrolint.packs.config import Config
from macrolint.text.masking import find_placeholders
from tests.conftest import FIXTURES

CORE = Config(packs=("core",), preview=True)  # preview rules too: their fixes are fixes like any other


def fixed(text, fmt="text", unsafe=False):
    linter = Linter(CORE)
    return fix_text(linter, "<t>", text, fmt, Applicability.UNSAFE if unsafe else Applicability.SAFE)


@pytest.mark.parametrize("text, word, expected", [
    ("Obviously, you need to log in.", "Obviously", "You need to log in."),
    ("We will, obviously, refund it.", "obviously", "We will refund it."),
    ("That is it, obviously.", "obviously", "That is it."),
    ("You can simply click it.", "simply", "You can click it."),
    ("Please be advised that your refund was sent.", "Please be advised that", "Your refund was sent."),
    ("Thanks. Simply click here.", "Simply", "Thanks. Click here."),
    ("Hi Ann, please be advised that your refund was sent.", "please be advised that", "Hi Ann, your refund was sent."),
    ("Simply. Then go.", "Simply", "Then go."),
    # a match that takes the space after it leaves the space before alone
    ("Hi Wen, just clear your cache.", "just ", "Hi Wen, clear your cache."),
    ("You can just  click it.", "just ", "You can click it."),
])
def test_deletions_leave_no_double_spaces_or_orphan_punctuation(text, word, expected):
    s = text.index(word)
    out = text
    for a, z, c in reversed(plan(text, s, s + len(word), "")):
        out = out[:a] + c + out[z:]
    assert out == expected


@pytest.mark.parametrize("text, expected", [
    ("Please be advised that your refund was sent.", "Your refund was sent."),
    ("PLEASE UTILIZE THE PORTAL.", "PLEASE USE THE PORTAL."),
    ("In order to reset it, we utilized the portal.", "To reset it, we used the portal."),
])
def test_safe_fixes_keep_case(text, expected):
    assert fixed(text).text == expected


def test_safe_run_leaves_unsafe_and_suggestions():
    text = "Obviously, there is nothing I can do."
    assert fixed(text).text == text
    assert fixed(text, unsafe=True).text == "There is nothing I can do."


def test_fixing_twice_changes_nothing_and_converges():
    text = (FIXTURES / "text" / "billing-replies.txt").read_text()
    once = fixed(text, unsafe=True)
    assert once.converged and once.changed
    assert fixed(once.text, unsafe=True).text == once.text


def test_placeholders_and_tags_survive(tmp_path):
    html = (FIXTURES / "html" / "saved-reply.html").read_text()
    out = fixed(html, "html", unsafe=True).text
    assert out != html
    assert [html[s:e] for s, e, _ in find_placeholders(html)] == [out[s:e] for s, e, _ in find_placeholders(out)]
    assert "<b>system</b>" in out and "&nbsp;" in out


def test_fix_inside_markup_is_not_offered():
    (d,) = [d for d in Linter(CORE).lint_text("<p>Please <b>be</b> advised that it shipped.</p>", "html") if d.rule == "RB002"]
    assert d.fix is None


PROSE_DIRS = ("text", "markdown", "html", "rst", "asciidoc")
#: Reader fixtures (see test_readers_golden); ``malformed`` holds files no fix may touch.
DATA_DIRS = ("zendesk", "zendesk-guide", "freshdesk", "helpscout", "intercom", "front", "gorgias", "osticket",
             "github", "label-actions", "vscode", "markdown-library", "front-matter", "tag", "generic")
GOLDEN_FILES = sorted(p for d in (*PROSE_DIRS, *DATA_DIRS) for p in (FIXTURES / d).rglob("*")
                      if p.is_file() and readers.detect(str(p)))
GOLDEN_SUFFIX = {"fixed": ".fixed", "unsafe": ".unsafe-fixed", "diff": ".diff"}
MODES = (("fixed", ["--fix"]), ("unsafe", ["--fix", "--unsafe-fixes"]), ("diff", ["--diff"]))


def _fixture_dir(path):
    return FIXTURES / path.relative_to(FIXTURES).parts[0]


def _workspace(work, path):
    """A copy of one fixture where its folder's config would find it, with only the core packs;
    macro titles and preview rules are read too, so every kind of field a reader maps is edited."""
    base = _fixture_dir(path)
    target = work / path.relative_to(base)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(path.read_bytes())
    own = base / ".macrolint.toml"
    (work / ".macrolint.toml").write_text('packs = ["core"]\nextend-scopes = ["note"]\npreview = true\n'
                                          + (own.read_text() if own.exists() else ""))
    return target


def test_golden_fixtures_cover_every_reader_format():
    from tests.test_readers_golden import FORMAT_DIRS

    assert set(DATA_DIRS) == set(FORMAT_DIRS) - {"malformed"}
    assert {_fixture_dir(p).name for p in GOLDEN_FILES} == {*PROSE_DIRS, *DATA_DIRS}


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=[str(p.relative_to(FIXTURES)) for p in GOLDEN_FILES])
def test_golden_fixes(tmp_path, path, update_goldens):
    """Per format: the --fix output, the --unsafe-fixes output and the --diff output, byte for byte
    (BOM and CRLF included); fixing the --unsafe-fixes output again changes nothing."""
    for mode, args in MODES:
        work = tmp_path / mode
        target = _workspace(work, path)
        result = CliRunner().invoke(main, ["check", "--no-color", "--format", "json", *args, str(target)])
        assert result.exit_code in (0, 1), result.output
        if mode == "diff":
            produced = result.output.replace(str(work) + os.sep, "").encode("utf-8")
            assert target.read_bytes() == path.read_bytes()
        else:
            produced = target.read_bytes()
        golden = path.with_name(path.name + GOLDEN_SUFFIX[mode])
        if update_goldens:
            golden.write_bytes(produced)
        assert golden.exists(), f"{golden.name} is missing; create it with --update-goldens"
        assert produced == golden.read_bytes(), f"{golden.name} differs; rerun with --update-goldens if intended"
    unsafe = tmp_path / "unsafe" / path.relative_to(_fixture_dir(path))
    once = unsafe.read_bytes()
    again = CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(unsafe)])
    assert again.exit_code in (0, 1), again.output
    assert unsafe.read_bytes() == once


MALFORMED = sorted(p for p in (FIXTURES / "malformed").rglob("*") if p.is_file() and readers.detect(str(p)))


@pytest.mark.parametrize("path", MALFORMED, ids=[p.name for p in MALFORMED])
def test_fix_leaves_unreadable_and_unknown_files_alone(tmp_path, path):
    target = _workspace(tmp_path, path)
    CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(target)])
    assert target.read_bytes() == path.read_bytes()


def _cli(args, **kw):
    return CliRunner().invoke(main, args, env={"NO_COLOR": "1"}, **kw)


def test_cli_fix_diff_and_summary(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('packs = ["core"]\n')
    path = tmp_path / "r.txt"
    path.write_text("Please be advised that it shipped. There is nothing I can do.\n")
    diff = _cli(["check", "--diff", str(path)])
    assert diff.exit_code == 1 and "-Please be advised that it shipped." in diff.output and "+It shipped." in diff.output
    assert "Would fix 1, remaining" in diff.output
    assert path.read_text().startswith("Please")  # --diff writes nothing
    result = _cli(["check", "--fix", "--show-fixes", str(path)])
    assert path.read_text() == "It shipped. There is nothing I can do.\n"
    assert "RB002 fixed: Remove “Please be advised that”" in result.output
    assert "Fixed 1, remaining 1." in result.output and result.exit_code == 1
    assert _cli(["fix", str(path)]).output.strip().endswith("Fixed 0, remaining 1.")
    assert _cli(["check", "--unsafe-fixes", str(path)]).exit_code == 2


def test_cli_fix_clean_file_exits_zero(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('packs = ["core"]\n')
    path = tmp_path / "r.txt"
    path.write_text("Please be advised that it shipped.\n")
    assert _cli(["fix", str(path)]).exit_code == 0


def test_encoding_bom_and_crlf_are_kept(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('packs = ["core"]\n')
    p8 = tmp_path / "bom.txt"
    p8.write_bytes(b"\xef\xbb\xbfPlease be advised that it shipped.\r\nThanks.\r\n")
    p16 = tmp_path / "u16.txt"
    p16.write_bytes("\ufeffPlease be advised that it shipped.\r\n".encode("utf-16-le"))
    _cli(["fix", str(p8), str(p16)])
    assert p8.read_bytes() == b"\xef\xbb\xbfIt shipped.\r\nThanks.\r\n"
    assert p16.read_bytes() == "\ufeffIt shipped.\r\n".encode("utf-16-le")


def test_stdin_fix_prints_fixed_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".macrolint.toml").write_text('packs = ["core"]\n')
    result = _cli(["fix", "-"], input="Please be advised that it shipped.\n")
    assert result.stdout.startswith("It shipped.\n")


def test_json_output_after_fix_lists_remaining(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('packs = ["core"]\n')
    path = tmp_path / "r.txt"
    path.write_text("Please be advised that there is nothing I can do.\n")
    out = _cli(["check", "--fix", "--format", "json", str(path)]).output
    doc = json.loads(out[: out.rindex("}") + 1])
    assert [d["rule"] for d in doc["diagnostics"]] == ["BL003"]


def test_review_is_scriptable(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('packs = ["core"]\n')
    path = tmp_path / "r.txt"
    path.write_text("Obviously, it shipped. There is nothing I can do. Rest assured, we care.\n")
    # CD001: accept rewrite 1 (delete); BL003: type our own; RB006: skip.
    result = _cli(["review", str(path)], input="1\ne\nHere's what I can do\ns\n")
    assert result.exit_code == 0, result.output
    assert path.read_text() == "It shipped. Here's what I can do. Rest assured, we care.\n"
    assert "Applied 2 rewrite(s)." in result.output


def test_review_quit_without_saving(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('packs = ["core"]\n')
    path = tmp_path / "r.txt"
    original = "Obviously, it shipped. There is nothing I can do.\n"
    path.write_text(original)
    _cli(["review", str(path)], input="1\nx\n")
    assert path.read_text() == original


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_review_reports_a_file_it_may_not_write(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('packs = ["core"]\n')
    target = tmp_path / "target.txt"
    target.write_text("Obviously, it shipped.\n")
    link = tmp_path / "r.txt"
    link.symlink_to("target.txt")
    result = _cli(["review", str(link)], input="1\n")
    assert result.exit_code == 1
    assert f"{link}: not written: it is a symbolic link; --force-write writes the file it points to" in result.output
    assert target.read_text() == "Obviously, it shipped.\n" and "Applied 0 rewrite(s)." in result.output
    result = _cli(["review", "--force-write", str(link)], input="1\n")
    assert result.exit_code == 0 and target.read_text() == "It shipped.\n" and link.is_symlink()


def test_a_fix_the_file_cannot_hold_is_dropped_alone():
    """Deleting the opener of a plain YAML scalar would leave it starting with "{{" (a mapping):
    that one fix is dropped and reported, the others in the file are applied."""
    raw = ("replies:\n  - name: A\n    body: Please be advised that {{ticket.id}} is closed.\n"
           "  - name: B\n    body: Please be advised that it is closed.\n")
    result = fixed(raw, "yaml")
    assert result.error is None
    assert result.text == raw.replace("Please be advised that it", "It")
    assert [(d.rule, d.line) for d, _ in result.dropped] == [("RB002", 3)]
    assert fixed(result.text, "yaml").text == result.text


def test_replacements_a_container_cannot_hold_are_not_offered(tmp_path):
    from tests.conftest import write_pack

    pack = write_pack(tmp_path / "team", {"thx.yaml": """
        id: TM001
        name: thx
        category: robotic
        summary: Flags "thx".
        why: Spell it out.
        message: "Write “{replacement}”."
        fix: safe
        match:
          - phrase: thx
            replace: 'thanks, "really": #one'
        examples:
          - bad: thx for it.
          - ok: thanks for it.
        """})
    linter = Linter(Config(packs=(str(pack),)))
    csv_raw = 'id,name,text,chatText,mailboxId\n1,Plain,We say thx.,"We say thx.",5\n'
    out = fix_text(linter, "r.csv", csv_raw, "csv").text
    assert out == csv_raw.replace('"We say thx."', '"We say thanks, ""really"": #one."')  # the unquoted cell is left
    yaml_raw = "replies:\n  - name: P\n    body: We say thx.\n  - name: Q\n    body: 'We say thx.'\n"
    out = fix_text(linter, "r.yml", yaml_raw, "yaml").text
    assert out == yaml_raw.replace("'We say thx.'", "'We say thanks, \"really\": #one.'")


def test_acronym_at_the_start_of_a_match_is_not_a_capital():
    from macrolint.text.casing import match_case

    assert match_case("help article", "KB article") == "help article"
    assert match_case("use", "Utilize") == "Use"
    assert match_case("use", "UTILIZE") == "USE"


@pytest.mark.parametrize("text, fixed", [
    # a string literal of a template starts its sentence: the capital moves to the next word
    ("$body .= __( 'This email is to inform you that a new donation has been made.' );",
     "$body .= __( 'A new donation has been made.' );"),
    # inside a sentence, a quoted phrase keeps its case
    ('She wrote "please be advised that it rained" in the log.', 'She wrote "please be advised that it rained" in the log.'),
])
def test_a_deletion_at_the_start_of_a_quoted_string_keeps_the_capital(text, fixed):
    from macrolint.linting.linter import Linter

    out = text
    for d in sorted(Linter().lint_text(text), key=lambda d: -d.start):
        if d.fix is not None and d.rule in ("RB002", "RB003"):
            for e in sorted(d.fix.edits, key=lambda e: -e.start):
                out = out[:e.start] + e.content + out[e.end:]
    assert out == fixed
