"""The Python API: lint texts and paths, get diagnostics back. Nothing here prints."""
from __future__ import annotations

import fnmatch
import gc
import os
import stat
from typing import Iterable, Iterator, Optional, Sequence

from . import checks, readers
from .config import Config, ConfigError
from .document import ReadProblem, Source, Unit
from .engine import Engine, PatternTimeout
from .fixes import fix_for
from .model import Applicability, Diagnostic, Finding, Rule, Severity
from .packs import PackError, load_packs
from .paths import relative_forms
from .records import field, record
from .selection import INTERNAL, UnknownSelector, internal_ignored, select_rules

INPUT_CATEGORY = "input"
UNREADABLE = ("IO001", "unreadable-file")
MALFORMED = ("IO002", "malformed-file")
TIMEOUT = ("IO003", "pattern-timeout")
TOO_MANY = ("IO004", "too-many-findings")
INTERNAL_ERROR = ("IO900", "internal-error")
ISSUES_URL = "https://github.com/macrolint/macrolint/issues"
SKIP_DIRS = frozenset((".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"))
#: Hidden folders that hold reply libraries (saved replies, label actions, bot commands).
CONTENT_DOT_DIRS = frozenset((".github", ".gitlab"))
#: Larger files get one IO002 diagnostic instead of being read (memory stays bounded per file).
MAX_FILE_BYTES = 256 * 1024 * 1024
#: Findings reported for one file at most: 100,000 stray braces made 890 MB of diagnostics.
MAX_FINDINGS = 10_000
#: Characters of the raw line kept on each side of a match for display.
SOURCE_CONTEXT = 240

__all__ = ["Linter", "Report", "lint_text", "lint_paths", "ConfigError", "PackError"]


