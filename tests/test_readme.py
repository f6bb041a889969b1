"""The README's Python examples run as written (from the repository root)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


@pytest.mark.parametrize("code", _python_blocks())
def test_readme_python_example_runs(code, monkeypatch, capsys):
    if "tcp://" in code:
        pytest.skip("needs a Dask cluster; tests/test_dask.py runs the same calls on the local scheduler")
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip(), "an example that prints nothing shows nothing"
