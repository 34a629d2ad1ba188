"""A generated reply library with known near-duplicate families, for the near-duplicate tests.

Each family is a base reply of 6–9 sentences built from a vocabulary of some thousand words,
and copies of it edited the way macros drift: a word or two changed, a sentence added or
dropped, two sentences swapped, the greeting's placeholder changed. Other replies stand alone;
some share their opening and closing lines with the families, some are a family's first
sentences alone (contained in a longer reply, not a near-copy of it)."""
from __future__ import annotations

import random

_SYLLABLES = ["ka", "lo", "mi", "ner", "sa", "tu", "vel", "dor", "pi", "ran", "sel", "ta", "bo", "gri", "mon", "zu",
              "fa", "ket", "lin", "os"]
COMMON = ("the your we you and to a of it is for this on in that will with can be our".split())


def vocabulary(rng: random.Random, size: int = 1500) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def sentence(rng: random.Random, vocab: list[str]) -> str:
    words = [rng.choice(vocab) if rng.random() < 0.6 else rng.choice(COMMON) for _ in range(rng.randint(8, 14))]
    return " ".join(words).capitalize() + "."


def _edit(rng: random.Random, vocab: list[str], sentences: list[str]) -> list[str]:
    out = list(sentences)
    kind = rng.randrange(5)
    if kind == 0:  # a word or two changed
        for _ in range(rng.randint(1, 2)):
            k = rng.randrange(len(out))
            words = out[k].rstrip(".").split()
            words[rng.randrange(len(words))] = rng.choice(vocab)
            out[k] = " ".join(words) + "."
    elif kind == 1:  # a short sentence added
        out.insert(rng.randrange(len(out) + 1), " ".join(rng.choice(vocab) for _ in range(5)).capitalize() + ".")
    elif kind == 2 and len(out) > 6:  # a sentence dropped... only from a long reply
        del out[rng.randrange(len(out))]
    elif kind == 3:  # two sentences swapped
        a, b = rng.sample(range(len(out)), 2)
        out[a], out[b] = out[b], out[a]
    else:  # a word dropped
        k = rng.randrange(len(out))
        words = out[k].rstrip(".").split()
        del words[rng.randrange(len(words))]
        out[k] = " ".join(words) + "."
    return out


GREETINGS = ["Hi {{ticket.requester.first_name}},", "Hello {{ticket.requester.name}},", "Hi {%customer.firstName%},"]


def library(seed: int = 11, families: int = 40, alone: int = 200) -> tuple[list[str], list[list[int]]]:
    """``(replies, families)``: the texts, and the indices of each family's replies."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    opener, closer = sentence(rng, vocab), sentence(rng, vocab)
    texts: list[str] = []
    groups: list[list[int]] = []
    bases = []
    for _ in range(families):
        base = [sentence(rng, vocab) for _ in range(rng.randint(6, 9))]
        bases.append(base)
        group = []
        for copy in range(rng.randint(2, 6)):
            body = base if copy == 0 else _edit(rng, vocab, base)
            group.append(len(texts))
            texts.append(f"{rng.choice(GREETINGS)}\n\n{opener} {' '.join(body)} {closer}")
        groups.append(group)
    for n in range(alone):
        if n % 10 == 0:  # a family's first sentences alone: contained in it, not a copy of it
            body = bases[n // 10 % families][:2]
        else:
            body = [sentence(rng, vocab) for _ in range(rng.randint(3, 9))]
        texts.append(f"{rng.choice(GREETINGS)}\n\n{opener} {' '.join(body)} {closer}")
    order = list(range(len(texts)))
    rng.shuffle(order)
    where = {old: new for new, old in enumerate(order)}
    return [texts[i] for i in order], [sorted(where[i] for i in g) for g in groups]
