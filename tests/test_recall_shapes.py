"""Script-speak that no fixed phrase list holds: open word classes, notification lines, verdicts,
relaying, lecturing and shouting, shorthand. Each is found by the built-in rules, in the category
a reader would give it, and its benign neighbour stays clean."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, category", [
    # capitals inside mixed text
    ("Hi Sam, PLEASE NOTE THAT refunds take 5 days.", "condescending"),
    ("Thanks. SIMPLY click the button.", "condescending"),
    # typos in longer phrases
    ("we apologise for the inconvenince", "robotic"),
    ("there is nothng I can do", "blame"),
    # open word classes
    ("Dear valued patient, your appointment has moved.", "robotic"),
    ("Dear valued traveller,", "robotic"),
    ("Dear Valued Policyholder,", "robotic"),
    ("Thank you for contacting Northwind Support.", "robotic"),
    ("Thank you for banking with us.", "robotic"),
    ("Thank you for flying with us today.", "robotic"),
    ("Many thanks for shopping with us.", "robotic"),
    ("This is not possible per our cancellation policy.", "blame"),
    ("This is declined as per the terms of your agreement.", "blame"),
    ("Your satisfaction is our top priority.", "robotic"),
    # notification openers and closers
    ("This is a courtesy e-mail to let you know that your order shipped.", "robotic"),
    ("This e-mail is to advise you of a change.", "robotic"),
    ("Your query has been noted.", "robotic"),
    # blame as a verdict
    ("This ticket is closed because the template was not filled in.", "blame"),
    ("You didn't provide enough information for us to help.", "blame"),
    ("We are not planning to do anything about it.", "blame"),
    ("That's between you and your bank.", "blame"),
    ("This is not a problem on our side.", "blame"),
    ("I'm just passing on what the warehouse said.", "blame"),
    # condescension beyond single words
    ("Please read the guide again before you reply.", "condescending"),
    ("Remember that we have hundreds of tickets.", "condescending"),
    ("DO NOT REPLY TO THIS THREAD.", "condescending"),
    ("Friendly reminder: the form closes today.", "condescending"),
    ("It is people like you who make this hard.", "condescending"),
    ("As clearly explained in the FAQ, it renews.", "condescending"),
    ("It's that simple!", "condescending"),
    # shorthand
    ("We'll update you by EOD.", "jargon"),
    ("Your ticket was passed to the T2 queue.", "jargon"),
    ("Your RMA is pending.", "jargon"),
    ("The NOC has an open P1.", "jargon"),
    # the same near-variant alone and inside a longer text
    ("To apologize for the inconvenince, here is a coupon.", "robotic"),
    ("Hi Ana,\n\nThanks for the photos.\n\nTo apologize for the inconvenince, here is a coupon.\n\nBest, Sam", "robotic"),
])
def test_found(linter, text, category):
    assert category in {d.category for d in linter.lint_text(text, "text")}


@pytest.mark.parametrize("text", [
    "Thank you for contacting us about the double charge; I've refunded it.",
    "Thanks for calling our support line back so quickly.",
    "Welcome, and thank you for registering with us!",
    "Under our returns policy you have 60 days, so I've booked the pickup.",
    "Your request has been noted and I'll call you tomorrow at 10am.",
    "I hope you have a nice day at the park with the new stroller.",
    "This ticket is closed because the fix shipped in version 4.2, so update the app to get it.",
    "You don't need to do anything about it; the refund is automatic.",
    "I'm passing your details on to the courier so they can call you.",
    "We have other colours in stock if you'd like to swap.",
    "We'll send a friendly reminder the day before your appointment.",
    "We love helping people like you who run small shops.",
    "Click SAVE AND CLOSE when you're done.",
    "Marco, our Tier 2 specialist, will call you by 11am tomorrow.",
])
def test_benign_neighbours_stay_clean(linter, text):
    assert linter.lint_text(text, "text") == []


def test_a_stock_sign_off_is_a_preview_rule():
    from macrolint.linting.linter import Linter
    from macrolint.packs.config import Config

    text = "Your refund is on its way. Have a nice day!"
    assert "RB038" not in {d.rule for d in Linter(Config()).lint_text(text)}
    assert "RB038" in {d.rule for d in Linter(Config(preview=True)).lint_text(text)}
