"""PL305 consent-by-browsing: continued browsing, scrolling, closing the banner or using the
site is not consent. Every case goes through the real pipeline (load → parse → extract → check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.api import lint

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

DOC = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Your choices

{text}
"""
LINE = 9  # the line of {text} in DOC


def pl305(text: str, name: str = "policy.md") -> list:
    result = lint(name, text=text, config={"select": ["PL305"]})
    return [f for f in result.findings if f.rule == "PL305"]


def in_doc(sentence: str) -> list:
    return pl305(DOC.format(text=sentence))


FLAGGED = [
    # English: by continuing to browse / use this site you agree, consent, accept
    ("By continuing to browse this site, you agree to our use of cookies.", "continuing to browse"),
    ("By continuing to use this website you consent to the use of cookies.", "continuing to use the site"),
    ("By continuing, you accept the use of cookies on this site.", "continuing to browse"),
    ("By continuing to browse the Websites, you are agreeing to our use of cookies.", "continuing to browse"),
    ("You consent to our cookies if you continue to use our website.", "continuing to use the site"),
    # if you continue browsing / your browsing / your navigation
    ("If you continue browsing, you accept the placing of cookies on your device.", "continuing to browse"),
    ("If you continue your browsing, you consent to our cookies.", "continuing to browse"),
    (
        "If you continue your navigation on this site, you agree to the use of cookies.",
        "continuing to browse",
    ),
    (
        "If you continue without changing your settings, we'll assume that you are happy to receive all "
        "cookies on this website.",
        "continuing to browse",
    ),
    ("If you continue browsing, cookies will be placed on your device.", "continuing to browse"),
    (
        "Cookies are only set if you accept them or if you continue your navigation by visiting a second page.",
        "continuing to browse",
    ),
    # continued use of the site constitutes / means acceptance
    ("Continued use of the site constitutes acceptance of our use of cookies.", "continuing to use the site"),
    ("Your continued use of this website means you accept our cookies.", "continuing to use the site"),
    ("Your continued browsing will be deemed consent to the use of cookies.", "continuing to browse"),
    # scrolling, closing the banner, using the site, following a link
    ("By scrolling this page, you consent to the use of cookies.", "scrolling"),
    ("Scrolling down the page constitutes consent to cookies.", "scrolling"),
    ("By closing this banner you accept our cookies.", "closing the banner"),
    ("By using this site, you agree to the use of cookies.", "merely using the site"),
    (
        "If you use our website, you consent to our use of cookies and similar trackers.",
        "merely using the site",
    ),
    (
        "By clicking any link on this page you are giving your consent for us to set cookies.",
        "clicking any link",
    ),
    # French: en poursuivant votre navigation (sur ce site) vous acceptez / consentez
    (
        "En poursuivant votre navigation sur ce site, vous acceptez l’utilisation de cookies.",
        "continuing to browse",
    ),
    ("En poursuivant votre navigation, vous consentez au dépôt de cookies.", "continuing to browse"),
    ("En continuant à naviguer sur ce site, vous acceptez l’utilisation de cookies.", "continuing to browse"),
    ("Vous acceptez l’utilisation des cookies en poursuivant votre navigation.", "continuing to browse"),
    (
        "En cliquant sur « OK » ou en poursuivant votre navigation, vous acceptez le dépôt de cookies.",
        "continuing to browse",
    ),
    (
        "Les cookies sont déposés si vous les acceptez ou si vous poursuivez votre navigation.",
        "continuing to browse",
    ),
    # la poursuite de la navigation vaut accord / acceptation
    ("La poursuite de la navigation vaut accord au dépôt de cookies.", "continuing to browse"),
    (
        "La poursuite de votre navigation vaut acceptation de l’utilisation des cookies.",
        "continuing to browse",
    ),
    (
        "Le fait de poursuivre votre navigation vaut consentement au dépôt des traceurs.",
        "continuing to browse",
    ),
    # si vous continuez à naviguer
    (
        "Si vous continuez à naviguer sur ce site, nous considérerons que vous acceptez l’utilisation des cookies.",
        "continuing to browse",
    ),
    ("Si vous continuez à naviguer, des cookies seront déposés sur votre terminal.", "continuing to browse"),
    # scrolling, closing, using the site (French)
    ("En faisant défiler cette page, vous acceptez les cookies.", "scrolling"),
    ("En fermant ce bandeau, vous acceptez le dépôt de cookies.", "closing the banner"),
    ("En utilisant ce site, vous acceptez l’utilisation des cookies.", "merely using the site"),
]


@pytest.mark.parametrize(("sentence", "act"), FLAGGED, ids=[s[:50] for s, _ in FLAGGED])
def test_consent_by_browsing_is_flagged(sentence, act):
    found = in_doc(sentence)
    assert len(found) == 1, sentence
    f = found[0]
    assert f.line == LINE and f.column == 1
    assert f.severity == "error" and f.name == "consent-by-browsing"
    assert f"treats {act} as consent" in f.message
    assert sentence[:30] in f.message  # quotes the sentence


NOT_FLAGGED = [
    # continued browsing is NOT consent
    "Continuing to browse does not mean that you accept cookies.",
    "Continuing to browse the site does not constitute consent to cookies.",
    "Scrolling or closing the banner is never treated as consent to cookies.",
    "Your continued use of the site is not considered as consent to cookies.",
    "La poursuite de la navigation ne vaut pas consentement au dépôt de cookies.",
    "Votre consentement aux cookies est recueilli sans que la simple poursuite de la navigation puisse valoir accord.",
    "La simple poursuite de la navigation sur un site ne peut plus être regardée comme une expression valide du "
    "consentement aux cookies.",
    "Si vous fermez le bandeau, nous considérons que vous refusez les cookies.",
    "If you close the banner without making a choice, we consider that you refuse non-essential cookies.",
    # "continue without accepting": the reject option
    "You can accept all cookies, or continue browsing without accepting them.",
    "Vous pouvez accepter les cookies ou continuer sans accepter.",
    "Cliquez sur « Continuer sans accepter » pour refuser les cookies.",
    "If you continue to browse without accepting, only strictly necessary cookies will be set.",
    # agreeing to terms, not to cookies
    "By continuing, you agree to our Terms of Use.",
    "By continuing to use the site you agree to our Terms and Conditions.",
    # using the site after refusing
    "You can continue to use the site if you refuse cookies.",
    "If you refuse cookies, you can still continue to browse the site.",
    "If you do not accept cookies, you can continue to use our website.",
    "Si vous ne les autorisez pas, vous pouvez continuer à utiliser nos Plateformes.",
    # consent asked by a real act
    "We continually review the cookies we use and ask for your consent before setting them.",
    "When you first visit our site, a banner asks you to accept or refuse cookies.",
    "When you visit our website, you can accept cookies by clicking “Accept”.",
    "We set these cookies only if you click “Accept”, and you can continue to browse either way.",
    "If you continue browsing, only strictly necessary cookies are set until you accept the others.",
    "You can withdraw any consent to the use of cookies by visiting our Cookie Settings.",
]


@pytest.mark.parametrize("sentence", NOT_FLAGGED, ids=[s[:50] for s in NOT_FLAGGED])
def test_not_consent_by_browsing_is_not_flagged(sentence):
    assert in_doc(sentence) == [], sentence


def test_one_finding_per_sentence_at_its_line_and_duplicates_dropped():
    text = (
        "By continuing to browse this site, you agree to our use of cookies. We use them for\n"
        "statistics. By continuing to browse this site, you agree to our use of cookies.\n"
        "Scrolling down the page also constitutes consent to cookies.\n"
    )
    found = pl305(DOC.format(text=text))
    # the repeated sentence counts once; the scrolling sentence is its own finding, on its line
    assert [(f.line, f.column) for f in found] == [(LINE, 1), (LINE + 2, 1)]
    assert "scrolling" in found[1].message


def test_a_pronoun_refers_to_the_cookies_of_the_block_only():
    # "accept them": the block is about cookies
    assert (
        len(
            in_doc("A banner informs you of our cookies. They are set if you accept them or if you continue.")
        )
        == 1
    )
    # nothing about cookies in the block: agreeing to "them" is agreeing to something else
    assert in_doc("Our terms apply. By continuing, you accept them.") == []


