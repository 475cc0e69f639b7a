"""Every translatable string in the source has a zh_Hans translation, with the same placeholders.

The source is re-extracted here with the settings `make translations-update` uses, so a string marked
today fails this test until it is translated. To fix a failure: `make translations-update`, add the
listed msgids to ZH in app/translations/fill_zh_Hans.py, and run `.venv/bin/python
app/translations/fill_zh_Hans.py`. No app, no database: this reads files only.
"""

import io
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

ROOT = Path(__file__).resolve().parents[1]
PO_PATH = ROOT / "app" / "translations" / "zh_Hans" / "LC_MESSAGES" / "messages.po"
# The same keywords and mapping as the Makefile's translations-update target.
EXTRACT_ARGS = ["-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "-k", "N_"]
PLACEHOLDER = re.compile(r"%(?:\(([^)]+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[a-zA-Z%]")
FIX = (
    "Run `make translations-update`, add these to ZH in app/translations/fill_zh_Hans.py, then run "
    "`.venv/bin/python app/translations/fill_zh_Hans.py`."
)


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _show(message) -> str:
    return repr(message.id if isinstance(message.id, str) else message.id[1])


@pytest.fixture(scope="module")
def source_catalog(tmp_path_factory):
    """The messages marked in the source right now, extracted into a temporary .pot."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    cli = CommandLineInterface()
    cli.run(["pybabel", "-q", "extract", *EXTRACT_ARGS, "--no-location", "-o", str(pot), str(ROOT)])
    with pot.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def zh_catalog():
    with PO_PATH.open("rb") as handle:
        return read_po(handle, locale="zh_Hans")


def _translations(message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


def _placeholders(text: str) -> tuple[set[str], list[str]]:
    """Named placeholders as a set (order may change), positional ones in order, including %%."""
    named, positional = set(), []
    for match in PLACEHOLDER.finditer(text):
        if match.group(1):
            named.add(match.group(0))
        else:
            positional.append(match.group(0))
    return named, positional


def test_extraction_finds_the_markers(source_catalog):
    """Guards the test itself: each kind of marker (template _, ngettext, _l, N_, gettext) is seen."""
    ids = {_key(message) for message in source_catalog if message.id}
    assert len(ids) > 100
    assert {"Golden cases", "Unknown field.", "%(num)s case", "Sign in"} <= ids


def test_every_source_string_is_translated(source_catalog, zh_catalog):
    translated = {_key(m): m for m in zh_catalog if m.id}
    missing = []
    for message in source_catalog:
        if not message.id:
            continue
        entry = translated.get(_key(message))
        if entry is None or not all(text.strip() for text in _translations(entry)):
            missing.append(_show(message))
        elif entry.fuzzy:
            missing.append(f"{_show(message)} (fuzzy)")
    assert not missing, (
        f"{len(missing)} msgid(s) lack a zh_Hans translation:\n  " + "\n  ".join(missing) + f"\n{FIX}"
    )


def test_catalog_has_no_fuzzy_entries(zh_catalog):
    fuzzy = [_show(m) for m in zh_catalog if m.id and m.fuzzy]
    assert not zh_catalog.fuzzy, "The catalog header is marked fuzzy."
    assert not fuzzy, "Fuzzy entries are shown by `make translations` (--use-fuzzy); fix them:\n  " + (
        "\n  ".join(fuzzy)
    )


def test_translations_keep_the_placeholders(zh_catalog):
    wrong = []
    for message in zh_catalog:
        if not message.id:
            continue
        # Chinese has one plural form, used for every count, so it must carry msgid_plural's placeholders.
        source = message.id if isinstance(message.id, str) else message.id[1]
        for text in _translations(message):
            same = _placeholders(text) == _placeholders(source) and text.count("%") == source.count("%")
            if text and not same:
                wrong.append(f"{source!r} -> {text!r}")
    assert not wrong, "Placeholders differ from the msgid:\n  " + "\n  ".join(wrong)


def test_catalog_compiles_and_babel_checks_pass(zh_catalog):
    """Babel's own checkers (python-format, plural count) pass, and the compiled catalog answers."""
    problems = [f"{_show(message)}: {errors}" for message, errors in zh_catalog.check()]
    assert not problems, "\n".join(problems)
    assert zh_catalog.num_plurals == 1
    buffer = io.BytesIO()
    write_mo(buffer, zh_catalog)
    buffer.seek(0)
    translations = Translations(buffer)
    for message in zh_catalog:
        if message.id and not message.pluralizable:
            assert translations.gettext(message.id) == message.string
    assert translations.ngettext("%(num)s case", "%(num)s cases", 5) != "%(num)s cases"
