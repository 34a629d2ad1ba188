"""Which parts of a file are comments readers never see, and which are text they do.

An inline suppression counts only in a comment: ``suppressions`` asks this module where those are.

* YAML (``yaml_text_spans``): the raw span of every scalar, from PyYAML's parser events (the
  scanner's tokens, checked for structure too); a ``#`` outside them is a comment. A block
  scalar's span starts on its first content line: the comment after its ``|`` or ``>`` header is
  not part of the value.
"""
from __future__ import annotations

import re
from typing import Optional

_LINE_BREAK = re.compile(r"[\r\n]")


def yaml_text_spans(raw: str) -> Optional[list[tuple[int, int]]]:
    """The raw span of every scalar of a YAML text (with its anchor or tag), in order; None when
    the text is no YAML."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spans = []
    try:
        for event in yaml.parse(raw, Loader=loader):
            if isinstance(event, yaml.ScalarEvent):
                start, end = event.start_mark.index, event.end_mark.index
                if event.style in ("|", ">"):  # the header line, and its comment, are not the value
                    header_end = _LINE_BREAK.search(raw, start, end)
                    start = header_end.start() if header_end else end
                spans.append((start, end))
    except yaml.YAMLError:
        return None
    return spans