def test_html_and_text_documents():
    html = (
        "<html><body><h1>Politique cookies</h1>\n<p>Mise à jour : 3 mars 2025.</p>\n"
        "<p>En poursuivant votre navigation sur ce site, vous acceptez l'utilisation de cookies.</p>\n"
        "</body></html>\n"
    )
    found = pl305(html, "policy.html")
    assert [f.line for f in found] == [3]
    txt = "COOKIE POLICY\n\nBy using this website, you consent to our use of cookies.\n"
    assert [f.line for f in pl305(txt, "policy.txt")] == [3]


def test_the_word_continually_and_a_policy_without_the_words():
    assert in_doc("We continually improve how we ask for your consent to cookies.") == []
    assert in_doc("We use cookies only with your consent, which you give by clicking “Accept”.") == []


# --- the corpus ------------------------------------------------------------------------------

# Every PL305 in the corpus, read by hand (file -> line):
# - Mailjet: "They are only deposited if you accept them or if you continue your navigation on the
#   site by visiting a second page of www.mailjet.com."
# - Ethereum: "By continuing to browse the Websites, you are agreeing to our use of cookies as well
#   as the terms of this policy"
# - Waze: "Your continued use of our website constitutes your agreement to this Cookie Policy and
#   any updates." (in its section on changes that "significantly impact the way we use cookies")
CORPUS_HITS = {
    "Mailjet__cookie-policy__2023-10-05.md": 89,
    "Mailjet__cookie-policy__2023-12-05.md": 38,
    "Ethereum__cookie-policy__2026-06-26.md": 3,
    "Waze__cookie-policy__2024-05-23.md": 84,
    "Waze__cookie-policy__2025-05-29.md": 65,
    # "When browsing this website and using the services relying on Google™ Maps API cookies, you
    # consent to the storage, collection of such cookies on your device and to the access, usage
    # and sharing by Google of the data collected thereby."
    "Tinder__cookie-policy__2026-08-14.html": 139,
}


def _corpus() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not available")
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".md", ".html", ".txt"))


@pytest.mark.parametrize(
    "name", ["Mailjet__cookie-policy__2023-10-05.md", "Mailjet__cookie-policy__2023-12-05.md"]
)
def test_mailjet_continue_your_navigation(name):
    path = CORPUS / name
    if not path.is_file():
        pytest.skip("the shared corpus is not available")
    found = [f for f in lint(path, config={"select": ["PL305"]}).findings if f.rule == "PL305"]
    assert [f.line for f in found] == [CORPUS_HITS[name]]
    assert "continue your navigation" in found[0].message


def test_corpus_hits_are_exactly_the_reviewed_ones():
    got = {}
    for path in _corpus():
        found = [f for f in lint(path, config={"select": ["PL305"]}).findings if f.rule == "PL305"]
        if found:
            got[path.name] = [f.line for f in found]
    assert got == {name: [line] for name, line in CORPUS_HITS.items()}


