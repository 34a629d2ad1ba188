"""``macrolint init``: write a commented ``.macrolint.toml`` for the content a folder holds."""
from __future__ import annotations

import os
import sys

import click

from macrolint.cli.app import EXIT_CLEAN, fail, main, make_linter
from macrolint.packs.config import Config


@main.command()
@click.argument("folder", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("--force", is_flag=True, help="Replace a .macrolint.toml that is already there.")
@click.option("--print", "to_stdout", is_flag=True, help="Print the config instead of writing it.")
def init(folder, force, to_stdout):
    """Write FOLDER/.macrolint.toml for what FOLDER holds: help-centre articles, saved replies,
    help-desk exports, developer docs, and data files that need a [[sources]] entry."""
    from macrolint.linting.layout import config_text, detect
    from macrolint.packs.config import ConfigError
    from macrolint.packs.configtree import load
    from macrolint.storage import safewrite

    layout = detect(folder, make_linter(Config()))
    text = config_text(layout)
    if to_stdout:
        click.echo(text, nl=False)
        sys.exit(EXIT_CLEAN)
    target = os.path.join(folder, ".macrolint.toml")
    if os.path.exists(target) and not force:
        raise fail(f"{target} already exists; --force replaces it, --print shows the new one")
    try:
        safewrite.replace(target, text.encode("utf-8"), None)
    except safewrite.WriteRefused as exc:
        raise fail(f"{target}: not written: {exc.reason}")
    try:
        from pathlib import Path

        load(Path(target))
    except ConfigError as exc:  # pragma: no cover - the template always loads
        raise fail(f"{target}: written, but it does not load: {exc}")
    found = ", ".join(layout.kinds) or "no files macrolint reads yet"
    click.echo(f"Wrote {target} ({found}).")
    click.echo(f"Next: macrolint check {folder}")
