"""The Python API returns diagnostics and never prints."""
from __future__ import annotations

import macrolint


def test_lint_text_returns_diagnostics_quietly(capsys):
    out = macrolint.lint_text("<p>the <b>system</b> says</p>", format="html")
    assert [(d.rule, d.match, d.start, d.end) for d in out] == [("BL001", "the system says", 3, 25)]
    assert capsys.readouterr() == ("", "")


def test_lint_paths_accepts_a_single_path(tmp_path, capsys):
    path = tmp_path / "a.md"
    path.write_text("Rest assured.\n")
    (d,) = macrolint.lint_paths(str(path))
    assert (d.path, d.rule, d.line, d.column) == (str(path), "RB006", 1, 1)
    assert capsys.readouterr() == ("", "")


def test_unknown_format_is_an_error():
    import pytest

    with pytest.raises(ValueError):
        macrolint.lint_text("x", format="docx")


def test_oversized_file_gets_one_diagnostic_and_the_run_goes_on(tmp_path, monkeypatch):
    from macrolint.linting import files
    from macrolint.linting import linter as api

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    (tmp_path / "export.json").write_text('{"macros": []}' + " " * 1000, encoding="utf-8")
    (tmp_path / "reply.txt").write_text("Obviously, restart it.\n", encoding="utf-8")
    report = api.Linter().lint_paths([str(tmp_path)])
    assert [(d.path.rsplit("/", 1)[-1], d.rule) for d in report.diagnostics] == [("export.json", "IO002"), ("reply.txt", "CD001")]
    assert "MB limit" in report.diagnostics[0].message


def test_file_bytes_are_read_whole_whatever_size_was_reported(tmp_path):
    """A file is read to its end even when it changed size after it was looked at, and a pipe
    (size 0) is read whole, but never past the limit; a folder is not a file to read."""
    import os

    from macrolint.linting.files import read_all
    from macrolint.linting.linter import Linter

    path = tmp_path / "reply.txt"
    path.write_bytes(b"0123456789")
    for reported in (0, 4, 10, 20):
        fd = os.open(path, os.O_RDONLY)
        try:
            assert read_all(fd, reported, 100) == b"0123456789"
        finally:
            os.close(fd)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert read_all(fd, 4, 8) is None  # it grew past the limit since it was looked at
    finally:
        os.close(fd)
    r, w = os.pipe()
    os.write(w, b"We apologize for any inconvenience." * 100)
    os.close(w)
    try:
        assert read_all(r, 0, 10_000) == b"We apologize for any inconvenience." * 100
    finally:
        os.close(r)
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    source = Linter().read_file(str(folder))
    assert [p.code for p in source.problems] == ["IO001"] and "not a regular file (a folder)" in source.problems[0].message