# --- an independent review's sentences -------------------------------------------------------
# Written by a reviewer from real banners and policies (WordPress plugin defaults, BBC/ICO-era and
# CNIL-era wording) without reading the patterns: (flagged?, format, sentence).
REVIEW = [
    (True, "md", "By continuing to use our site you consent to the placement of cookies."),
    (True, "md", "Continued use of this website will be taken as acceptance of our cookie policy."),
    (True, "md", "En poursuivant votre navigation sur ce site, vous acceptez l'utilisation de cookies."),
    (
        True,
        "html",
        "This website uses cookies to improve your experience. We'll assume you're ok with this, but you can opt-out if you wish.",
    ),
    (True, "md", "This site uses cookies. By browsing you agree to our use of cookies."),
    (
        True,
        "md",
        "We use cookies to give you the best possible experience. If you continue without changing your settings, we'll assume that you are happy to receive all cookies on this website.",
    ),
    (True, "md", "By continuing to browse, you accept the use of cookies."),
    (True, "md", "By using this site you agree to our use of cookies"),
    (
        True,
        "html",
        "By using our website, you consent to our use of cookies in accordance with this Cookie Policy.",
    ),
    (True, "html", "By clicking any link on this page you are giving your consent for us to set cookies."),
    (True, "md", "Closing this banner or scrolling the page constitutes acceptance of cookies."),
    (
        True,
        "md",
        "By scrolling this page, clicking a link or continuing to browse otherwise, you agree to the use of cookies.",
    ),
    (
        True,
        "md",
        "En continuant à naviguer sur ce site, vous acceptez l'utilisation de cookies pour vous proposer des contenus adaptés à vos centres d'intérêts.",
    ),
    (
        True,
        "html",
        "Si vous poursuivez votre navigation sur ce site, vous acceptez le dépôt de cookies sur votre terminal.",
    ),
    (True, "txt", "La poursuite de votre navigation vaut acceptation de l'usage des cookies."),
    (True, "md", "En fermant ce bandeau ou en continuant à naviguer, vous consentez au dépôt de cookies."),
    (True, "md", "En poursuivant la navigation, vous serez réputé avoir accepté l'utilisation des traceurs."),
    (True, "md", "Vous acceptez l'utilisation de cookies en poursuivant votre navigation."),
    (True, "txt", "Le fait de continuer à naviguer sur ce site emporte votre acceptation des cookies."),
    (
        True,
        "txt",
        "Your continued use of our website signifies your agreement to our use of cookies as described in this policy.",
    ),
    (
        True,
        "md",
        "By navigating our site, you agree to the storing of cookies on your device to enhance site navigation, analyse site usage and assist in our marketing efforts.",
    ),
    (
        True,
        "html",
        "Please note that by continuing to browse or closing this window, you accept the use of cookies.",
    ),
    (True, "txt", "You agree to our use of cookies if you continue to use this website."),
    (
        True,
        "md",
        "We use cookies to analyse traffic and show personalised ads. Continuing to browse means you accept this.",
    ),
    (
        True,
        "html",
        "We use cookies to ensure that we give you the best experience on our website. If you continue to use this site we will assume that you are happy with it.",
    ),
    (
        True,
        "txt",
        "Privacy & Cookies: This site uses cookies. By continuing to use this website, you agree to their use.",
    ),
    (
        True,
        "md",
        "Cookies help us deliver our services. By using our services, you agree to our use of cookies.",
    ),
    (True, "md", "Continuing to use the site implies your consent to cookies being placed on your device."),
    (
        True,
        "md",
        "If you continue browsing, analytics and advertising cookies will be placed on your device.",
    ),
    (True, "md", "Your use of the site constitutes consent to the use of cookies."),
    (
        True,
        "html",
        "By accessing this website, you consent to the use of cookies in accordance with our Cookie Policy.",
    ),
    (True, "md", "By staying on this website, you accept cookies."),
    (True, "md", "Scrolling down the page counts as consent to our cookies."),
    (True, "md", "Dismissing this notice will be treated as your consent to the use of cookies."),
    (True, "html", "Using this site means you accept our use of cookies and similar technologies."),
    (
        True,
        "html",
        "En utilisant ce site, vous acceptez l'utilisation des cookies à des fins de statistiques et de publicité.",
    ),
    (
        True,
        "md",
        "Sans action de votre part, vous êtes réputé accepter les cookies si vous poursuivez votre navigation.",
    ),
    (
        True,
        "html",
        "Nous utilisons des cookies pour vous garantir la meilleure expérience sur notre site web. Si vous continuez à utiliser ce dernier, nous considérerons que vous acceptez l'utilisation des cookies.",
    ),
    (
        True,
        "md",
        "Nous utilisons des cookies pour vous garantir la meilleure expérience sur notre site web. Si vous continuez à utiliser ce site, nous supposerons que vous en êtes satisfait.",
    ),
    (True, "txt", "Ce site utilise des cookies. En naviguant sur ce site, vous acceptez leur utilisation."),
    (
        True,
        "md",
        "By continuing your visit to this site, you accept the use of cookies to offer you targeted advertising, share content on social networks and compile visit statistics.",
    ),
    (True, "md", "We use cookies on this website. If you're happy with that, simply continue browsing."),
    (True, "md", "By remaining on this website you indicate your consent to our use of cookies."),
    (True, "html", "This site uses cookies. By continuing to browse, you agree to this."),
    (False, "md", "Continuing to browse does not mean you accept our cookies."),
    (False, "md", "Click 'Continue without accepting' to refuse all non-essential cookies."),
    (False, "md", "You can continue to use the site if you refuse cookies."),
    (False, "md", "By clicking 'Accept all', you consent to the use of all cookies described below."),
    (False, "md", "By using our services you agree to our Terms of Service."),
    (False, "md", "If you continue to experience problems with cookies, contact us at privacy@acme.example."),
    (False, "md", "We obtain your consent before placing cookies; you can withdraw it at any time."),
    (False, "md", "La poursuite de la navigation ne vaut pas consentement au dépôt de cookies."),
    (False, "md", "If you continue browsing, only strictly necessary cookies will be placed on your device."),
    (
        False,
        "md",
        "By clicking 'Accept', you consent to analytics cookies; by clicking 'Reject', you refuse them.",
    ),
    (False, "md", "Simply continuing to browse or scrolling will not be treated as consent to cookies."),
    (False, "html", "En cliquant sur « Tout accepter », vous consentez au dépôt de cookies publicitaires."),
    (
        False,
        "md",
        "Vous pouvez continuer à naviguer sans accepter les cookies en cliquant sur « Continuer sans accepter ».",
    ),
    (
        False,
        "md",
        "If you close the banner without making a choice, we will not set any non-essential cookies.",
    ),
    (False, "md", "Closing the cookie banner is treated as a refusal: only essential cookies are used."),
    (
        False,
        "md",
        "We used to treat continued browsing as consent to cookies, but since 2021 we ask for your explicit agreement.",
    ),
    (
        False,
        "md",
        "If we change these Terms, your continued use of the service means you accept the revised Terms.",
    ),
    (
        False,
        "md",
        "You can accept or refuse cookies at any time by clicking the 'Cookie settings' link at the bottom of any page.",
    ),
    (False, "md", "Analytics cookies are set only if you click 'Accept analytics' in the banner."),
    (
        False,
        "md",
        "Consent to analytics cookies is given by clicking 'Allow analytics'; scrolling or closing the banner has no effect.",
    ),
    (False, "html", "When you visit our site, a banner asks you to accept or reject non-essential cookies."),
    (
        False,
        "md",
        "If you continue to browse without accepting, we will only use cookies that are strictly necessary.",
    ),
    (False, "md", "By proceeding to checkout, you agree to our Terms of Sale."),
    (
        False,
        "md",
        "Si vous continuez à rencontrer des difficultés avec les cookies, contactez notre délégué à la protection des données.",
    ),
    (
        False,
        "html",
        "Le simple fait de poursuivre votre navigation ne sera pas considéré comme un consentement au dépôt de cookies.",
    ),
    (
        False,
        "md",
        "Nous ne déposons des cookies de mesure d'audience qu'après avoir recueilli votre consentement.",
    ),
    (
        False,
        "md",
        "Si vous poursuivez votre navigation, seuls les cookies strictement nécessaires au fonctionnement du site seront déposés.",
    ),
    (
        False,
        "txt",
        "Cookies that are strictly necessary are set when you browse the site; they do not require consent.",
    ),
    (False, "md", "By using the cookie settings panel, you can accept or reject each category of cookies."),
    (
        False,
        "md",
        "If you accept cookies and then continue browsing, you can change your mind at any time in Cookie settings.",
    ),
    (
        False,
        "md",
        "We will ask for your consent to cookies again if you continue to use the site after 13 months.",
    ),
    (
        False,
        "md",
        "Rejecting cookies is as easy as accepting them: use the 'Reject all' button, or simply close the banner to refuse.",
    ),
    (False, "md", "By continuing to use the site, you agree to our Terms of Use and Privacy Policy."),
    (
        False,
        "md",
        "You may continue browsing: the banner stays visible until you make a choice, and no optional cookies are set in the meantime.",
    ),
    (
        False,
        "html",
        "We do not consider that continuing to browse, scrolling or closing the banner means that you consent to cookies.",
    ),
    (
        False,
        "md",
        "Under the CNIL guidelines, continuing to browse can no longer be regarded as valid consent to cookies.",
    ),
    (False, "md", 'Some websites claim that "by continuing to browse, you accept cookies"; we do not.'),
    (
        False,
        "md",
        "If you continue to the payment page, our payment provider Stripe sets fraud-prevention cookies, which are strictly necessary.",
    ),
    (False, "md", "By ticking the box, you agree that we may place marketing cookies on your device."),
    (False, "md", "En naviguant sur ce site, vous pouvez accepter ou refuser les cookies via le bandeau."),
    (
        False,
        "md",
        "Users who close the banner without choosing are asked again on their next visit; until then, no cookies other than essential ones are set.",
    ),
    (
        False,
        "md",
        "Tant que vous n'avez pas donné votre consentement, la poursuite de votre navigation n'entraîne le dépôt d'aucun cookie non essentiel.",
    ),
    (
        False,
        "md",
        "If you continue to use our site after rejecting cookies, we will set a single cookie to remember your refusal.",
    ),
    (False, "txt", "By using our website you acknowledge that you have read this Cookie Policy."),
    (
        False,
        "md",
        "By continuing to browse, you accept the strictly necessary cookies without which the site cannot work.",
    ),
    (
        False,
        "html",
        "Continuing to browse without clicking 'Accept' is not consent: we set no analytics cookies until you accept them.",
    ),
]


