"""The prefilters of the check files only skip work, never change a finding.

Checks look for the literals a pattern needs (``TextIndex.with_any`` over a whole document,
``has_any`` on one text) before running it, and PL303 searches only near the words its patterns
need. A pattern edited without its literals would silently stop matching: with every prefilter
turned off, each rule must give the same findings on every sample and corpus document, on its
own examples, and on texts with placeholders, broken links, references and blank values written
into them; PL303's search near its words must agree with a search of the whole text.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint.api import load_document
from policylint.checks_api import Context
from policylint.checks_lib import TextIndex
from policylint.engine import discover
from policylint.extraction import extract_policy

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLES = sorted(
    p for p in (ROOT / "samples").iterdir() if p.suffix in (".md", ".html", ".txt") and p.stem != "README"
)
DOCS = list(SAMPLES)
if CORPUS.is_dir():
    DOCS += sorted(p for p in CORPUS.iterdir() if p.suffix in (".md", ".html", ".txt"))
RULES = [r for r in discover() if r.func is not None and r.scope != "diff"]

# Text each check's patterns look for, written into the samples at random places.
# fmt: off
SNIPPETS = [
    "[TO BE COMPLETED]", "{{company_name}}", "<COMPANY NAME>", "TODO", "XXX", "[INSERT DATE]", "lorem ipsum",
    "${DOMAIN}", "%SITE_NAME%", "DD/MM/YYYY", "XX months", "à compléter", "to be confirmed", "Insert the name here",
    "TBA", "??", "section 12", "article 4 and 7", "Email: .", "our DPO ( ) .", "htps://x.example",
    "http//x.example", "[x](#)", "[y](htttps://a.b)", '<a href="hhttps://a.b">x</a>', "all cookies expire after 13 months.",
    "We do not use any cookies.", "`_ga_abc`", "We never share your data with third parties.",
    "data are not combined with other processing.", "25 mois", "\u00a0.", "\n\n", "## 2. Cookies\n",
]
# fmt: on


def _findings(path: Path, text: str | None = None) -> dict[str, list[dict]]:
    doc = load_document(path, text=text) if text is not None else load_document(path)
    policy = extract_policy(doc)
    out = {}
    for rule in RULES:
        ctx = Context(document=doc, policy=policy, code=rule.code, name=rule.name, severity=rule.severity)
        out[rule.code] = [dataclasses.asdict(f) for f in rule.func(ctx) or ()]
    return out


def _without_prefilters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TextIndex, "with_any", lambda self, words: set(range(len(self))))
    for rule in RULES:
        if hasattr(rule.module, "has_any"):
            monkeypatch.setattr(rule.module, "has_any", lambda text, words: True)
        if hasattr(rule.module, "_NamedVendors"):
            monkeypatch.setattr(rule.module._NamedVendors, "_may_be_in_text", lambda self, name: True)
        if hasattr(rule.module, "_matches_near"):
            monkeypatch.setattr(
                rule.module, "_matches_near", lambda rx, text, *_: rx.search(text) is not None
            )


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_checks_find_the_same_without_prefilters(path, monkeypatch):
    with_filters = _findings(path)
    _without_prefilters(monkeypatch)
    assert _findings(path) == with_filters


@pytest.mark.parametrize("seed", range(4))
def test_checks_find_the_same_without_prefilters_on_edited_samples(seed, monkeypatch):
    rng = random.Random(seed)
    edited = []
    for path in SAMPLES:
        text = path.read_text(encoding="utf-8")
        for _ in range(12):
            pos = rng.randint(0, len(text))
            text = text[:pos] + rng.choice(SNIPPETS) + text[pos:]
        edited.append((path, text))
    with_filters = [_findings(path, text) for path, text in edited]
    _without_prefilters(monkeypatch)
    assert [_findings(path, text) for path, text in edited] == with_filters


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_checks_find_the_same_without_prefilters_on_the_rule_examples(rule, monkeypatch):
    ext = {"markdown": ".md", "html": ".html", "text": ".txt"}[rule.format]
    examples = [rule.failing, rule.passing]
    with_filters = [_findings(Path(f"example{ext}"), text) for text in examples]
    _without_prefilters(monkeypatch)
    assert [_findings(Path(f"example{ext}"), text) for text in examples] == with_filters


@pytest.mark.parametrize(
    "sentence",
    [
        "We do not use any cookies.",
        "This website doesn't set trackers.",
        "Our app uses no cookies.",
        "Nous n'utilisons aucun cookie.",
        "Aucun traceur n'est déposé.",
        "We never place cookies to track you.",
    ],
)
def test_pl004_finds_the_same_without_prefilters(sentence, monkeypatch):
    # PL004 reads only documents that list no item: its own failing example, saying it sets none.
    rule = next(r for r in RULES if r.code == "PL004")
    text = f"{rule.failing}\n{sentence}\n"
    with_filters = _findings(Path("example.md"), text)
    _without_prefilters(monkeypatch)
    assert _findings(Path("example.md"), text) == with_filters


@pytest.mark.parametrize("ext", [".md", ".html", ".txt"])
def test_checks_find_the_same_without_prefilters_on_each_snippet_alone(ext, monkeypatch):
    # Each snippet a paragraph and a table cell of its own: no other text of its unit can let
    # a pattern run that a wrong literal would have skipped.
    if ext == ".html":
        body = "".join(f"<p>{s}</p>\n" for s in SNIPPETS)
        rows = "".join(f"<tr><td>_c{i}</td><td>{s}</td></tr>\n" for i, s in enumerate(SNIPPETS))
        text = f"<h1>Cookie policy</h1>\n{body}<table><tr><th>Cookie</th><th>Duration</th></tr>\n{rows}</table>\n"
    else:
        rows = "".join(f"| _c{i} | {s.strip()} |\n" for i, s in enumerate(SNIPPETS))
        text = (
            "# Cookie policy\n\n"
            + "\n\n".join(SNIPPETS)
            + "\n\n| Cookie | Duration |\n| --- | --- |\n"
            + rows
        )
    with_filters = _findings(Path(f"snippets{ext}"), text)
    _without_prefilters(monkeypatch)
    assert _findings(Path(f"snippets{ext}"), text) == with_filters


# The words of PL303's conditions and text around them: negations, verbs, third parties,
# durations, sentence ends, and fillers of every length up to beyond the patterns' limits.
# fmt: off
_PL303_WORDS = [
    "not", "never", "no", "ne", "n'", "pas", "ni", "jamais", "aucune", "without", "sans", "shar", "transmi",
    "communiqu", "disclos", "transfer", "sold", "tiers", "third", "partner", "other organizations",
    "sous-traitant", "processor", "contrat", "contract", "recoup", "combin", "cross-referenc", "crois",
    "merg", "linked with other", "associees a d'autres", "13 mois", "13 months", "thirteen months",
    "treize mois", "13-month", "25 months", "twenty-five months", "vingt cinq mois", "25-month",
    ".", ";", " ", "x", "1", "é", "_", "-", "\n",
]
# fmt: on
_PL303_PART = st.one_of(
    st.sampled_from(_PL303_WORDS),
    st.integers(0, 70).map(lambda n: "y" * n),
    st.integers(0, 70).map(lambda n: " " * n),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PL303_PART, max_size=12))
def test_pl303_searches_near_its_words_as_in_the_whole_text(parts):
    module = next(r.module for r in RULES if r.code == "PL303")
    text = "".join(parts)
    for key, _, rx in module._CONDITIONS:
        near = module._CONDITION_WORDS.get(key)
        if near:
            assert module._matches_near(rx, text, *near) == (rx.search(text) is not None), key


def test_pl303_searches_near_its_words_up_to_the_patterns_limits():
    # The longest negation, verb and third party with gaps of every length around the limits
    # ("[^.;]{0,50}", "{0,40}", "{0,60}"): the windows must hold every match there is.
    module = next(r.module for r in RULES if r.code == "PL303")
    conditions = {key: rx for key, _, rx in module._CONDITIONS}
    texts = []
    for neg in ("without", "n'", "no"):
        for gap in range(0, 53):
            texts.append(f"x {neg}{' ' * gap}associees a d'autres y")
            texts.append(f"x {neg}{' ' * gap}cross referenc")
            for gap2 in (0, 20, 38, 39, 40, 41):
                texts.append(f"{neg}{' ' * gap}communiqu{' ' * gap2}other organizations.")
    texts += [f"sous-traitant{' ' * gap}contract" for gap in range(0, 63)]
    texts += ["twenty-five months", "vingt cinq mois", "13 monthsx", "x13 months", "a 13 months b"]
    for text in texts:
        for key, near in module._CONDITION_WORDS.items():
            rx = conditions[key]
            assert module._matches_near(rx, text, *near) == (rx.search(text) is not None), (key, text)


# --- PL201: the vendors the text names, looked for only when a vendor's words are in it ----------

_PL201_DOC = """\
# Cookie policy

