"""``macrolint rules new``: start a rule from a template in a pack of your own."""
from __future__ import annotations

import os
from pathlib import Path

import click

from macrolint.cli.app import fail, load_config
from macrolint.cli.rules import rules
from macrolint.packs.config import Config


@rules.command("new")
@click.argument("category")
@click.argument("name")
@click.option("--pack", "pack_dir", type=click.Path(file_okay=False),
              help="The pack folder to write into (default: the one pack of your own the config names).")
@click.option("--prefix", help="The code prefix, when the category's rules do not settle it (e.g. TM).")
@click.option("--config", "config_path", type=click.Path())
def rules_new(category, name, pack_dir, prefix, config_path):
    """Write a draft rule NAME of CATEGORY from a template, with the next free code.

    The draft loads but never runs; `macrolint rules test` lists what is left to write."""
    from macrolint.packs.scaffold import ScaffoldError, new_rule

    folder = Path(pack_dir) if pack_dir else _own_pack(load_config([], config_path))
    try:
        path, code = new_rule(folder, category, name, prefix, shown_folder=_shown(folder))
    except ScaffoldError as exc:
        raise fail(str(exc))
    click.echo(f"Wrote {_shown(path)} ({code}, status: draft).")
    click.echo(f"Next: replace each TODO in it, run `macrolint rules test {_shown(folder)}` until it passes, "
               "then remove `status: draft`.")


def _own_pack(config: Config) -> Path:
    """The pack of the project's own that the config names (not a built-in one), if just one."""
    from macrolint.packs.load import builtin_dir, resolve

    builtin = builtin_dir().resolve()
    own = []
    for spec in (*config.packs, *config.extend_packs):
        path = resolve(spec, config.root)
        if builtin not in path.resolve().parents and path not in own:
            own.append(path)
    where = f"{config.path}" if config.path else "no config file was found"
    if not own:
        raise fail(f"which pack? the config names no pack of your own ({where}); pass --pack PATH, "
                   "or list the pack under extend-packs")
    if len(own) > 1:
        raise fail(f"which pack? the config names several ({', '.join(_shown(p) for p in own)}); pass --pack PATH")
    return own[0]


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when it lies inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel
