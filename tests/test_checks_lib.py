"""The helpers shared by the check files (policylint.checks_lib) and by the report-writing commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from policylint.checks_lib import (  # noqa: E402
    TableGroups,
    TextIndex,
    and_more,
    describe_days,
    effective_category,
    exempt_claimed,
    fold,
    group_by,
    item_label,
    item_names,
    shorten,
    table_finder,
    text_units,
    title_line,
    unit_sources,
    unit_span,
)
from policylint.commands.output import output_clash, write_atomic  # noqa: E402
from policylint.model import Block, Cell, Document, Item  # noqa: E402


def table(line: int, rows: int) -> Block:
    return Block(
        "table",
        "t",
        line,
        end_line=line + 1 + rows,
        header=[Cell("Cookie", line)],
        rows=[[Cell(f"c{i}", line + 2 + i)] for i in range(rows)],
    )


BLOCKS = [
    Block("heading", "Cookie policy", 1, end_line=1, level=1),
    Block("heading", "Analytics", 3, end_line=3, level=2),
    table(5, 3),  # lines 5-9
    Block("paragraph", "_x: a cookie described in prose", 12, end_line=12),
]


def test_fold_lowers_strips_accents_and_straightens_apostrophes():
    assert fold("Durée\u00a0l’an") == "duree l'an"
    assert fold("ÉTÉ ‘Œuvre’ ﬁn") == "ete 'œuvre' fin"
    assert fold("Ελληνικά") == "ελληνικα"


def test_text_index_finds_the_texts_that_contain_a_word():
    texts = ["[TODO] a", "", "b", "ab", "a", "b TODO", "xx\nyy"]
    index = TextIndex(texts)
    assert len(index) == len(texts) and [index[i] for i in range(len(texts))] == texts
    assert index.with_any(("TODO",)) == {0, 5}
    assert index.with_any(("[", "yy")) == {0, 6}
    assert index.with_any(("ab",)) == {3}  # "a" then "b" of two texts: not one word
    assert index.with_any(("yy", "xx")) == {6}  # a text may hold a newline of its own
    assert index.with_any(("zz",)) == set() and TextIndex([]).with_any(("a",)) == set()
    with pytest.raises(ValueError):
        index.with_any(("a\nb",))
    with pytest.raises(ValueError):
        index.with_any(("",))


def test_text_index_lower_keeps_each_text_apart():
    # Final sigma depends on the letters around it: the join must not change it. "İ" lower-cases
    # to two characters, which moves the offsets of the texts after it.
    for texts in (["ΟΔΟΣ", "Σ", "ΑΣ Β", "ΣΑ"], ["İstanbul", "TODO", "Kelvin K", "ſ"]):
        low = TextIndex(texts).lower()
        assert [low[i] for i in range(len(texts))] == [t.lower() for t in texts]
        assert low.with_any(("todo",)) == {i for i, t in enumerate(texts) if "todo" in t.lower()}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="abAB Σσİı\n[é", max_size=8), max_size=8),
    st.lists(st.text(alphabet="abσ [é", min_size=1, max_size=3), min_size=1, max_size=3),
)
def test_text_index_is_a_test_per_text(texts, words):
    index, low = TextIndex(texts), TextIndex(texts).lower()
    assert index.with_any(words) == {i for i, t in enumerate(texts) if any(w in t for w in words)}
    assert low.with_any(words) == {i for i, t in enumerate(texts) if any(w in t.lower() for w in words)}
    assert [low[i] for i in range(len(texts))] == [t.lower() for t in texts]


def test_unit_sources_are_the_text_units():
    blocks = [*BLOCKS, Block("paragraph", "a\nb", 14, end_line=13), table(20, 0)]
    doc = Document("d.md", "markdown", [""] * 30, blocks)
    units = unit_sources(doc)
    assert [(u.text, *unit_span(u)) for u in units] == [(t, a, b) for t, a, b, _ in text_units(doc)]


def test_name_lists():
    items = [Item(name=n) for n in ("a", "b", "c", "d", "e")]
    assert item_names(items, 3) == "`a`, `b`, `c` and 2 more"
    assert item_names(items[:2], 3) == "`a`, `b`"
    assert and_more(["x (1 day)"], 4) == "x (1 day) and 3 more"
    assert item_label(Item(name="_ga", provider="Google")) == "`_ga` (Google)"
    assert item_label(Item(name="_ga")) == "`_ga`"


def test_shorten_and_days():
    assert shorten("a  b\nc", 90) == "a b c"
    assert shorten("x" * 100, 10) == "x" * 7 + "…"
    assert describe_days(730) == "2 years"
    assert describe_days(800) == "800 days (about 2 years)"
    assert describe_days(90) == "90 days (about 3 months)"


def test_table_finder_and_title():
    find = table_finder(BLOCKS)
    assert find(7).line == 5 and find(9).line == 5
    assert find(12) is None and find(4) is None
    doc = Document(path="t.md", format="markdown", lines=[""] * 12, blocks=BLOCKS)
    assert title_line(doc) == 1


def test_table_groups_anchor_per_table_line_or_section():
    groups: TableGroups[str] = TableGroups(BLOCKS)
    groups.add(12, "lone", "b")
    groups.add(7, "t1", "b")
    groups.add(6, "t0", "a")
    groups.add(8, "t2", "b")
    assert groups.ordered() == [(5, "a", ["t0"]), (5, "b", ["t1", "t2"]), (-12, "b", ["lone"])]
    assert [k for _, k, _ in groups.ordered(by_key=False)] == ["b", "a", "b"]  # filing order within a table
    assert groups.values("b") == ["lone", "t1", "t2"]
    groups.discard("b")
    assert groups.values() == ["t0"]
    by_section: TableGroups[str] = TableGroups(BLOCKS, outside="section")
    assert by_section.anchor(12) == -3 and by_section.anchor(6) == 5


def test_group_by_sorts_by_key_or_order():
    pairs = [((2, "b"), 1), ((1, "z"), 2), ((2, "a"), 3), ((1, "z"), 4)]
    assert group_by(pairs) == [((1, "z"), [2, 4]), ((2, "a"), [3]), ((2, "b"), [1])]
    assert [k for k, _ in group_by(pairs, order=lambda k: k[0])] == [(1, "z"), (2, "b"), (2, "a")]


@pytest.mark.parametrize(
    ("consent", "category", "basis", "claimed"),
    [
        (False, "analytics", None, True),
        (True, "strictly_necessary", "needed", False),
        (None, "strictly_necessary", None, True),
        (None, None, "security", True),
        (None, "analytics", None, False),
    ],
)
def test_exempt_claimed(consent, category, basis, claimed):
    assert (
        exempt_claimed(Item(name="x", consent=consent, category=category, exemption_basis=basis)) is claimed
    )


class _Entry:
    def __init__(self, category: str) -> None:
        self.category, self.vendor = category, "Meta"


def test_effective_category_prefers_the_more_invasive():
    assert effective_category(Item(name="_fbp", category="analytics"), _Entry("advertising")) == (
        "advertising",
        True,
    )
    assert effective_category(Item(name="x", category="advertising"), _Entry("analytics")) == (
        "advertising",
        False,
    )
    assert effective_category(Item(name="x", category=None), None) == (None, False)


def test_output_clash_sees_through_paths_and_links(tmp_path):
    a = tmp_path / "a.md"
    a.write_text("x")
    (tmp_path / "link.md").symlink_to(a)
    assert output_clash(str(tmp_path / "sub" / ".." / "a.md"), [str(a)]) == str(a)
    assert output_clash(str(tmp_path / "link.md"), [str(a)]) == str(a)
    assert output_clash(str(tmp_path / "b.md"), [str(a), "-"]) is None


def test_write_atomic_keeps_an_existing_mode_and_sets_a_new_one(tmp_path):
    old = os.umask(0o002)
    try:
        write_atomic(str(tmp_path / "new.txt"), "a\n")
        write_atomic(str(tmp_path / "diff.txt"), "a\n", new_file_mode=0o644)
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        kept.chmod(0o600)
        write_atomic(str(kept), "new\n")
    finally:
        os.umask(old)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o664
    assert (tmp_path / "diff.txt").stat().st_mode & 0o777 == 0o644
    assert kept.stat().st_mode & 0o777 == 0o600 and kept.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diff.txt", "kept.txt", "new.txt"]
