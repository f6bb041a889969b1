"""Tables as sites publish them: label rows that span the table, cells that span rows."""

from __future__ import annotations

from policylint.api import extract

ROWSPAN = """<html><body><h1>Cookie Policy</h1><h2>Cookies we use</h2>
<table>
<thead><tr><th>Provider</th><th>Cookie</th><th>Purpose</th><th>Lifetime</th></tr></thead>
<tbody>
<tr><td colspan="4"><strong>Strictly necessary</strong> – exempt from consent</td></tr>
<tr><td rowspan="2">Acme</td><td><code>acme_sid</code></td><td>Signs you in</td><td>Session</td></tr>
<tr><td><code>acme_xsrf</code></td><td>Prevents request forgery</td><td>Session</td></tr>
<tr><td colspan="4"><strong>Analytics</strong> – set only with your consent</td></tr>
<tr><td rowspan="2">Google Analytics</td><td><code>_ga</code></td><td>Distinguishes users</td><td>2 years</td></tr>
<tr><td><code>_gid</code></td><td>Distinguishes users</td><td>24 hours</td></tr>
</tbody>
</table>
</body></html>
"""


def test_a_row_spanning_the_table_labels_the_rows_under_it():
    items = {it.name: it for it in extract("policy.html", text=ROWSPAN).cookies}
    assert set(items) == {"acme_sid", "acme_xsrf", "_ga", "_gid"}  # no item named after a label
    assert (items["acme_xsrf"].category, items["acme_xsrf"].consent) == ("strictly_necessary", False)
    assert (items["_gid"].category, items["_gid"].consent) == ("analytics", True)


def test_a_row_under_a_rowspan_cell_is_on_its_own_line():
    lines = {it.name: it.line for it in extract("policy.html", text=ROWSPAN).cookies}
    assert lines["acme_xsrf"] == lines["acme_sid"] + 1 and lines["_gid"] == lines["_ga"] + 1


def test_a_markdown_label_row_with_empty_cells():
    text = (
        "# Cookies\n\n| Cookie | Provider | Purpose | Duration |\n| --- | --- | --- | --- |\n"
        "| **Advertising** | | | |\n| _fbp | Meta | Shows our ads on Facebook | 3 months |\n"
    )
    (item,) = extract("policy.md", text=text).cookies
    assert item.name == "_fbp" and item.category == "advertising"
