"""A fuzzing campaign for macrolint's promise that bad input never crashes a run or loses data.

Threat model. macrolint runs in CI and pre-commit on repositories it does not control, so
everything a repository holds is untrusted: reply files in any format and encoding, with any
structure, size or kind (FIFOs, sockets, symlinks to devices, unreadable files), a discovered
``.macrolint.toml`` or ``pyproject.toml``, a baseline file. The cache folder
(``$MACROLINT_CACHE_DIR``) is untrusted too: another process, a restored CI cache or a full disk
may have left anything there, and reading it must never run code. Rule packs are trusted only as
far as they are named: a pack the user points at (``packs``, ``extend-packs``) may be rejected
with a clear error (exit 2), but never with a traceback, a hang or code run from YAML.

Every case is run through the installed command line in a subprocess, in a fresh folder that
also holds a canary, ``canary.txt``, whose script-speak must always be reported. A case fails on
any of the kinds in ``checks.KINDS``: a Python traceback (or click's bare "Aborted!"), an exit
code other than 0, 1 or 2 (or a signal), a canary that went missing, a timeout, over 500 MB of
memory for under 1 MB of input, an internal-error diagnostic (IO900), a marker file written by a
malicious payload, output that does not parse, a file with script-speak that got neither a
finding nor an input diagnostic (nor a ``-v`` "skipped" line), or an invalid pack or config that
was accepted or refused without saying where.

Layout:

* ``cases``: what a case is (files and special files, arguments, expectations) and how it is
  laid out on disk;
* ``generators``: the families of cases, deterministic for a seed and a budget;
* ``checks``: what counts as a failure, and grouping failures by root cause;
* ``runner``: running cases in batches on several workers, splitting failed batches until each
  failure is pinned on one case, and the report.

``bench/fuzz.py`` is the command line; ``tests/test_fuzz.py`` runs the ``core`` budget.
"""