@record
class Report:
    """What a run found: diagnostics in file order, and how many files were read."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    #: ``(path, reason)`` of data files that were not linted (no known shape).
    skipped: list[tuple[str, str]] = field(default_factory=list)


def load_rules(config: Config) -> list[Rule]:
    """The rules a config enables (raises ``PackError`` or ``ConfigError``)."""
    packs = load_packs([*config.packs, *config.extend_packs], base=config.root)
    rules = [r for p in packs for r in p.rules]
    try:
        return select_rules(rules, config.select, config.ignore, config.severity, config.preview)
    except UnknownSelector as exc:
        raise ConfigError(f"{_origin(config, exc.option, exc.selector)}: {exc.problem}") from None


def _origin(config: Config, option: str, selector: str) -> str:
    """Where a selector was given: ``file:line`` of the config that holds it, else the flag."""
    if config.path is not None:
        from .config import line_of_key

        try:
            text = config.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        if selector in text:
            line = line_of_key(text, option)
            return f"{config.path}:{line} ({option})" if line else f"{config.path} ({option})"
    return f"--{option}" if option != "severity" else "severity"


def _format_message(rule: Rule, match: str, replacement: Optional[str], suggestion: Optional[str] = None) -> str:
    match = " ".join(match.split())
    if suggestion is None:
        suggestion = replacement if replacement else (rule.suggest[0] if rule.suggest else "")
    return (rule.message.replace("{match}", match).replace("{replacement}", replacement or "")
            .replace("{suggestion}", suggestion))


def _suggestions(f: Finding, match: str) -> tuple[str, ...]:
    """Rewrites to show: the match's own rewrite first (a deletion reads "Remove …"), then the rule's."""
    own: tuple[str, ...] = ()
    if f.replacement:
        own = (f.replacement,)
    elif f.replacement == "":
        own = (f"Remove “{' '.join(match.split())}”",)
    return own + tuple(s for s in f.rule.suggest if s not in own)


def _unread(path: str, fmt: Optional[str], code: tuple[str, str], message: str) -> Source:
    """A file not read, with the problem that says why."""
    source = Source(path=path, raw="", format=fmt or "text")
    source.problems.append(ReadProblem(code[0], message))
    return source


def input_diagnostic(source_path: str, code: tuple[str, str], message: str, raw: str = "", offset: int = 0) -> Diagnostic:
    line = raw.count("\n", 0, offset) + 1
    column = offset - (raw.rfind("\n", 0, offset) + 1) + 1
    return Diagnostic(path=source_path, start=offset, end=offset, line=line, column=column, end_line=line,
                      end_column=column, rule=code[0], name=code[1], category=INPUT_CATEGORY,
                      severity=Severity.ERROR, message=message, match="")


#: Byte-order marks, longest first: the UTF-32 little-endian mark begins with UTF-16's.
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_BOM_FIRST = frozenset(bom[:1] for bom, _ in _BOMS)


def decode(data: bytes) -> tuple[Optional[str], Optional[str], str]:
    """Decode file bytes: UTF-8 (with or without BOM), or UTF-16 or UTF-32 with a BOM.

    Returns ``(text, problem, encoding)``; ``encoding`` is what ``encode`` needs to write the
    file back byte for byte as it was (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``utf-32-be``...)."""
    for bom, encoding in _BOMS if data[:1] in _BOM_FIRST else ():
        if not data.startswith(bom):
            continue
        if encoding.startswith("utf-32") and len(data) % 4:
            continue  # a UTF-16 text whose first character is U+0000
        body = data[len(bom):]
        name = encoding[:6].upper()
        if body and b"\x00" not in body and _is_utf8(body):
            # UTF-16 and UTF-32 hold zero bytes for every ASCII character, a space or line break at
            # least: this is UTF-8 behind a stray byte-order mark, which read as UTF-16 is gibberish
            return None, f"starts with a {name} byte-order mark but reads as UTF-8; re-save it in one encoding", ""
        try:
            return body.decode(encoding), None, encoding
        except UnicodeDecodeError as exc:
            return None, f"not valid {name}: {exc.reason} at byte {exc.start + len(bom)}", ""
    if b"\x00" in data[:8192]:
        return None, "binary file (contains NUL bytes); not linted", ""
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return data.decode(encoding), None, encoding
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, f"not valid UTF-8: byte 0x{data[exc.start]:02x} at line {line} (byte offset {exc.start}); re-save the file as UTF-8", ""


#: Opening never blocks: a FIFO planted where a file is expected opens at once (and is refused).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def _read_all(fd: int, size: int, limit: int) -> Optional[bytes]:
    """The bytes of open file ``fd``, whose size was ``size``: one read when that is what it holds,
    else to the end (a file that grew or shrank meanwhile); None past ``limit`` bytes."""
    data = os.read(fd, size + 1)
    if len(data) == size:
        return data
    parts, total = [data], len(data)
    while data:
        if total > limit:
            return None
        data = os.read(fd, min(1 << 20, limit + 1 - total))
        parts.append(data)
        total += len(data)
    return b"".join(parts)


def _too_large(size: int) -> str:
    return (f"file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit; "
            "split the export into smaller files")


def internal_error(path: str, exc: BaseException) -> Diagnostic:
    """``IO900``: linting this file failed in macrolint itself; the run goes on with the others."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    message = (f"internal error while linting this file ({type(exc).__name__}{where}: {str(exc)[:200]}); "
               f"the other files were linted. Please report it at {ISSUES_URL} with the file if you can share it")
    return input_diagnostic(path, INTERNAL_ERROR, message)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def encode(text: str, encoding: str) -> bytes:
    """The inverse of ``decode``: the BOM goes back where it was."""
    bom = next((b for b, e in _BOMS if e == encoding), b"")
    return bom + text.encode(encoding)


