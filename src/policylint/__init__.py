"""policylint: lint cookie policies and diff their versions.

The library API takes paths or text and returns plain dataclasses
(see ``policylint.model``); heavy modules are imported on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "diff", "extract", "lint", "load_document"]


def __getattr__(name: str):
    if name in {"lint", "extract", "diff", "load_document"}:
        from policylint import api

        return getattr(api, name)
    raise AttributeError(name)
