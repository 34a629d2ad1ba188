"""What a content folder holds, for ``macrolint init``: help-centre articles, saved replies,
help-desk exports, developer docs, the e-mails an application sends, and data files macrolint
cannot read without being told.

Only names and the readers' own sniffing are used (at most ``MAX_FILES`` files are looked at),
and the result is a commented ``.macrolint.toml`` that loads as it is.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Optional

from macrolint.linting.files import iter_files
from macrolint.packs.config import Config

MAX_FILES = 5000
ARTICLE_DIRS = {"articles", "help-center", "helpcenter", "help", "kb", "knowledge-base", "knowledgebase", "docs",
                "guides", "faq", "faqs", "support"}
REPLY_DIRS = {"replies", "saved-replies", "saved_replies", "macros", "canned", "canned-responses", "snippets",
              "templates", "responses"}
TECHNICAL_DIRS = {"developers", "developer", "dev", "api", "sdk", "reference", "engineering", "internal"}
#: Folders of the messages software sends (Rails' ``user_mailer/``, ``templates/emails/``).
NOTICE_DIRS = {"emails", "email", "mail", "mails", "mailer", "mailers", "mailtemplates", "mail_templates",
               "mail-templates", "notifications", "transactional"}
PROSE = {"markdown", "html", "text", "tag", "rst", "asciidoc"}


def _notice_dir(name: str) -> bool:
    name = name.lower()
    return name in NOTICE_DIRS or name.endswith("_mailer")


def _folder(rel: PurePath, test) -> Optional[tuple[str, ...]]:
    """The path parts down to the first folder of ``rel`` that ``test`` accepts, or None."""
    folders = rel.parts[:-1]
    found = next((i for i, p in enumerate(folders) if test(p)), None)
    return None if found is None else folders[:found + 1]


@dataclass
class Layout:
    files: int = 0
    by_format: Counter = field(default_factory=Counter)
    articles: int = 0
    replies: int = 0
    emails: int = 0  # files in the folders of ``notices``
    exports: Counter = field(default_factory=Counter)  # platform -> files
    technical: set = field(default_factory=set)  # folder globs
    notices: set = field(default_factory=set)  # folder globs
    unknown_data: list = field(default_factory=list)  # relative paths of data files of no known shape

    @property
    def kinds(self) -> list[str]:
        out = []
        if self.articles:
            out.append(f"{self.articles} help-centre article(s)")
        if self.replies:
            out.append(f"{self.replies} saved repl(y/ies)")
        if self.emails:
            out.append(f"{self.emails} e-mail(s) an application sends")
        out += [f"{n} {platform} export file(s)" for platform, n in sorted(self.exports.items())]
        if self.unknown_data:
            out.append(f"{len(self.unknown_data)} data file(s) of no known shape")
        return out


def detect(folder: str, linter) -> Layout:
    """Look at up to ``MAX_FILES`` files under ``folder``."""
    from macrolint import readers

    layout = Layout()
    for path in iter_files([folder], Config()):
        if layout.files >= MAX_FILES:
            break
        layout.files += 1
        rel = PurePath(os.path.relpath(path, folder))
        parts = {p.lower() for p in rel.parts[:-1]}
        fmt = readers.detect(path) or "text"
        layout.by_format[fmt] += 1
        technical = _folder(rel, lambda p: p.lower() in TECHNICAL_DIRS)
        if technical is not None:
            layout.technical.add(technical)
        notices = _folder(rel, _notice_dir)
        if notices is not None:
            layout.notices.add(notices)
        if fmt in PROSE:
            if notices is not None:
                layout.emails += 1
            elif parts & REPLY_DIRS or ".github" in parts:
                layout.replies += 1
            elif parts & ARTICLE_DIRS or fmt in ("markdown", "html", "rst", "asciidoc"):
                layout.articles += 1
            else:
                layout.replies += 1
            continue
        source = linter.read_file(path)
        if source.skipped is not None:
            layout.unknown_data.append(rel.as_posix())
        elif source.platform:
            layout.exports[source.platform] += 1
        elif source.articles:
            layout.articles += 1
        else:
            layout.replies += 1
    return layout


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def config_text(layout: Layout) -> str:
    """A commented ``.macrolint.toml`` for ``layout``."""
    found = ", ".join(layout.kinds) or "no files macrolint reads yet"
    lines = [
        "# macrolint configuration, written by `macrolint init`.",
        f"# Found: {found}.",
        "# Every setting is described in the README under \"Configuration\"; the rules with",
        "# `macrolint rules` and `macrolint explain CODE`.",
        "",
        "# The built-in voice rules (robotic, blame, jargon, vague, condescending) and the",
        "# placeholder checks.",
        'packs = ["core", "placeholders"]',
        "",
        "# Rules to leave out everywhere, by code, prefix, category or name, e.g. [\"CD002\"].",
        "ignore = []",
        "",
        "# Paths not to lint (globs relative to this file).",
        'exclude = ["archive/**", "*.draft.md"]',
        "",
    ]
    if layout.articles and layout.articles >= layout.replies:
        lines += ["# The Markdown and HTML files are help-centre articles: their titles are headings and",
                  "# their callout block quotes are the author's own words.",
                  "articles = true", ""]
    else:
        lines += ["# Set to true if the Markdown and HTML files are help-centre articles.",
                  "articles = false", ""]
    for parts in sorted(layout.technical):
        glob = "/".join(parts) + "/**"
        lines += [f"# Files under {'/'.join(parts)}/ are written for developers: technical terms are not jargon there.",
                  f"[paths.{_quote(glob)}]", 'audience = "technical"', ""]
    for parts in sorted(layout.notices - layout.technical):
        glob = "/".join(parts) + "/**"
        lines += [f"# Files under {'/'.join(parts)}/ look like the e-mails an application sends (receipts, password",
                  "# resets, auto-replies): rules about how an agent talks to one customer are off there.",
                  f"[paths.{_quote(glob)}]", "notices = true", ""]
    if layout.unknown_data:
        lines += ["# These data files are no known help-desk export; to lint them, say where their text is:"]
        for rel in layout.unknown_data[:5]:
            lines.append(f"#   {rel}")
        example = layout.unknown_data[0]
        lines += ["# [[sources]]", f"# glob = {_quote(example)}", '# items = "replies[]"      # each item',
                  '# text = ["body"]           # the fields customers read', '# title = "name"', ""]
    return "\n".join(lines).rstrip() + "\n"