class Linter:
    """Rules loaded and compiled once; lints any number of texts and files."""

    def __init__(self, config: Optional[Config] = None, rules: Optional[Sequence[Rule]] = None):
        self.config = config or Config()
        # Loading makes tens of thousands of objects and no garbage: with the collector paused it
        # does not sweep them ~100 times over (a fifth of the loading time of a one-file run).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.rules = list(rules) if rules is not None else load_rules(self.config)
            self.engine = Engine([r for r in self.rules if r.check is None])
        finally:
            if collecting:
                gc.enable()
        self.check_rules = [r for r in self.rules if r.check is not None]
        self._ignored_internal = {code for code in INTERNAL if internal_ignored(code, self.config.ignore)}
        self._report_unused = "ML001" not in self._ignored_internal
        self._report_in_text = "ML002" not in self._ignored_internal

    # -- texts ---------------------------------------------------------------------------------

    def lint_source(self, source: Source) -> list[Diagnostic]:
        """Diagnostics for a read source, in file order."""
        return [d for d, _, _ in self.analyze(source)]

    def analyze(self, source: Source) -> list[tuple[Diagnostic, Optional[Unit], Optional[Finding]]]:
        """Each diagnostic with the unit and finding behind it (None for file-level problems);
        fixing and review need the unit to turn a rewrite into raw edits."""
        out: list[tuple[Diagnostic, Optional[Unit], Optional[Finding]]] = []
        made, dropped = 0, False
        minimum = self.config.min_confidence
        for problem in source.problems:
            code = UNREADABLE if problem.code == UNREADABLE[0] else MALFORMED
            out.append((input_diagnostic(source.path, code, problem.message, source.raw, problem.offset), None, None))
        for unit in source.units:
            try:
                findings = self.engine.scan(unit.text)
            except PatternTimeout as exc:
                rs, _ = unit.omap.raw_span(0, 0)
                out.append((input_diagnostic(
                    source.path, TIMEOUT,
                    f"rule {exc.rule.code} ({exc.rule.path}): its pattern ran out of time on this text and was stopped",
                    source.raw, rs), None, None))
                continue
            # a file of garbage (100,000 stray braces): memory and output stay bounded
            if findings:
                found = [f for f in findings if f.confidence >= minimum]
                if len(found) > MAX_FINDINGS - made:
                    found, dropped = found[:MAX_FINDINGS - made], True
                made += len(found)
                out.extend((self._diagnostic(source, unit, f), unit, f) for f in found)
            for rule, hit in checks.run_all(self.check_rules, unit, source):
                if made >= MAX_FINDINGS:
                    dropped = True
                    break
                made += 1
                f = Finding(rule, hit.start, hit.end, 1.0, None, Applicability.SUGGEST)
                out.append((self._diagnostic(source, unit, f, hit.match, hit.suggestion), unit, f))
        if dropped:
            out.append((input_diagnostic(source.path, TOO_MANY, (
                f"over {MAX_FINDINGS:,} findings in this file; only the first {MAX_FINDINGS:,} are reported "
                "(is it a reply library, or a file damaged into noise?)")), None, None))
        out.sort(key=lambda t: (t[0].start, t[0].end, t[0].rule))
        return self._suppress(source, out)

    def _suppress(self, source: Source, out: list) -> list:
        """Drop what inline comments and per-file / per-macro ignores silence; report unused comments
        and directives in text customers receive."""
        config = self.config
        if self._ignored_internal:
            out = [t for t in out if t[0].rule not in self._ignored_internal]
        if not (config.per_file_ignores or config.per_item_ignores or "macrolint" in source.raw):
            return out
        from . import suppressions

        glob_path = source.path
        if config.root is not None:
            try:
                glob_path = os.path.relpath(os.path.abspath(source.path), config.root)
            except ValueError:  # another drive on Windows
                pass
        kept = suppressions.apply(
            source.path, [d for d, _, _ in out], source.raw, source.format,
            dict(config.per_file_ignores), dict(config.per_item_ignores),
            report_unused=self._report_unused, glob_path=glob_path, report_in_text=self._report_in_text)
        keep = {id(d) for d in kept}
        result = [t for t in out if id(t[0]) in keep]
        result += [(d, None, None) for d in kept if d.rule in (suppressions.UNUSED[0], suppressions.IN_TEXT[0])]
        result.sort(key=lambda t: (t[0].start, t[0].end, t[0].rule))
        return result

    def _diagnostic(self, source: Source, unit: Unit, f: Finding, match: Optional[str] = None,
                    suggestion: Optional[str] = None) -> Diagnostic:
        """``match`` and ``suggestion`` come from a code-backed check whose span is a placeholder."""
        rs, re_ = unit.omap.raw_span(f.start, f.end)
        line, col = source.lines.position(rs)
        end_line, end_col = source.lines.position(re_)
        if match is None:
            match = unit.text[f.start:f.end]
        suggestions = ((suggestion,) if suggestion else ()) + _suggestions(f, match)
        # The line of the match, bounded: a minified export is one line of many megabytes.
        raw, line_start = source.raw, source.lines.starts[line - 1]
        lo = max(line_start, rs - SOURCE_CONTEXT)
        hi = min(len(raw), re_ + SOURCE_CONTEXT)
        line_end = raw.find("\n", rs, hi)
        src_line = raw[lo: line_end if line_end != -1 else hi].rstrip("\r")
        fix = fix_for(unit, f)
        positions = tuple((*source.lines.position(e.start), *source.lines.position(e.end)) for e in fix.edits) if fix else ()
        return Diagnostic(
            path=source.path, start=rs, end=re_, line=line, column=col, end_line=end_line, end_column=end_col,
            rule=f.rule.code, name=f.rule.name, category=f.rule.category, severity=f.rule.severity,
            message=_format_message(f.rule, match, f.replacement, suggestion), match=match, confidence=round(f.confidence, 3),
            suggestions=suggestions, fix=fix, edit_positions=positions,
            item=unit.item.as_dict() if unit.item else None, source_line=src_line, source_column=lo - line_start + 1,
        )

    def lint_text(self, text: str, format: str = "text", path: str = "<text>") -> list[Diagnostic]:
        if format not in readers.FORMATS:
            raise ValueError(f"unknown format {format!r}; one of {', '.join(readers.FORMATS)}")
        return self.lint_source(readers.read(path, text, format, self.config))

    # -- files ---------------------------------------------------------------------------------

    def read_bytes(self, path: str, data: bytes, fmt: Optional[str] = None) -> Source:
        """Decode and read a file's bytes (format by ``fmt``, else extension, else content);
        a problem (undecodable bytes, malformed data) lands in ``Source.problems``."""
        text, problem, encoding = decode(data)
        if text is None:
            source = Source(path=path, raw="", format=fmt or "text")
            source.problems.append(ReadProblem(UNREADABLE[0], problem or "cannot decode"))
            return source
        fmt = fmt or readers.detect(path) or readers.sniff(text) or "text"
        source = readers.read(path, text, fmt, self.config)
        source.encoding = encoding
        return source

    def read_file(self, path: str, fmt: Optional[str] = None) -> Source:
        """Read one file into a ``Source``; a too large, unreadable or special file (a FIFO, a
        device: what a link planted in a repository may point to) carries one problem."""
        try:
            # os-level calls: a file object costs more than the read itself for a short reply
            fd = os.open(path, _OPEN_FLAGS)
            try:
                st = os.fstat(fd)
                if not stat.S_ISREG(st.st_mode):
                    kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
                    return _unread(path, fmt, UNREADABLE, f"not a regular file ({kind}); not read")
                if st.st_size > MAX_FILE_BYTES:
                    return _unread(path, fmt or readers.detect(path), MALFORMED, _too_large(st.st_size))
                data = _read_all(fd, st.st_size, MAX_FILE_BYTES)
                if data is None:
                    return _unread(path, fmt or readers.detect(path), MALFORMED, _too_large(MAX_FILE_BYTES + 1))
            finally:
                os.close(fd)
        except OSError as exc:
            what = " this folder (none of its files was linted)" if os.path.isdir(path) else ""
            return _unread(path, fmt, UNREADABLE, f"cannot read{what}: {exc.strerror or exc}")
        return self.read_bytes(path, data, fmt)

    def check_file(self, path: str, fmt: Optional[str] = None) -> tuple[Optional[str], list[Diagnostic]]:
        """Read and lint one file, whatever happens: ``(why it was skipped, diagnostics)``. An
        unexpected error in macrolint itself becomes one ``IO900`` diagnostic for this file, so
        the other files of a run are still linted and reported."""
        try:
            source = self.read_file(path, fmt)
            if source.skipped is not None:
                return source.skipped, []
            return None, self.lint_source(source)
        except Exception as exc:  # a bug of ours, whatever the input: reported, never the run's end
            return None, [internal_error(path, exc)]

    def check_bytes(self, path: str, data: bytes, fmt: Optional[str] = None) -> list[Diagnostic]:
        """``check_file`` for bytes already read (standard input)."""
        try:
            return self.lint_bytes(path, data, fmt)
        except Exception as exc:
            return [internal_error(path, exc)]

    def lint_bytes(self, path: str, data: bytes, fmt: Optional[str] = None) -> list[Diagnostic]:
        return self.lint_source(self.read_bytes(path, data, fmt))

    def lint_file(self, path: str, fmt: Optional[str] = None) -> list[Diagnostic]:
        return self.lint_source(self.read_file(path, fmt))

    def lint_paths(self, paths: Iterable[str], fmt: Optional[str] = None) -> Report:
        """Lint files and folders; data files of no known shape are listed in ``skipped``."""
        report = Report()
        for path in iter_files(paths, self.config):
            skipped, diagnostics = self.check_file(path, fmt)
            if skipped is not None:
                report.skipped.append((path, skipped))
                continue
            report.files += 1
            report.diagnostics.extend(diagnostics)
        return report


