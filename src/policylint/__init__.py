"""policylint: lint cookie policies and diff their versions.

The library API takes paths or text and returns plain dataclasses
(see ``policylint.model``); heavy modules are imported on first use, so
``import policylint`` stays cheap for a pre-commit hook.

No subpackage may share a name with an API function: importing a subpackage
binds its name on this package and would hide the function.
"""

from __future__ import annotations

__version__ = "0.1.0"

_API = ("load_document", "load_bytes", "extract", "lint", "analyse", "diff")

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        from policylint import api

        return getattr(api, name)
    raise AttributeError(f"module 'policylint' has no attribute {name!r}")
