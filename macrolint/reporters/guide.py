"""How to write rules: the last part of the rule reference (docs/rules.md), kept next to the code
that generates the rest so the two cannot drift apart."""
from __future__ import annotations

GUIDE = r"""
## Writing rules

A pack is a folder with a `pack.yaml` and one YAML file per rule (the README's *Rule packs*
section shows every key of a rule). This part covers what rules share through their pack and
how rules are tested.

### Contexts and definitions

A rule stays quiet in benign contexts, each a list of entries:

| key | the match is not flagged when an entry… |
|---|---|
| `exceptions` | covers the whole match |
| `unless_before` | ends right before the match (spaces, commas and dashes between are skipped) |
| `unless_after` | starts right after the match |
| `unless_sentence` | occurs in the same sentence |

An entry is a phrase (`let me (check|confirm)`), a regex on the lower-cased text written
`re:<regex>` (`\x1a` stands for any placeholder), or **`def:NAME`**, a definition of the pack.

Contexts that several rules share are defined once, in `pack.yaml` under `definitions:` or in
any YAML file of the pack's `definitions/` folder (each file maps names to definitions; the
folder holds no rules). A definition has a kebab-case name, a `kind` and a one-line
`description`, shown wherever the rule is explained:

```yaml
# rules/core/definitions/quotes.yaml
quoted-text:
  kind: guard                 # context | guard | words
  side: before                # guards only: before (unless_before) or after (unless_after)
  description: Inside quotation marks, the customer's words or an app message.
  entries:
    - 're:(?:^|(?<=[\s(\[:*_>]))["“][^"”“\n]{0,100}'
```

| kind | holds | a rule writes it | may stand in |
|---|---|---|---|
| `context` | `entries`: phrases, `re:` regexes, `def:` references to other contexts | `def:NAME` | any of the four lists, and other contexts and guards |
| `guard` | `entries`, as a context, plus `side` | `def:NAME` | `unless_before` (`side: before`) or `unless_after` (`side: after`) only, and guards of the same side |
| `words` | `words`: lower-case words and phrases, no phrase operators | `\L<NAME>` inside a phrase or regex | phrases, `re:` entries, `pattern:` match entries, and the entries of other definitions |

```yaml
# in a rule
unless_before:
  - def:quoted-text
unless_sentence:
  - def:concrete-time          # a context whose regex uses \L<weekday> and \L<month>
  - def:writer-owns-outcome    # a context made of four other contexts
  - 're:\bby \L<weekday>\b'    # a word class inside a rule's own regex
```

A word class is written out where it stands: `(?:monday|tuesday|…)` in a regex, `(monday|tuesday|…)`
in a phrase, where it counts as one `(…)` group for `{N}` in a `replace:` text.

References are resolved when the pack loads: a rule holds the phrases and regexes its
references stand for, exactly as if it had spelt them out, so matching (and the pack cache)
never sees a name. Loading refuses, naming the file and line: a name no definition has (with a
"did you mean"), a definition that refers to itself through others (the whole cycle is named),
a name defined twice (both places are named), a definition of the wrong kind for where it
stands (a guard in `unless_sentence`, a context written `\L<…>`, a word class written `def:…`),
two definitions that stand for the same entries, and a definition without a description or
with a regex or phrase that does not compile.

`macrolint rules test` warns about definitions no rule uses and about rule entries that spell
out what a definition stands for (write `def:NAME` instead); `--strict` makes warnings fail.
`macrolint explain def:NAME` (or just `NAME`) explains a definition and lists the rules using it;
the reference above lists each pack's definitions after its rules.
"""