def is_excluded(path: str, config: Config) -> bool:
    """Whether ``exclude`` globs name ``path`` (relative to the config folder or the cwd)."""
    if not config.exclude:
        return False
    candidates = relative_forms(path, config.root)
    for glob in config.exclude:
        pats = {glob.rstrip("/"), glob[3:] if glob.startswith("**/") else glob}
        for c in candidates:
            if fnmatch.fnmatch(os.path.basename(path), glob) or any(fnmatch.fnmatch(c, g) or fnmatch.fnmatch(c, g + "/*") for g in pats):
                return True
    return False


def iter_files(paths: Iterable[str], config: Config) -> Iterator[str]:
    """Files to lint: files as given, directories walked for known extensions, minus excludes.
    A file named twice (``a.txt ./a.txt``, or a folder and a file in it) is linted once."""
    seen: set[str] = set()

    def first_time(key: str) -> bool:
        """Whether the file with absolute, case-normalised name ``key`` is met for the first time."""
        if key in seen:
            return False
        seen.add(key)
        return True

    for path in paths:
        if os.path.isdir(path):
            # a folder that cannot be listed is handed on as a path of its own: reading it fails,
            # and its IO001 says its files were not linted (a walk would pass over it in silence)
            unlisted: list[OSError] = []
            for root, dirs, files in os.walk(path, onerror=unlisted.append):
                while unlisted:
                    yield unlisted.pop(0).filename
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS
                                 and (not d.startswith(".") or d in CONTENT_DOT_DIRS)
                                 and not is_excluded(os.path.join(root, d), config))
                # joined once a folder, not once a file (a walk of 100,000 files is run alongside
                # the workers, on the same cores)
                inside = os.path.join(root, "")
                where = os.path.join(os.path.normcase(os.path.abspath(root)), "")
                for name in sorted(files):
                    if not readers.detect(name):
                        continue
                    full = inside + name
                    if not is_excluded(full, config) and first_time(where + os.path.normcase(name)):
                        yield full
            yield from (error.filename for error in unlisted)
        elif not is_excluded(path, config) and first_time(os.path.normcase(os.path.abspath(path))):
            yield path


_DEFAULT: dict[int, Linter] = {}


def _linter(config: Optional[Config]) -> Linter:
    if config is None:
        if 0 not in _DEFAULT:
            _DEFAULT[0] = Linter(Config())
        return _DEFAULT[0]
    return Linter(config)


def lint_text(text: str, *, format: str = "text", config: Optional[Config] = None) -> list[Diagnostic]:
    """Lint one text (``format``: text, markdown, html, tag, json, yaml or csv); offsets refer to ``text``."""
    return _linter(config).lint_text(text, format)


def lint_paths(paths: Iterable[str] | str, config: Optional[Config] = None) -> list[Diagnostic]:
    """Lint files and directories; returns every diagnostic, in file order."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [str(paths)]
    return _linter(config).lint_paths([str(p) for p in paths]).diagnostics
