"""Stage 1: bytes → text and a format.

Decoding never fails: a file that cannot be read as text is reported as a
problem (PL001) with whatever text could be salvaged, so the later stages and
the user always get an answer.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from policylint.model import Format

# Above this size a file is not parsed at all (PL006): a cookie policy is a few
# hundred KB at most, and parsing hundreds of MB of HTML costs GBs of memory.
MAX_BYTES = 64 * 1024 * 1024

HTML_EXT = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp"}
MARKDOWN_EXT = {".md", ".markdown", ".mdown", ".mkd", ".mdx", ".rmd"}

_HTML_SNIFF = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:div|p|h[1-6]|table|ul|ol|article|section|main|span|a)[\s>][^<]{0,2000}</",
    re.IGNORECASE,
)
# Spaces, not \s: "\s*\|?\s*" crossed lines, so "^" at each of thousands of blank lines
# scanned the rest of the text twice over (cubic: a pipe of " \n" lines hung `check -`).
_MD_SNIFF = re.compile(
    r"^(?:#{1,6}[ \t]+\S|[ \t]*(?:\|[ \t]*)?:?-{3,}:?[ \t]*\|)|\]\((?:https?:|#|/)", re.MULTILINE
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{1,40})""", re.IGNORECASE
)


@dataclass(slots=True)
class Loaded:
    path: str
    text: str
    format: Format
    encoding: str
    problems: list[tuple[str, str]] = field(default_factory=list)  # (rule code, message)


class InputError(Exception):
    """The input cannot be read at all (missing, a directory, permission denied)."""


def read_bytes(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> tuple[bytes, bool]:
    """Read a file, at most ``max_bytes``; the flag says whether it was larger.

    A file over the limit is not read (only its first 8 KB, to sniff its format).
    """
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"{path}: is a directory")
        with _open_no_wait(p) as fh:
            st = os.fstat(fh.fileno())
            if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
                # Too large: its size says so without reading it (a 200 MB page costs
                # 8 KB of memory, not 64 MB); the head is kept to name its format.
                return fh.read(8192), True
            data = fh.read(max_bytes + 1)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:  # symlink loops, devices, I/O errors
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return data[:max_bytes], len(data) > max_bytes


def _open_no_wait(path: Path):
    """Open for reading without waiting for a writer: a named FIFO nobody writes to reads as
    empty (PL002) instead of blocking forever; a pipe with a writer (``<(curl …)``) still works."""
    nonblock = getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, os.O_RDONLY | nonblock)
    if nonblock:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~nonblock)
    return os.fdopen(fd, "rb")


def sniff_format(name: str, head: bytes) -> Format:
    """Format from the extension, corrected by the content (a .txt holding HTML is HTML)."""
    ext = Path(name).suffix.lower()
    sample = head[:8192]
    looks_html = bool(_HTML_SNIFF.search(sample.lstrip()[:8192]))
    if ext in HTML_EXT:
        return "html"
    if ext in MARKDOWN_EXT:
        # A Markdown file is Markdown even with inline HTML; only a whole page is HTML.
        if re.match(rb"\s*(?:<!doctype\s+html|<html[\s>])", sample, re.IGNORECASE):
            return "html"
        return "markdown"
    if looks_html and re.match(rb"\s*<", sample):
        return "html"
    if ext in {".txt", ".text", ""} or not ext:
        text = sample.decode("utf-8", "replace")
        if ext == "" and _MD_SNIFF.search(text):
            return "markdown"
        return "text"
    if looks_html:
        return "html"
    return "markdown" if _MD_SNIFF.search(sample.decode("utf-8", "replace")) else "text"


def decode(data: bytes, fmt: Format | None = None) -> tuple[str, str, list[tuple[str, str]]]:
    """Bytes → (text, encoding, problems). Never raises."""
    problems: list[tuple[str, str]] = []
    if data.startswith(codecs.BOM_UTF8):
        text, enc = data[3:].decode("utf-8", "replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, enc = data.decode("utf-16", "replace"), "utf-16"
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            lossy = data.decode("utf-8", "replace")
            bad = lossy.count("\ufffd")
            valid = sum(1 for ch in lossy if ord(ch) > 0x7F) - bad
            if valid >= 4 * bad:
                # Mostly UTF-8 with a few broken bytes: keep it, a legacy charset would garble the rest.
                text, enc = lossy, "utf-8"
                problems.append(
                    ("PL007", f"{bad} invalid UTF-8 byte sequence{'s' if bad > 1 else ''} replaced")
                )
            else:
                text, enc = _decode_legacy(data, fmt)
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        problems.append(("PL007", f"{nuls} NUL byte{'s' if nuls > 1 else ''} removed"))
    # Line numbers must agree across parsers: lxml and markdown-it count "\n" only.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, enc, problems


def _decode_legacy(data: bytes, fmt: Format | None) -> tuple[str, str]:
    if fmt == "html" or fmt is None:
        m = _META_CHARSET.search(data[:4096])
        if m:
            name = m.group(1).decode("ascii", "ignore").lower()
            try:
                codecs.lookup(name)
                if name.replace("-", "") not in {"utf8"}:
                    return data.decode(name, "replace"), name
            except LookupError:
                pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            enc = best.encoding
            if enc.replace("_", "").lower() in {"utf8"}:
                return data.decode("utf-8", "replace"), "utf-8"
            return data.decode(enc, "replace"), enc
    except Exception:  # noqa: BLE001 - detection is best effort, cp1252 is the fallback
        pass
    return data.decode("cp1252", "replace"), "cp1252"


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b < 32)


def looks_binary(data: bytes) -> bool:
    """True for content no policy is made of (images, archives, executables)."""
    head = data[:8192]
    if not head:
        return False
    if head.startswith(
        (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"%PDF", b"\x7fELF", b"\x1f\x8b", b"MZ")
    ):
        return True
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    # Count the control bytes by deleting them (C speed; a generator over 8 KB was a third of
    # a millisecond per file).
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return control / len(head) > 0.10


def load_text(text: str, path: str = "<text>", fmt: Format | None = None) -> Loaded:
    """Wrap text already in memory (the library API accepts text as well as paths)."""
    if fmt is None:
        fmt = sniff_format(path, text[:8192].encode("utf-8", "replace"))
    text = text.replace("\x00", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Loaded(path=path, text=text, format=fmt, encoding="utf-8")


def load(path: str | os.PathLike[str], fmt: Format | None = None, max_bytes: int = MAX_BYTES) -> Loaded:
    """Read and decode a file. Raises InputError only when it cannot be opened."""
    data, too_big = read_bytes(path, max_bytes)
    name = os.fspath(path)
    if too_big:
        return Loaded(
            name,
            "",
            fmt or sniff_format(name, data[:8192]),
            "unknown",
            [("PL006", f"file is larger than {max_bytes // (1024 * 1024)} MB; not parsed")],
        )
    if looks_binary(data):
        return Loaded(name, "", fmt or "text", "binary", [("PL001", "file is binary, not a text document")])
    fmt = fmt or sniff_format(name, data[:8192])
    text, enc, problems = decode(data, fmt)
    return Loaded(name, text, fmt, enc, problems)
