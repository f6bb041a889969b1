"""Property-based tests: random and mutated documents through load → extract → check → diff.

Mutations of the bundled samples (tags deleted, table rows shuffled, placeholders
injected, random bytes inserted, truncation) and random bytes or text must never
raise; findings point at lines of the input; extraction is deterministic; a document
diffed with itself has no changes; re-ordering a table's rows is not a material change.

Sized to run in well under a minute (``--hypothesis-show-statistics`` prints how
many cases ran).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from policylint.api import diff, lint, load_bytes
from policylint.extraction import extract_policy
from policylint.model import to_json

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_FILES = sorted(
    p for p in SAMPLES.iterdir() if p.suffix in (".md", ".html", ".txt") and p.name != "README.md"
)
SAMPLE_BYTES = {p.name: p.read_bytes() for p in SAMPLE_FILES}

# fmt: off
PLACEHOLDERS = [
    b"[TO BE COMPLETED]", b"{{company_name}}", b"<COMPANY NAME>", b"TODO", b"XXX", b"[INSERT DATE]",
    b"[DATE]", b"___", b"lorem ipsum", b"{% include x %}", b"${DOMAIN}", b"(link)", b"[cookie name]",
]
# fmt: on
def budget(n: int) -> settings:
    """``n`` examples, no per-example deadline (a 15 KB sample takes ~0.1 s to lint)."""
    return settings(
        max_examples=n,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---------------------------------------------------------------------------------------------
# Strategies


@st.composite
def mutation(draw, data: bytes) -> bytes:
    kind = draw(
        st.sampled_from(
            ["delete-tag", "shuffle-rows", "placeholder", "random-bytes", "truncate", "delete-line"]
        )
    )
    if kind == "delete-tag":
        tags = [m.span() for m in re.finditer(rb"</?[A-Za-z][^<>]{0,200}>|[|#*`>\-]{1,3}", data)]
        if tags:
            a, b = draw(st.sampled_from(tags))
            return data[:a] + data[b:]
        return data
    if kind == "shuffle-rows":
        lines = data.split(b"\n")
        spans = table_row_spans(lines)
        if spans:
            a, b = draw(st.sampled_from(spans))
            lines[a:b] = draw(st.permutations(lines[a:b]))
        return b"\n".join(lines)
    at = draw(st.integers(0, len(data)))
    if kind == "placeholder":
        return data[:at] + draw(st.sampled_from(PLACEHOLDERS)) + data[at:]
    if kind == "random-bytes":
        return data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at:]
    if kind == "truncate":
        return data[:at]
    # delete-line
    lines = data.split(b"\n")
    if len(lines) > 1:
        del lines[draw(st.integers(0, len(lines) - 1))]
    return b"\n".join(lines)


@st.composite
def mutated_sample(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SAMPLE_BYTES)))
    data = SAMPLE_BYTES[name]
    for _ in range(draw(st.integers(1, 4))):
        data = draw(mutation(data))
    return name, data


# Random documents: bytes, or text with the characters markup is made of.
MARKUP = st.sampled_from(
    list("<>/|#*`[](){}:-_=\"'!&;\n\t ") + ["<p>", "<td>", "<tr>", "<!--", "-->", "| --- |"]
)
random_text = st.lists(st.one_of(MARKUP, st.text(max_size=12)), max_size=200).map("".join)
random_document = st.tuples(
    st.sampled_from(["x.md", "x.html", "x.txt", "x"]),
    st.one_of(st.binary(max_size=2000), random_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
)


def table_row_spans(lines: list[bytes]) -> list[tuple[int, int]]:
    """(start, end) of each run of 2+ table body rows: Markdown/text pipe rows, HTML <tr> lines."""

    def is_row(line: bytes) -> bool:
        s = line.strip()
        return (s.startswith(b"<tr") and b"<td" in s) or (
            b"|" in s and not re.fullmatch(rb"[\s|:\-]+", s) and not s.startswith(b"<")
        )

    spans, i = [], 0
    while i < len(lines):
        if is_row(lines[i]):
            j = i
            while j < len(lines) and is_row(lines[j]):
                j += 1
            # Skip the header row (the first row of a pipe table; <th> rows are not rows here).
            start = i + 1 if b"<tr" not in lines[i] else i
            if j - start >= 2:
                spans.append((start, j))
            i = j
        else:
            i += 1
    return spans


# ---------------------------------------------------------------------------------------------
# Properties


def _check_pipeline(name: str, data: bytes) -> None:
    doc = load_bytes(name, data)
    n = max(1, len(doc.lines))
    result = lint(name, text=data)
    assert result.error is None
    for f in result.findings:
        assert 1 <= f.line <= n, (f.rule, f.line, n)
        assert f.end_line is None or f.line <= f.end_line <= n, (f.rule, f.end_line, n)
    for block in doc.blocks:
        assert 1 <= block.line <= block.end_line <= n, (block.kind, block.line, block.end_line, n)
    first = to_json(extract_policy(doc))
    again = to_json(extract_policy(load_bytes(name, data)))
    assert first == again  # deterministic
    for item in first["cookies"]:
        assert item["line"] is None or 1 <= item["line"] <= n, item


@budget(500)
@given(mutated_sample())
def test_mutated_samples_never_break_the_pipeline(case: tuple[str, bytes]) -> None:
    _check_pipeline(*case)


@budget(1000)
@given(random_document)
def test_random_documents_never_break_the_pipeline(case: tuple[str, bytes]) -> None:
    _check_pipeline(*case)


@budget(200)
@given(mutated_sample())
def test_a_document_diffed_with_itself_has_no_changes(case: tuple[str, bytes]) -> None:
    name, data = case
    result = diff(load_bytes(name, data), load_bytes(name, data))
    assert not result.material
    assert result.changes == []
    assert [f.rule for f in result.findings] == []


TABLE_SAMPLES = sorted(n for n, d in SAMPLE_BYTES.items() if table_row_spans(d.split(b"\n")))


@budget(200)
@given(st.sampled_from(TABLE_SAMPLES), st.data())
def test_reordering_table_rows_is_not_material(name: str, data) -> None:
    lines = SAMPLE_BYTES[name].split(b"\n")
    a, b = data.draw(st.sampled_from(table_row_spans(lines)))
    shuffled = list(lines)
    shuffled[a:b] = data.draw(st.permutations(lines[a:b]))
    assume(shuffled != lines)
    result = diff(load_bytes(name, SAMPLE_BYTES[name]), load_bytes(name, b"\n".join(shuffled)))
    assert not result.material, [(c.kind, c.subject, c.reason) for c in result.material_changes]


def test_the_strategies_reach_every_sample_and_table() -> None:
    assert len(SAMPLE_FILES) >= 10
    assert {"adtech-big.html", "blog-v1.txt", "shop-v1.md", "placeholders.txt"} <= set(TABLE_SAMPLES)