def _wrapped(fmt: str, sentence: str) -> tuple[str, str]:
    if fmt == "html":
        import html

        body = f"<p>{html.escape(sentence, quote=False)}</p>"
        return (
            "policy.html",
            f"<html><body><h1>Cookie Policy</h1><p>Acme Ltd runs acme.example.</p>{body}</body></html>",
        )
    if fmt == "txt":
        return "policy.txt", f"COOKIE POLICY\n\nAcme Ltd runs acme.example.\n\n{sentence}\n"
    return "policy.md", DOC.format(text=sentence)


@pytest.mark.parametrize(("flagged", "fmt", "sentence"), REVIEW, ids=[s[:50] for _, _, s in REVIEW])
def test_review_sentences(flagged: bool, fmt: str, sentence: str) -> None:
    name, text = _wrapped(fmt, sentence)
    assert bool(pl305(text, name)) is flagged


def test_the_extraction_records_the_sentence_as_an_implied_consent_claim():
    from policylint.api import extract

    policy = extract("policy.md", text=DOC.format(text="By scrolling this page, you accept our cookies."))
    assert [
        (c.kind, c.subject, c.polarity, c.line) for c in policy.claims if c.kind == "implied_consent"
    ] == [("implied_consent", "scrolling", True, LINE)]


# --- a second review: misses and false alarms it found ---------------------------------------

