"""Strict reading of the text formats the app accepts: JSON and CSV. Pure: no Flask, no database.

Python's readers are lenient where a database is not: json reads a 100,000-level array by recursing
until RecursionError, and strings with NUL or a lone surrogate ("\\u0000", "\\ud800") that PostgreSQL
refuses; csv accepts a last quoted field that never closes, and NUL characters. These readers refuse all
of that with a message (a translatable %-template in `message` over `params`, like FieldError).
"""

import csv
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


MAX_INT = 2**31 - 1  # PostgreSQL `integer`, the narrowest id column on either database
MAX_JSON_DEPTH = 32  # a decision batch is 4 levels deep; signals are flat
# What PostgreSQL text cannot hold: NUL, and UTF-16 surrogates that pair with nothing (JSON's "\ud800").
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
TOO_DEEP = N_("The JSON is nested more than %(n)s levels deep.")
UNSTORABLE_JSON = N_("Text in the JSON holds a NUL character or a lone surrogate (\\u0000, \\ud800).")


class Rejected(ValueError):
    """Text refused by a strict reader; `message` is a translatable template over `params`."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class JSONRejected(Rejected):
    """`malformed` is True when the text is not JSON at all, False when it parses but is refused."""

    def __init__(self, message: str, malformed: bool = False, **params: Any) -> None:
        super().__init__(message, **params)
        self.malformed = malformed


class CSVRejected(Rejected, csv.Error):
    """Not well-formed CSV; `params["line"]` is the line the reader stopped at."""


def to_int(value: Any, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """`value` as an int within [minimum, maximum], or None when it is not a plain decimal integer in
    range (ASCII digits and an optional sign: int() alone accepts "1_000" and fails on "²")."""
    text = value.strip() if isinstance(value, str) else ""
    digits = text.lstrip("+-")
    if (
        not digits
        or len(text) > 12
        or len(text) - len(digits) > 1
        or not (digits.isascii() and digits.isdigit())
    ):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def is_id(value: Any) -> bool:
    """True for a JSON value that can be a row id: an int (not a bool) from 1 to MAX_INT."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_INT


def parse_json(text: str | bytes, **options: Any) -> Any:
    """Parse JSON strictly: UTF-8 only, at most MAX_JSON_DEPTH levels deep, and no NUL or lone surrogate
    in any string or key. `options` go to json.loads. Raises JSONRejected (a ValueError, like json's)."""
    if not isinstance(text, str):
        try:
            text = bytes(text).decode("utf-8-sig")  # a leading BOM is tolerated, as json.loads does
        except UnicodeDecodeError:
            raise JSONRejected(N_("The JSON is not UTF-8 text."), malformed=True) from None
    try:
        value = json.loads(text, **options)
    except RecursionError:
        raise JSONRejected(TOO_DEEP, n=MAX_JSON_DEPTH) from None
    except ValueError as error:
        raise JSONRejected(N_("The JSON is not valid: %(error)s"), malformed=True, error=str(error)) from None
    # Raw control characters are invalid JSON and strict UTF-8 holds no surrogates, so a NUL or a lone
    # surrogate can only come from a \u escape; without one, only the depth needs checking, and only when
    # there are enough brackets to exceed it.
    escaped = "\\u" in text
    if escaped or text.count("[") + text.count("{") > MAX_JSON_DEPTH:
        _check_tree(value, escaped)
    return value


def _check_tree(value: Any, check_text: bool) -> None:
    """Walk the parsed value once, iteratively: a recursive walk is what over-deep input breaks."""
    if check_text and isinstance(value, str) and UNSTORABLE.search(value):
        raise JSONRejected(UNSTORABLE_JSON)
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise JSONRejected(TOO_DEEP, n=MAX_JSON_DEPTH)
        if isinstance(node, dict):
            if check_text and any(UNSTORABLE.search(key) for key in node):
                raise JSONRejected(UNSTORABLE_JSON)
            node = node.values()
        for child in node:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
            elif check_text and isinstance(child, str) and UNSTORABLE.search(child):
                raise JSONRejected(UNSTORABLE_JSON)


def csv_rows(lines: Iterable[str]) -> Iterator[list[str]]:
    """The rows of CSV text (an iterable of lines, read with newline=""), strictly: a quoted field that
    never closes, a character after a closing quote, or a NUL anywhere raises CSVRejected with the line.
    Rows of the wrong length are the caller's to report, with its own column names."""
    reader = csv.reader(_without_nul(lines), strict=True)
    try:
        yield from reader
    except CSVRejected:
        raise
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise CSVRejected(
                N_("Line %(line)s: a quoted field is never closed."), line=reader.line_num
            ) from None
        raise CSVRejected(N_("Line %(line)s: %(error)s"), line=reader.line_num, error=str(error)) from None


def _without_nul(lines: Iterable[str]) -> Iterator[str]:
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise CSVRejected(N_("Line %(line)s holds a NUL character."), line=number)
        yield line