We use the cookies below.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _ga | | Statistics | 13 months |
| _hjid | | Heatmaps | 1 year |
| kampyle_userid | | Surveys | 1 year |
| MUID | | Ads | 1 year |

{mention}
"""


@pytest.mark.parametrize(
    "mention",
    [
        "",
        "We use Google Analytics and Hotjar.",
        "We use GOOGLE\n ANALYTICS, hotjar and MEDALLIA.",
        "Data goes to google-analytics.com and static.hotjar.com.",
        "See Google Analyticsx, xHotjar and kampyle_data.",
        "Kampyle runs our surveys; Bing Ads measures ads.",
        "We use Google Analytics (İstanbul office) and Hotjar.",
        "Microsoft and Google serve ads.",
    ],
)
def test_pl201_finds_the_same_without_prefilters(mention, monkeypatch):
    text = _PL201_DOC.format(mention=mention)
    with_filters = _findings(Path("vendors.md"), text)
    _without_prefilters(monkeypatch)
    assert _findings(Path("vendors.md"), text) == with_filters


def _pl201_named(text: str):
    """PL201's _NamedVendors of a document whose only mentions of vendors are in its text."""
    module = next(r.module for r in RULES if r.code == "PL201")
    doc = load_document(Path("t.md"), text=text)
    policy = extract_policy(doc)
    policy.third_parties, policy.cookies = [], []
    named = module._NamedVendors(Context(document=doc, policy=policy))
    named._text = "\n".join(b.text for b in doc.blocks)
    return named


