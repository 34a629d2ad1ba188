"""Required literals of a regex: strings of which every match must contain at least one.

The engine uses them as a prefilter, so a rule's regex runs only on texts where one of its
literals occurs. When no such set can be proven, the regex runs on every text.
"""
from __future__ import annotations

from typing import Optional

try:  # Python 3.11+
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

MIN_LEN = 3


def _best(options: list[set[str]]) -> Optional[set[str]]:
    useful = [o for o in options if o and min(map(len, o)) >= MIN_LEN]
    if not useful:
        return None
    return max(useful, key=lambda o: (min(map(len, o)), -len(o)))


def _factors(items) -> Optional[set[str]]:
    candidates: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append({"".join(run)})
            run.clear()

    for op, av in items:
        if op is C.LITERAL:
            ch = chr(av).lower()
            if ch.isspace():
                flush()
            else:
                run.append(ch)
            continue
        flush()
        sub: Optional[set[str]] = None
        if op is C.SUBPATTERN:
            sub = _factors(av[-1])
        elif op is C.BRANCH:
            parts = [_factors(b) for b in av[1]]
            if all(p is not None for p in parts):
                sub = set().union(*parts)  # type: ignore[arg-type]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            if av[0] >= 1:
                sub = _factors(av[2])
        elif op is getattr(C, "ATOMIC_GROUP", None):
            sub = _factors(av)
        if sub is not None:
            candidates.append(sub)
    flush()
    return _best(candidates)


def required_literals(pattern: str) -> tuple[str, ...]:
    """Lower-case literals one of which occurs in every match; ``()`` if none can be proven."""
    try:
        parsed = P.parse(pattern)
    except Exception:
        return ()
    found = _factors(list(parsed))
    return tuple(sorted(found)) if found else ()
