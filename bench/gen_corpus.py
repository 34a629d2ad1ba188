"""Deterministic corpus of support replies for the benchmarks.

Every reply is 40-200 words: a greeting (often with a help-desk placeholder), a body about billing,
shipping, accounts or bugs, and a sign-off. About 10% carry one problem phrase taken from the
built-in rule packs at generation time, used as written or varied (case, an inserted word, a
one-character typo). Most replies are plain text; some are Markdown, some HTML.

Each size is written twice, as one file per reply and as one large Markdown file with a
``## title`` heading per reply::

    bench/.work/corpus/<size>/files/<shard>/r<id>.{txt,md,html}
    bench/.work/corpus/<size>/all.md
    bench/.work/corpus/<size>/manifest.json   (counts, bytes, sha256 of the whole corpus)

Reply ``i`` depends only on the seed, ``i`` and the phrase list, so the 1k corpus is a prefix of
the 10k one, and the same inputs give the same bytes on every run.

    python bench/gen_corpus.py --sizes 1k,10k,100k [--seed 7] [--force]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
CORPUS = WORK / "corpus"
GENERATOR_VERSION = 1
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
SHARD = 1000
PROBLEM_SHARE = 0.10

# --- vocabulary ---------------------------------------------------------------------------------

NAMES = ["Maria", "Sam", "Priya", "Jonas", "Aiko", "Tom", "Fatima", "Luis", "Grace", "Omar", "Elena", "Dev"]
AGENTS = ["Alex", "Jordan", "Casey", "Robin", "Noor", "Kim", "Sasha", "Mika"]
GREETINGS = [
    'Hi {{ticket.requester.first_name | default: "there"}},',
    'Hello {{ticket.requester.first_name | fallback: "there"}},',
    "Hi {%customer.firstName,fallback=there%},",
    "Hey {%customer.firstName,fallback=there%},",
    "Hi {{customer.first_name | default: 'there'}},",
    "Hello {first_name},",
    "Hi <attribute name=\"first_name\" />,",
    "Hi {name},",
    "Hi there,",
    "Hello,",
    "Hi {NAME},",
]
SIGNOFFS = [
    "Best,\n{{current_user.name}}",
    "Thanks,\n{agent}",
    "Cheers,\n{agent} from the support team",
    "Kind regards,\n{{agent.name}}",
    "Talk soon,\n{%user.firstName%}",
    "All the best,\n{agent}",
    "Thank you,\n{agent} | Customer Support",
]
OPENERS = [
    "Thanks for writing in about this.",
    "Thanks for getting in touch, and for the details you sent.",
    "Thank you for the screenshots, they helped a lot.",
    "Good to hear from you again.",
    "Thanks for your patience while I checked this.",
    "I read through your message and the notes on your account.",
]
TOPICS = {
    "billing": {
        "subjects": ["Refund for order {order}", "Double charge on {date}", "Invoice question", "Plan change to {plan}"],
        "sentences": [
            "I checked your account and I can see the charge of {amount} from {date}.",
            "The refund of {amount} is on its way and should reach your card within {days} business days.",
            "I have moved you to the {plan} plan, and the difference is credited to your next invoice.",
            "Your invoice for {month} is attached, and you can download older ones from the Billing page.",
            "It looks like the card ending in {last4} was declined by the bank, so the renewal did not go through.",
            "I cancelled the duplicate payment, so you will only see one charge of {amount} on your statement.",
            "When you update the card under Settings and then Billing, I will retry the payment for you.",
            "Annual plans are billed once a year, and you can switch back to monthly billing at renewal.",
            "I added a credit of {amount} to your account to make up for the trouble.",
            "Taxes are calculated from the billing address, which is why the total changed after the update.",
            "Your next renewal is on {date}, and I set a reminder to email you a week before.",
            "The pending charge you see is an authorization hold, and your bank releases it within three days.",
        ],
    },
    "shipping": {
        "subjects": ["Where is order {order}?", "Delivery delay", "Wrong item received", "Change shipping address"],
        "sentences": [
            "Your order {order} left our warehouse on {date} with {carrier}.",
            "The tracking number is {tracking}, and the latest scan shows it in the regional hub.",
            "I updated the shipping address on order {order} before it was packed.",
            "I am sorry the parcel arrived damaged; a replacement ships today at no charge.",
            "{carrier} expects to deliver it within {days} days, and I will keep an eye on the tracking.",
            "You can keep the wrong item, and the right one is already on its way to you.",
            "I have sent you a prepaid return label for the {product}.",
            "International parcels can take a little longer at customs, usually two or three days.",
            "I asked {carrier} to hold the parcel at the depot so you can pick it up on {date}.",
            "The {product} is back in stock next week, and your order ships the same day it arrives.",
            "I split the order so the items in stock leave today and the rest follow on {date}.",
            "I refunded the shipping fee of {amount} because the delivery window was missed.",
        ],
    },
    "accounts": {
        "subjects": ["Can't log in", "Reset two-factor", "Merge two accounts", "Change account email"],
        "sentences": [
            "I sent a password reset link to the address on your account; it stays valid for an hour.",
            "I turned off two-factor authentication so you can sign in and set it up again on your new phone.",
            "Your two accounts are now merged, and all your projects are under the newer one.",
            "I changed the login email, and a confirmation message is waiting in the new inbox.",
            "The account was locked after several failed sign-in attempts, and I have unlocked it now.",
            "You can add teammates from the Members page, and each invite link works for seven days.",
            "I restored the {count} files that were deleted on {date} from our backups.",
            "Your workspace is on the {plan} plan, which includes up to {count} seats.",
            "Single sign-on is set up for your domain, so new teammates join with their work accounts.",
            "I exported your data as a ZIP file, and the download link is in your inbox.",
            "If the reset email does not show up, please check the spam folder and let me know.",
            "I removed the old phone number from the account so the codes go to the new one.",
        ],
    },
    "bugs": {
        "subjects": ["App crashes on start", "Export fails", "Sync error in version {version}", "Blank page in {browser}"],
        "sentences": [
            "I could reproduce the crash on version {version} with the file you sent.",
            "Our engineers found the cause, and the fix ships in version {version} next week.",
            "Clearing the cache in {browser} and reloading the page brings the dashboard back for now.",
            "I logged the bug with the steps you described and linked it to your ticket.",
            "The export fails when a sheet has more than {count} rows; splitting it works until the fix lands.",
            "The sync error comes from an expired token, and signing out and in again renews it.",
            "I turned on extra logging for your workspace so we can see what happens next time.",
            "Version {version} is rolling out now, and the update notes list this fix.",
            "The blank page appears with an older extension in {browser}; turning it off shows the page again.",
            "I tested the workaround on my side with a copy of your project, and the import finished.",
            "Could you send me the log file from the Help menu so I can compare it with ours?",
            "The team is testing a patch today, and I will write as soon as it is live.",
        ],
    },
}
CLOSERS = [
    "Let me know if anything else comes up.",
    "I will check back with you on {date} to make sure everything works.",
    "If you have any questions about this, just reply to this email.",
    "I hope this helps, and have a good week.",
    "Reply here any time and it comes straight back to me.",
]
FILL = {
    "plan": ["Starter", "Pro", "Team", "Business", "Enterprise"],
    "carrier": ["UPS", "DHL", "FedEx", "Royal Mail", "USPS", "La Poste"],
    "product": ["blender", "desk lamp", "travel mug", "keyboard", "backpack", "phone case"],
    "browser": ["Chrome", "Firefox", "Safari", "Edge"],
    "month": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"],
}
LINKS = ["https://help.example.com/articles/{n}", "https://example.com/account/billing", "https://status.example.com"]
INSERT_WORDS = ["really", "truly", "also", "very", "just", "kindly", "totally"]
CARRIERS = [
    "{P}.",
    "{P}, and I have added a note to your ticket.",
    "I wanted to add that {p}.",
    "Also, {p}.",
    "{P} regarding the issue you reported.",
    "On the {topic} side, {p}.",
]


# --- the phrase list ----------------------------------------------------------------------------

def load_phrases() -> list[tuple[str, list[str]]]:
    """``(code, concrete forms)`` for every literal-phrase match of the built-in packs, sorted."""
    out = subprocess.run([sys.executable, "-m", "macrolint", "rules", "--all", "--format", "json"],
                         cwd=REPO, capture_output=True, text=True, check=True).stdout
    sys.path.insert(0, str(REPO))
    from macrolint.packs.phrases import (
        compile_phrase,  # the same expansion the engine uses
    )

    forms: list[tuple[str, list[str]]] = []
    for rule in sorted(json.loads(out), key=lambda r: r["code"]):
        for src in rule["phrases"]:
            phrase = compile_phrase(src)
            if phrase.is_literal:
                forms.append((rule["code"], sorted(phrase.keys())))
            else:  # gap phrases: join one form of each segment with filler words
                segs = [sorted(seg) for seg in phrase.segments]
                joined = [" about this ".join(s[0] for s in segs), " ".join(s[-1] for s in segs)]
                forms.append((rule["code"], sorted(set(joined))))
    return forms


def phrase_digest(phrases: list[tuple[str, list[str]]]) -> str:
    return hashlib.sha256(json.dumps(phrases).encode()).hexdigest()[:16]


# --- variation ----------------------------------------------------------------------------------

def _typo(rng: random.Random, phrase: str) -> str:
    words = phrase.split(" ")
    idx = max(range(len(words)), key=lambda i: (len(words[i]), -i))
    w = words[idx]
    if len(w) < 4:
        return phrase
    i = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        w = w[:i] + w[i + 1:]  # drop a letter
    elif kind == 1:
        w = w[:i] + w[i + 1] + w[i] + w[i + 2:]  # swap two letters
    elif kind == 2:
        w = w[:i] + w[i] + w[i:]  # double a letter
    else:
        w = w[:i] + rng.choice("aeiourstn".replace(w[i], "")) + w[i + 1:]  # wrong letter
    words[idx] = w
    return " ".join(words)


def _vary(rng: random.Random, phrase: str) -> tuple[str, str]:
    """A form of ``phrase`` and the kind of variation applied."""
    roll = rng.random()
    if roll < 0.4:
        return phrase, "exact"
    if roll < 0.6:
        style = rng.randrange(3)
        if style == 0:
            return phrase.upper(), "case"
        if style == 1:
            return phrase.title(), "case"
        return phrase.capitalize(), "case"
    if roll < 0.8:
        words = phrase.split(" ")
        if len(words) < 2:
            return phrase, "exact"
        i = rng.randrange(1, len(words))
        return " ".join(words[:i] + [rng.choice(INSERT_WORDS)] + words[i:]), "insert"
    return _typo(rng, phrase), "typo"


def _sentence_case(s: str) -> str:
    s = " ".join("I" if w == "i" else ("I" + w[1:] if w.startswith("i'") else w) for w in s.split(" "))
    return s[:1].upper() + s[1:]


# --- one reply ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reply:
    index: int
    fmt: str  # text | markdown | html
    title: str
    body: str
    code: str  # rule code of the planted phrase, or ""
    variant: str  # exact | case | insert | typo | ""


def _fill(rng: random.Random, template: str) -> str:
    values = {
        "order": f"#{rng.randrange(10000, 99999)}",
        "amount": f"${rng.randrange(5, 400)}.{rng.randrange(100):02d}",
        "date": f"{rng.choice(FILL['month'])} {rng.randrange(1, 29)}",
        "days": str(rng.randrange(2, 10)),
        "last4": f"{rng.randrange(10000):04d}",
        "tracking": f"1Z{rng.randrange(10**9, 10**10)}",
        "count": str(rng.choice([5, 10, 25, 50, 100, 1000, 5000])),
        "version": f"{rng.randrange(1, 6)}.{rng.randrange(0, 20)}.{rng.randrange(0, 9)}",
        "agent": rng.choice(AGENTS),
        "NAME": "{NAME}", "name": "{name}", "first_name": "{first_name}",
    }
    for key in ("plan", "carrier", "product", "browser", "month"):
        values[key] = rng.choice(FILL[key])
    out = template
    for key, val in values.items():
        out = out.replace("{" + key + "}", val)
    return out


def make_reply(seed: int, index: int, phrases: list[tuple[str, list[str]]]) -> Reply:
    rng = random.Random(f"macrolint-bench:{seed}:{index}")
    topic = rng.choice(sorted(TOPICS))
    spec = TOPICS[topic]
    title = _fill(rng, rng.choice(spec["subjects"]))
    # skewed towards shorter replies, as in real macro exports (mean about 100 words)
    target = round(rng.triangular(40, 200, 60))
    greeting = _fill(rng, rng.choice(GREETINGS))
    signoff = _fill(rng, rng.choice(SIGNOFFS))
    sentences = [rng.choice(OPENERS)] if rng.random() < 0.6 else []
    pool = list(spec["sentences"])
    rng.shuffle(pool)
    words = len(greeting.split()) + len(signoff.split()) + sum(len(s.split()) for s in sentences)
    closer = _fill(rng, rng.choice(CLOSERS))
    words += len(closer.split())
    while words < target:
        if not pool:
            pool = list(spec["sentences"])
            rng.shuffle(pool)
        s = _fill(rng, pool.pop())
        if words + len(s.split()) > 200:
            break
        sentences.append(s)
        words += len(s.split())

    code = variant = ""
    if rng.random() < PROBLEM_SHARE:
        code, forms = phrases[rng.randrange(len(phrases))]
        form, variant = _vary(rng, rng.choice(forms))
        carrier = rng.choice(CARRIERS)
        planted = carrier.replace("{P}", _sentence_case(form)).replace("{p}", form.replace(" i ", " I "))
        planted = planted.replace("{topic}", topic)
        if not sentences:
            sentences.append(planted)
        else:
            sentences.insert(rng.randrange(len(sentences) + 1), planted)
        # keep the reply within 200 words
        while sentences and sum(len(s.split()) for s in sentences) + len(greeting.split()) + \
                len(signoff.split()) + len(closer.split()) > 200:
            sentences.pop(0 if sentences[0] is not planted else -1)
    sentences.append(closer)

    if rng.random() < 0.5:
        link = _fill(rng, rng.choice(LINKS)).replace("{n}", str(rng.randrange(100, 9999)))
        sentences.insert(rng.randrange(len(sentences)), f"There is more about this in our help center: {link}")

    roll = rng.random()
    fmt = "text" if roll < 0.7 else ("markdown" if roll < 0.85 else "html")
    paragraphs = _paragraphs(rng, sentences)
    if fmt == "text":
        body = greeting + "\n\n" + "\n\n".join(" ".join(p) for p in paragraphs) + "\n\n" + signoff + "\n"
    elif fmt == "markdown":
        body = _markdown(rng, greeting, paragraphs, signoff)
    else:
        body = _html_reply(rng, greeting, paragraphs, signoff)
    return Reply(index, fmt, title, body, code, variant)


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[list[str]]:
    paras: list[list[str]] = []
    for s in sentences:
        if not paras or (len(paras[-1]) >= 2 and rng.random() < 0.5):
            paras.append([])
        paras[-1].append(s)
    return paras


def _markdown(rng: random.Random, greeting: str, paragraphs: list[list[str]], signoff: str) -> str:
    blocks = [greeting]
    for para in paragraphs:
        kind = rng.random()
        if kind < 0.2 and len(para) >= 2:
            blocks.append("\n".join(f"- {s}" for s in para))
        elif kind < 0.35 and len(para) >= 2:
            blocks.append("\n".join(f"{i}. {s}" for i, s in enumerate(para, 1)))
        else:
            text = " ".join(para)
            if rng.random() < 0.4:
                text = text.replace("Settings", "**Settings**").replace("Billing", "**Billing**")
            if rng.random() < 0.3:
                text += " See [the guide](https://help.example.com/guide) or run `sync --reset`."
            blocks.append(text)
    blocks.append(signoff.replace("\n", "  \n"))
    return "\n\n".join(blocks) + "\n"


def _html_reply(rng: random.Random, greeting: str, paragraphs: list[list[str]], signoff: str) -> str:
    def esc(s: str) -> str:
        s = s.replace("&", "&amp;")
        if rng.random() < 0.3:
            s = s.replace("'", "&rsquo;")
        if rng.random() < 0.2:
            s = s.replace(". ", ".&nbsp; ", 1)
        return s

    parts = [f"<p>{greeting}</p>"]
    for para in paragraphs:
        text = esc(" ".join(para))
        if rng.random() < 0.3:
            text = text.replace("Settings", "<strong>Settings</strong>").replace("Billing", "<b>Billing</b>")
        parts.append(f"<p>{text}</p>")
    parts.append("<p>" + esc(signoff).replace("\n", "<br>\n") + "</p>")
    return "\n".join(parts) + "\n"


# --- writing ------------------------------------------------------------------------------------

EXT = {"text": ".txt", "markdown": ".md", "html": ".html"}


def write_size(name: str, count: int, seed: int, phrases, force: bool = False) -> dict:
    """Write one size (both layouts) unless an identical one is already there; its manifest."""
    out = CORPUS / name
    manifest_path = out / "manifest.json"
    key = {"generator": GENERATOR_VERSION, "source": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16], "seed": seed, "count": count, "phrases": phrase_digest(phrases)}
    if not force and manifest_path.exists():
        old = json.loads(manifest_path.read_text())
        if all(old.get(k) == v for k, v in key.items()):
            return old
    if out.exists():
        shutil.rmtree(out)
    (out / "files").mkdir(parents=True)
    digest = hashlib.sha256()
    stats = {"text": 0, "markdown": 0, "html": 0, "problem": 0, "bytes_files": 0, "words": 0}
    variants: dict[str, int] = {}
    with open(out / "all.md", "w", encoding="utf-8", newline="\n") as big:
        big.write("# Saved replies\n\n")
        for i in range(count):
            r = make_reply(seed, i, phrases)
            shard = out / "files" / f"{i // SHARD:03d}"
            if i % SHARD == 0:
                shard.mkdir()
            data = r.body.encode("utf-8")
            rel = f"files/{i // SHARD:03d}/r{i:06d}{EXT[r.fmt]}"
            (out / rel).write_bytes(data)
            digest.update(rel.encode() + b"\0" + data + b"\0")
            big.write(f"## Reply {i}: {r.title}\n\n{r.body}\n")
            stats[r.fmt] += 1
            stats["bytes_files"] += len(data)
            stats["words"] += len(r.body.split())
            if r.code:
                stats["problem"] += 1
                variants[r.variant] = variants.get(r.variant, 0) + 1
    all_md = (out / "all.md").read_bytes()
    digest.update(b"all.md\0" + all_md)
    manifest = {**key, **stats, "variants": dict(sorted(variants.items())), "bytes_all_md": len(all_md),
                "sha256": digest.hexdigest()}
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def corpus_paths(name: str) -> tuple[Path, Path]:
    """``(folder of one file per reply, single Markdown file)`` of a size."""
    return CORPUS / name / "files", CORPUS / name / "all.md"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1k,10k", help="comma-separated: 1k, 10k, 100k (default 1k,10k)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--force", action="store_true", help="rewrite even when an identical corpus is present")
    args = ap.parse_args(argv)
    phrases = load_phrases()
    for name in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        if name not in SIZES:
            ap.error(f"unknown size {name!r}; one of {', '.join(SIZES)}")
        m = write_size(name, SIZES[name], args.seed, phrases, args.force)
        print(f"{name}: {m['count']} replies, {m['bytes_files'] / 1e6:.1f} MB, {m['problem']} with a problem phrase "
              f"{m['variants']}, text/md/html {m['text']}/{m['markdown']}/{m['html']}, sha256 {m['sha256'][:16]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