def test_pl201_may_be_in_text_whenever_find_in_finds_the_vendor():
    # Every name, alias and domain of every vendor, as find_in would find it (other case, a line
    # break for a space, punctuation around): the prefilter must never rule the vendor out.
    from policylint.catalog import load_vendors

    vendors = load_vendors()
    module = next(r.module for r in RULES if r.code == "PL201")
    checked = 0
    for v in vendors:
        for form in (v.name, *v.aliases, *v.domains):
            for variant in (form, form.upper(), form.lower(), form.replace(" ", "\n  ")):
                text = f"Intro.\n({variant}), and more."
                found = {module.fold(x.name) for x, _ in vendors.find_in(text)}
                named = _pl201_named(text)
                for name in found:
                    assert named._may_be_in_text(name), (form, variant, name)
                    checked += 1
    assert checked > 500


def test_pl201_rules_out_a_vendor_whose_words_are_absent_or_inside_other_words():
    named = _pl201_named("# Cookies\n\nWe use kampyle_userid and xhotjar and Google Analyticsx.\n")
    assert not named._may_be_in_text("medallia")  # "kampyle" only inside a cookie name
    assert not named._may_be_in_text("hotjar")
    assert not named._may_be_in_text("google analytics")
    assert named._may_be_in_text("google")  # "Google" is a word of the text
    assert "medallia" not in named and "hotjar" not in named
    # A look-alike of an ASCII letter in the text: no conclusion from the words.
    named = _pl201_named("# Cookies\n\nİ\n")
    assert named._may_be_in_text("hotjar")


# --- PL105: the link-target pattern of the prefixes a line has -----------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "[a](htps://x.example) and [b](https//y.example)",
        '<a href="hhttps://x.example">x</a> <A HREF=ttps://y.example>y</A>',
        '[a](htps://x.example) <a href="http:/y.example">y</a>',
        "[a](https://x.example) plain https//z.example",
        "HrEf = 'htttps://x.example' and ](http:://y.example)",
        "no link at all",
    ],
)
def test_pl105_targets_of_a_line_as_with_both_prefixes(line):
    module = next(r.module for r in RULES if r.code == "PL105")
    md, href = "](" in line, "href" in line.lower()
    chosen = module._TARGET if md and href else module._MD_TARGET if md else module._HREF_TARGET
    expected = [(m.span(), m.span("url")) for m in module._TARGET.finditer(line)]
    if md or href:
        assert [(m.span(), m.span("url")) for m in chosen.finditer(line)] == expected
    else:
        assert expected == []
