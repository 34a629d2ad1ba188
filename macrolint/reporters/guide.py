"""How to write rules: the last part of the rule reference (docs/rules.md), kept next to the code
that generates the rest so the two cannot drift apart."""
from __future__ import annotations

GUIDE = r"""
## Writing rules

A pack is a folder with a `pack.yaml` and one YAML file per rule (the README's *Rule packs*
section shows every key of a rule). This part covers how to start a rule, what rules share
through their pack, and how rules are tested.

### Starting a rule

`macrolint rules new CATEGORY NAME` writes a rule from a template:

```sh
macrolint rules new blame thing-says                # into the pack of your own the config names
macrolint rules new jargon widget-speak --pack team-rules --prefix TJ
```

The pack is the one of your own that the config names (`packs` or `extend-packs` entries that
are not built-in packs); with none or several, pass `--pack PATH`. The file goes beside the
category's rules (else into a folder named after the category), named `NAME.yaml`; the name
must be kebab-case and new in the pack, the category one the pack lists, and an existing file
is never overwritten. The code is the category's prefix (the one its rules use, else the
pack's only prefix, else `--prefix`) with one more than the highest number the pack uses for
it, aliases included: a gap is never filled, since a removed rule's code may live on in
someone's config or baseline.

The new rule is a draft, `status: draft`, with `TODO` wherever there is something to write. A
draft loads like any rule, so `macrolint check` keeps working, but no run uses it, not even
when selected by code. `macrolint rules test` fails on it and lists each line still holding a
`TODO`, skipping the examples that do; once nothing is left it still fails, asking to remove
the status (or to set `status: preview` and try the rule with `check --preview` first).

### Contexts and definitions

A rule stays quiet in benign contexts, each a list of entries:

| key | the match is not flagged when an entry… |
|---|---|
| `exceptions` | covers the whole match |
| `unless_before` | ends right before the match (spaces and `,;:-` between are skipped) |
| `unless_after` | starts right after the match (the same) |
| `unless_sentence` | occurs in the same sentence |
| `articles_need` | (the reverse, in help-centre articles only) does **not** occur in the same sentence: an article describes, and only the sentences that hold one of these entries (a promise's owner, `def:writer-promises`) are what the rule is about |

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
| `context` | `entries`: phrases, `re:` regexes, `def:` references to other contexts | `def:NAME` | any of the five lists, and other contexts and guards |
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

### Examples and fixed texts

Every rule carries examples, and `macrolint rules test [PACK_DIR]` runs them (the test suite
runs those of the built-in packs):

```yaml
examples:
  - bad: Please revert back with the order number.   # must be flagged by this rule
    fixed: Please reply with the order number.       # exactly what the rule's fixes make of it
    good: Please reply with the order number.        # a rewrite by hand: must stay clean
  - ok: The setting will revert to the default.      # must stay clean
    format: text                                     # how to read the texts (default text)
```

`fixed` is the exact text after the fix, character for character. It is made the way
`macrolint check --fix --unsafe-fixes` makes it: the rule's **safe and unsafe** fixes are
applied (a suggestion never is), pass after pass until nothing more applies, each edit checked
as in any fix. Only the example's own rule is fixed, with every rule of the pack loaded, so the
text shows what this rule's rewrite does: other rules' findings in the sentence are left as they
are. A `fixed` equal to `bad` says the rule flags the text but leaves the rewrite to a person.
On a mismatch `rules test` prints the rule file and the example's line, the bad, expected and
actual texts, and the column where they part.

`fixed` goes only on a `bad` example of a rule that can fix: one with a match entry whose
`replace:` is applied by `--fix` or `--unsafe-fixes`; anything else is an error when the pack
loads. `rules test` warns about each such entry that no `fixed` example shows (a `fixed`
example whose bad text that entry alone would fix), so every rewrite a rule can make is
shown and checked; `--strict` turns the warning into a failure (the test suite holds the
built-in packs to that).

A rewrite must keep the sentence whole and invent nothing. Write `fixed` for the awkward
cases too: singular and plural ("an action item" → "a next step", "action items" → "next
steps"), a phrase inside a longer one ("please revert back" → "please reply", not "please
reply back"), a deletion after a comma ("Hi Wen, just clear" → "Hi Wen, clear"). Where an
ownership rewrite needs a fact the text does not hold (who, by when), it is a suggestion
(`fix: suggest`, or `suggest:`), not a fix: a fix may not invent the fact, nor insert a
placeholder or a fill-in slot, so the suggestion shows the slot for a person to fill
("[NAME] will call you by [TIME]").
"""
