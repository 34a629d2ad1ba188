"""Scopes, audience, vocabulary and one finding per span: the text around a phrase decides
whether a reader would call it a problem."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from macrolint.linting.linter import Linter
from macrolint.packs.config import Config, ConfigError, load_config
from macrolint.packs.load import PackError, read_pack
from macrolint.packs.reading import Reading, Vocabulary
from macrolint.text.scopes import text_scopes
from tests.conftest import shared_linter, write_pack

LINTER = shared_linter()


def codes(text: str, fmt: str = "text", linter: Linter = LINTER) -> list[str]:
    return [d.rule for d in linter.lint_text(text, fmt)]


# -- the kinds of false positive that must stay clean ---------------------------------------

TECHNICAL = [
    "Accounts are provisioned on first sign-in.",
    "Send the event to our backend with this call.",
    "For multi-tenant setups, use one key per tenant.",
]


@pytest.mark.parametrize("text", TECHNICAL)
def test_technical_terms_are_jargon_for_customers_only(text):
    assert codes(text)  # a customer must decode them
    technical = Linter(Config(reading=Reading(audience="technical")))
    assert codes(text, linter=technical) == []


def test_plain_language_rules_stay_on_for_a_technical_audience():
    technical = Linter(Config(reading=Reading(audience="technical")))
    assert codes("Utilize the new endpoint to leverage caching.", linter=technical) == ["JG002", "JG015"]


@pytest.mark.parametrize("text", [
    "If you just use the search box, nothing is stored.",
    "Enter the password you just set.",
    "You should have two files in the folder now.",
    "We keep no record of the pages you visit.",
    "This is an automated message confirming we received your report.",
    "Marco, our Tier 2 specialist, will call you by 11am tomorrow.",
    "Open **Insights** and choose **Journeys**.",
])
def test_other_senses_stay_clean(text):
    assert codes(text, "markdown") == []


def test_a_quoted_email_is_not_the_writers_voice_and_is_never_fixed(tmp_path):
    reply = ("Hi Ana, I've refunded the second charge; it reaches your card by Friday.\n\n"
             "On Monday, 3 March 2026, Ana <ana@example.com> wrote:\n"
             "> Please be advised that you should have told me. There is nothing I can do.\n")
    assert codes(reply) == []
    assert codes("Thanks!\n\n> We apologize for any inconvenience.\n") == []
    widened = Linter(Config(reading=Reading(extend_scopes=("quote",))))
    found = widened.lint_text(reply)
    assert {d.rule for d in found} >= {"RB002", "BL004", "BL003"}
    assert all(d.fix is None for d in found)  # someone else's words: shown, never rewritten
    path = tmp_path / "reply.txt"
    path.write_text(reply, encoding="utf-8")
    (tmp_path / ".macrolint.toml").write_text('extend-scopes = ["quote"]\n')
    CliRunner().invoke(main, ["check", "--fix", "--unsafe-fixes", str(path)])
    assert path.read_text(encoding="utf-8") == reply


def test_a_quoted_html_reply_and_headings():
    html = ('<p>Hi Ana, I have refunded it.</p><div class="gmail_quote">On Mon, Ana wrote:'
            '<blockquote>There is nothing I can do, obviously.</blockquote></div>')
    assert codes(html, "html") == []
    assert codes("<h2>Rest assured, we will fix it</h2><p>Thanks.</p>", "html") == ["RB006"]
    narrowed = Linter(Config(reading=Reading(ignore_scopes=("heading",))))
    assert codes("<h2>Rest assured, we will fix it</h2><p>Thanks.</p>", "html", narrowed) == []
    assert codes("## Rest assured\n\nThanks.\n", "markdown", narrowed) == []


def test_an_articles_block_quote_is_the_authors_callout():
    article = "---\ntitle: Refunds\n---\n\n> We apologize for any inconvenience.\n"
    assert codes(article, "markdown") == ["RB001"]


def test_a_licence_quoted_in_an_article_is_left_alone():
    text = ("Our app uses the zlib library.\n\n"
            "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND. In no event shall the "
            "authors be liable for any claim. Please be advised that the terms prevail hereby.\n\n"
            "Please be advised that the app restarts.\n")
    found = LINTER.lint_text(text)
    assert [d.rule for d in found] == ["RB002"] and found[0].line == 5


def test_agent_facing_notes_titles_and_preambles_are_not_linted():
    library = ("# Saved replies\n\nInternal: use these for billing tickets, as soon as possible.\n\n"
               "## Refund — please be advised\n\n**Use when:** the customer was obviously charged twice.\n\n"
               "> Thanks for writing in. I've refunded the charge.\n\n"
               "## Delay\n\n> Thanks for waiting. The parcel arrives Tuesday.\n")
    assert codes(library, "markdown") == []
    reply = "Use when: the customer simply forgot the password.\n\nHi, here's your reset link.\n"
    assert codes(reply) == []


def test_text_scopes():
    text = "Hi.\n\nInternal note: refund as soon as possible.\n\nThanks.\n\nOn Tue, Bo wrote:\n> hi"
    assert [(text[s:e].split("\n")[0], scope) for s, e, scope in text_scopes(text)] == [
        ("Internal note: refund as soon as possible.", "note"), ("On Tue, Bo wrote:", "quote"), ("> hi", "quote")]


# -- vocabulary -------------------------------------------------------------------------------

def test_accepted_terms_are_never_flagged_by_a_tone_rule():
    text = "Open Synergy and choose Journeys. Our synergy is great."
    assert codes(text) == ["JG018", "JG018"]
    accepting = Linter(Config(vocabulary=Vocabulary(accept=("Synergy",))))
    (d,) = accepting.lint_text(text)
    assert d.match == "synergy"  # the product name, as written, is accepted; the buzzword is not


def test_rejected_terms_are_jargon_with_the_teams_message():
    team = Linter(Config(vocabulary=Vocabulary(reject=("ticket ID", "deflection"), message="Say “{match}” plainly.")))
    found = team.lint_text("Quote your Ticket  ID. Deflection rates are up.")
    assert [(d.rule, d.match, d.category) for d in found] == [("VOC001", "Ticket  ID", "jargon"), ("VOC001", "Deflection", "jargon")]
    assert found[0].message == "Say “Ticket ID” plainly."
    assert [d.rule for d in Linter(Config(vocabulary=Vocabulary(reject=("deflection",)), ignore=("VOC001",))).lint_text(
        "Deflection.")] == []


def test_a_term_explained_in_the_same_text_is_not_jargon_there():
    team = Linter(Config(vocabulary=Vocabulary(reject=("SSO", "RMA"))))
    assert codes("Turn on single sign-on (SSO). Once SSO is on, sign in again.", linter=team) == []
    assert codes("Your RMA (the return number on the label) is below.", linter=team) == []
    assert codes("Sign in with SSO.", linter=team) == ["VOC001"]
    assert codes("Your SLA (service level agreement) covers this.") == []


def test_vocabulary_files_and_paths(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "accept.txt").write_text("# product names\nSynergy\n\n")
    (tmp_path / "styles" / "reject.txt").write_text("deflection\n")
    (tmp_path / ".macrolint.toml").write_text(
        '[vocabulary]\naccept-files = ["styles/accept.txt"]\nreject-files = ["styles/reject.txt"]\n\n'
        '[paths."developers/**"]\naudience = "technical"\n')
    (tmp_path / "developers").mkdir()
    for folder in (tmp_path, tmp_path / "developers"):
        (folder / "a.md").write_text("Open Synergy. Our backend handles deflection.\n")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(tmp_path)])
    found = sorted((d["path"].split("/")[-2], d["rule"]) for d in json.loads(result.output)["diagnostics"])
    assert found == [("developers", "VOC001"), (tmp_path.name, "JG012"), (tmp_path.name, "VOC001")]


@pytest.mark.parametrize("toml, message", [
    ('extend-scopes = ["quotes"]\n', ':1: unknown scope "quotes" (did you mean "quote"?); valid names: body, heading'),
    ('audience = "developers"\n', ":1: unknown audience 'developers'"),
    ('[paths."api/**"]\naudience = "tech"\n', ":2: unknown audience 'tech' (did you mean \"technical\"?); valid names: customers, technical"),
    ('[vocabulary]\naccept-files = ["missing.txt"]\n', ":2: vocabulary file"),
    ('[vocabulary]\nallow = ["x"]\n', ':2: unknown key "allow" in vocabulary'),
    ('notices = "yes"\n', ':1: "notices" must be true or false'),
    ('[paths."mail/**"]\nnotice = true\n', ':2: unknown key "notice" in paths."mail/**" (did you mean "notices"?)'),
])
def test_bad_reading_settings_name_the_file_line_and_valid_names(tmp_path, toml, message):
    config = tmp_path / ".macrolint.toml"
    config.write_text(toml)
    with pytest.raises(ConfigError) as exc:
        load_config(config)
    assert str(exc.value).startswith(str(config)) and message in str(exc.value)
    (tmp_path / "a.txt").write_text("Hi.\n")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "a.txt")])
    assert result.exit_code == 2 and message in result.output


def test_a_bad_scope_in_a_rule_file_is_a_pack_problem(tmp_path):
    from macrolint.linting.rules import read_pack
    from macrolint.packs.load import PackError
    from tests.conftest import write_pack

    pack = write_pack(tmp_path / "team", {"tm001.yaml": """\
        id: TM001
        name: team-rule
        category: jargon
        summary: s
        why: w
        message: m
        scopes: [body, quotes]
        audience: developers
        kinds: [replies, notice]
        match: [{phrase: widget}]
        examples: [{bad: a widget}]
        """})
    with pytest.raises(PackError) as exc:
        read_pack(pack, use_cache=False)
    assert 'tm001.yaml:7: unknown scope "quotes"' in str(exc.value)
    assert 'tm001.yaml:8: "audience" must be one of customers, technical' in str(exc.value)
    assert ('tm001.yaml:9: unknown kind of text "notice" (did you mean "notices"?); kinds are replies, notices, '
            'articles') in str(exc.value)


# -- the kind of text: replies, automatic notices, articles -----------------------------------

NOTICES = Linter(Config(reading=Reading(notices=True)))
ARTICLES = Linter(Config(reading=Reading(articles=True)))


@pytest.mark.parametrize("text, reply, elsewhere", [
    # an instruction every reader gets is not a put-down of one customer's trouble
    ("If this was not you, just go to your settings and change your password.", ["CD002"], {"notices": [], "articles": []}),
    ("Your new card is ready. Simply tap Activate in the app.", ["CD002"], {"notices": [], "articles": []}),
    # a process described, not a promise to one customer
    ("We will review your application and notify you if there is a spot.", ["VG036"], {"notices": [], "articles": []}),
    ("Nevertheless our team is working on a solution.", ["VG003"], {"notices": [], "articles": []}),
    ("If both sides are online, they will soon see a chat.", ["VG004"], {"notices": ["VG004"], "articles": []}),
    # what stays a problem in an automatic e-mail too
    ("Your ticket has been received and will be responded to shortly.", ["VG004"], {"notices": ["VG004"]}),
    ("We apologize for any inconvenience this may cause.", ["RB001"], {"notices": ["RB001"], "articles": ["RB001"]}),
])
def test_rules_for_replies_are_off_in_notices_and_articles(text, reply, elsewhere):
    assert codes(text) == reply
    for kind, expected in elsewhere.items():
        assert codes(text, linter=NOTICES if kind == "notices" else ARTICLES) == expected, kind


@pytest.mark.parametrize("text, in_article", [
    # how the product or a process behaves, or advice to the reader: no one is left waiting
    ("If the returned time lies in the past, the scheduler runs the task again as soon as possible.", []),
    ("Security updates must be applied in a timely manner.", []),
    ("Customers without a salutation will be addressed with the default one.", []),
    ("This data is then available as `count`, but we'll get to that in the next section.", []),
    # the writer or the team promises, in an article too
    ("Our team is working on a solution to make this available as soon as possible.", ["VG001"]),
    ("We'll fix it as soon as possible.", ["VG001"]),
    ("This will be addressed in one of the upcoming updates.", ["VG018"]),
])
def test_a_vague_time_in_an_article_needs_a_promise_in_its_sentence(text, in_article):
    assert codes(text, linter=ARTICLES) == in_article


def test_articles_need_names_definitions_a_pack_has(tmp_path):
    pack = write_pack(tmp_path / "team", {"team-rule.yaml": """\
        id: TM001
        name: team-rule
        category: vague
        summary: s
        why: w
        message: m
        match:
          - phrase: in the fullness of time
        articles_need:
          - def:writer-promize
        examples:
          - bad: It will come in the fullness of time.
          - ok: It is on time.
        """})
    with pytest.raises(PackError) as e:
        read_pack(pack)
    assert str(e.value).endswith('team-rule.yaml:10: articles_need: unknown definition "writer-promize"')


def test_notices_per_path_from_config(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('[paths."app/views/user_mailer/**"]\nnotices = true\n')
    text = "If you did not ask for this, just ignore it or simply click the link below to cancel.\n"
    for folder in (tmp_path / "app" / "views" / "user_mailer", tmp_path / "replies"):
        folder.mkdir(parents=True)
        (folder / "reset.txt").write_text(text)
    result = CliRunner().invoke(main, ["check", "--format", "json", str(tmp_path)])
    found = sorted({(d["path"].split("/")[-2], d["rule"]) for d in json.loads(result.output)["diagnostics"]})
    assert found == [("replies", "CD002")]


def test_init_marks_the_folders_of_an_applications_emails_as_notices(tmp_path):
    mailer = tmp_path / "app" / "views" / "user_mailer"
    mailer.mkdir(parents=True)
    (mailer / "reset.html").write_text("<p>Just click the link below to reset your password.</p>\n")
    (tmp_path / "replies").mkdir()
    (tmp_path / "replies" / "refund.md").write_text("Simply click the link below for your refund.\n")
    assert CliRunner().invoke(main, ["init", str(tmp_path)]).exit_code == 0
    text = (tmp_path / ".macrolint.toml").read_text()
    assert '[paths."app/views/user_mailer/**"]\nnotices = true' in text
    result = CliRunner().invoke(main, ["check", "--format", "json", str(tmp_path)])
    assert [d["path"].split("/")[-1] for d in json.loads(result.output)["diagnostics"]] == ["refund.md"]


# -- one finding per span ---------------------------------------------------------------------

def test_overlapping_rules_report_the_most_specific_one_with_the_others_related():
    (d,) = LINTER.lint_text("A member of the team will reach out.")
    assert (d.rule, d.related) == ("VG002", ("VG021",))
    result = CliRunner().invoke(main, ["check", "--format", "json", "-"], input="A member of the team will reach out.\n")
    (j,) = json.loads(result.output)["diagnostics"]
    assert j["related"] == ["VG021"]


def test_the_readmes_help_centre_example(monkeypatch):
    from tests.conftest import FIXTURES

    monkeypatch.chdir(FIXTURES.parent)
    result = CliRunner().invoke(main, ["check", "--format", "concise", "--no-color", "fixtures/help-center"])
    lines = [line for line in result.output.splitlines() if line.startswith("fixtures/")]
    readme = (FIXTURES.parent / "README.md").read_text(encoding="utf-8")
    assert len(lines) == 3 and all(line in readme for line in lines), result.output


def test_a_licence_document_is_a_legal_notice_throughout():
    licence = ("                    GNU GENERAL PUBLIC LICENSE\n                       Version 2, June 1991\n\n"
               "The licenses for most software are designed to take away your freedom. Hereinafter, "
               "each licensee is addressed as \"you\".\n")
    assert codes(licence) == []
    assert codes("Our SDK is under the MIT license. Hereinafter the app is called Bolt.\n") == ["JG021"]


def test_a_callout_block_quote_is_the_writers_own():
    reply = "Thanks for the report.\n\n> [!NOTE]\n> We apologize for any inconvenience.\n"
    assert codes(reply, "markdown") == ["RB001"]
    assert codes("Thanks.\n\n> **Tip:** simply restart the app.\n", "markdown") == ["CD002"]
    assert codes("Thanks.\n\n> We apologize for any inconvenience.\n", "markdown") == []  # quoting the thread


def test_a_docs_folder_can_be_declared_articles(tmp_path):
    (tmp_path / ".macrolint.toml").write_text('[paths."docs/**"]\narticles = true\n')
    for folder in ("docs", "replies"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.md").write_text("Refunds take a day.\n\n> We apologize for any inconvenience.\n")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(tmp_path)])
    found = [(d["path"].split("/")[-2], d["rule"]) for d in json.loads(result.output)["diagnostics"]]
    assert found == [("docs", "RB001")]  # a callout in the docs; a quoted message in a reply
    (tmp_path / ".macrolint.toml").write_text("articles = 1\n")
    assert CliRunner().invoke(main, ["check", str(tmp_path)]).exit_code == 2


def test_fenced_replies_in_a_library_are_read_and_code_fences_are_not():
    library = ("## Needs logs\n\nAgents: ask once.\n\n```\nThanks! Please be advised that we need the logs to go on.\n```\n\n"
               "## Script\n\n```python\nprint('Please be advised that we need the logs.')\n```\n\n"
               "## Plain block\n\n```\nPlease be advised = True; run(x)\n```\n")
    found = LINTER.lint_text(library, "markdown")
    assert [(d.rule, d.item["title"], d.item["field"]) for d in found] == [("RB002", "Needs logs", "reply")]


def test_mdx_is_read_like_markdown_named_or_found_in_a_folder(tmp_path):
    page = ('import Callout from "../components/Callout";\nexport const meta = { title: "Refunds, please be advised that" };\n\n'
            '<Callout type="info">Please be advised that refunds take {props.days} days.</Callout>\n')
    (tmp_path / "refunds.mdx").write_text(page)
    for target in (tmp_path / "refunds.mdx", tmp_path):
        result = CliRunner().invoke(main, ["check", "--format", "json", str(target)])
        assert [(d["rule"], d["line"]) for d in json.loads(result.output)["diagnostics"]] == [("RB002", 4)]


@pytest.mark.parametrize("text", [
    "Hi Sam, PLEASE BE ADVISED THAT refunds take 5 days.",
    "Thanks. SIMPLY click the button.",
    "there is nothng I can do",
    "we apologise for the inconvenince",
    "This is a courtesy e-mail to let you know that your order shipped.",
    "This e-mail is to advise you of a change to your plan.",
])
def test_capitals_typos_and_notification_openers_are_found(text):
    assert codes(text)


def test_the_teams_rejected_term_wins_over_a_built_in_rule_on_the_same_words():
    team = Linter(Config(vocabulary=Vocabulary(reject=("synergy",), message="Say what changed.")))
    (d,) = team.lint_text("Our synergy rocks.")
    assert (d.rule, d.message, d.related) == ("VOC001", "Say what changed.", ("JG018",))


def test_a_consent_declaration_to_sign_is_a_legal_notice():
    form = ("Please print this form and have a parent sign it.\n\n"
            "I HAVE READ THE INFORMATION ABOVE AND HEREBY GRANT PERMISSION TO STORE IT.\n"
            "I UNDERSTAND THAT I MAY ASK FOR IT TO BE REMOVED AT ANY TIME.\n\n"
            "Thanks for signing up. PLEASE DO NOT REPLY TO THIS EMAIL.\n")
    assert codes(form) == ["CD030"]  # the signer's declaration is not the writer shouting; the last line is
    assert "JG021" in codes("We hereby inform you that your claim is closed.\n")  # a reply's legalese
    # a reply that acknowledges "hereby" is still read: only a signer's "I ... hereby grant" is a notice
    assert "RB001" in codes("We hereby acknowledge your complaint. We apologize for any inconvenience.\n")


def test_a_translated_string_in_a_template_is_read_and_never_fixed():
    from macrolint.text.masking import find_placeholders

    page = "<p>{{ __('Please utilize the portal.') }}</p>\n<p>Please utilize the portal.</p>\n"
    found = LINTER.lint_text(page, "html")
    assert [(d.rule, d.fix is not None) for d in found] == [("JG002", False), ("JG002", True)]
    text = "{{ _(\"Thanks\") }} {{ url('x') }} {{ __('auth.failed', ['x' => 1]) }}"
    assert [(text[s:e], k) for s, e, k in find_placeholders(text)] == [
        ('{{ _("', "i18n-open"), ('") }}', "i18n-close"), ("{{ url('x') }}", "liquid"),
        ("{{ __('auth.failed', ['x' => 1]) }}", "liquid")]


def test_review_offers_no_rewrite_of_words_a_fix_never_edits():
    from macrolint import readers
    from macrolint.fixing.review import options_for

    page = "<p>{{ __('Please utilize the portal.') }}</p>\n"
    reply = "Thanks.\n\n> Please utilize the portal.\n"
    quoting = Linter(Config(reading=Reading(extend_scopes=("quote",))))  # reads quotes, still never fixes them
    for text, fmt in ((page, "html"), (reply, "markdown")):
        src = readers.read(f"x.{fmt}", text, fmt, quoting.config)
        found = [(u, f) for _, u, f in quoting.analyze(src) if f is not None]
        assert [f.rule.code for _, f in found] == ["JG002"], text
        assert all(options_for(u, f) == [] and f.replacement is None for u, f in found), text