SECOND_REVIEW = [
    (True, "Use of this site signifies your consent to our use of cookies."),
    (True, "La fermeture du bandeau vaut acceptation des cookies."),
    (
        True,
        "When browsing this website and using the services relying on Google Maps API cookies, "
        "you consent to the storage of cookies by Google.",
    ),
    (True, "Dismissing this notice indicates your acceptance of cookies."),
    (False, "If you continue to use the site after accepting, we will set analytics cookies."),
    (
        False,
        "Some websites claim that by continuing to browse you accept their cookies; the CNIL says "
        "this is not valid consent.",
    ),
]


@pytest.mark.parametrize(("flagged", "sentence"), SECOND_REVIEW, ids=[s[:50] for _, s in SECOND_REVIEW])
def test_second_review_sentences(flagged: bool, sentence: str) -> None:
    assert bool(in_doc(sentence)) is flagged


@pytest.mark.parametrize(
    ("sentence", "act"),
    [
        ("Continuing to browse is never treated as consent to cookies.", "continued_browsing"),
        ("Continuing to browse does not mean you accept our cookies.", "continued_browsing"),
        ("La poursuite de la navigation ne vaut pas consentement au dépôt de cookies.", "continued_browsing"),
        ("We do not consider that by scrolling you consent to cookies.", "scrolling"),
    ],
)
def test_a_denial_is_a_protective_claim_not_a_finding(sentence: str, act: str) -> None:
    from policylint.api import extract

    text = DOC.format(text=sentence)
    claims = [
        (c.subject, c.polarity) for c in extract("policy.md", text=text).claims if c.kind == "implied_consent"
    ]
    assert claims == [(act, False)] and pl305(text) == []


def test_withdrawing_the_denial_is_a_material_change(tmp_path):
    from policylint.api import diff

    old = DOC.format(text="Continuing to browse is never treated as consent to cookies.")
    new = DOC.format(text="We ask for your consent to cookies in the banner.")
    (tmp_path / "old.md").write_text(old)
    (tmp_path / "new.md").write_text(new)
    r = diff(tmp_path / "old.md", tmp_path / "new.md")
    removed = [c for c in r.changes if c.kind == "claim_removed"]
    assert r.material and removed and removed[0].material
