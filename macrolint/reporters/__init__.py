"""Reporters turn diagnostics into output; they are the only place lines and columns are shown."""
from __future__ import annotations

from .json import render_json
from .text import render_text

FORMATS = {"text": render_text, "json": render_json}
