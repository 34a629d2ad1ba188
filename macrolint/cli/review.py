"""``macrolint review``: go through the findings of PATHS one by one."""
from __future__ import annotations

import sys

import click

from macrolint.cli.app import (
    FORCE_WRITE,
    Linters,
    main,
    split,
    use_color,
)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, readable=False))
@click.option("--config", "config_path", type=click.Path())
@click.option("--select", multiple=True, help="Only these codes, prefixes, categories or rule names.")
@click.option("--ignore", multiple=True, help="Skip these codes, prefixes, categories or rule names.")
@click.option("--no-color", is_flag=True)
@click.option("--dry-run", is_flag=True, help="Print the diff of the accepted rewrites instead of writing them.")
@FORCE_WRITE
def review(paths, config_path, select, ignore, no_color, dry_run, force_write):
    """Go through findings one by one and accept, edit or skip each rewrite.

    Answers are read line by line, so a script can drive it: a number accepts that rewrite,
    `e` types your own, `s` skips, `r` skips the rule for the rest of the file, `q` stops and
    saves, `x` stops without saving this file. Each rewrite is shown as the sentence will read;
    a rewrite with a [slot] asks for what goes in it. When input ends, the answers given so far
    are kept."""
    from macrolint.fixing.review import review_paths

    linters = Linters(paths, config_path, select=split(select), ignore=split(ignore))
    linters.first()
    sys.exit(review_paths(linters.for_path, linters.tree, paths, use_color(no_color), force=force_write,
                          dry_run=dry_run))
