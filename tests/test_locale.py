"""Our catalogs (locale/) are committed compiled: each .mo must say what its .po says,
or an edit to the .po would silently not show."""

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries(path: Path) -> dict[str, str]:
    entries, key, current = {}, None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r'^(msgid|msgstr) (".*")$', line)
        if match:
            key = match.group(1)
            current = {"msgid": "", "msgstr": ""} if key == "msgid" else current
            current[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and current is not None:
            current[key] += ast.literal_eval(line)
        elif not line.strip() and current is not None:
            entries[current["msgid"]] = current["msgstr"]
            current = None
    if current is not None:
        entries[current["msgid"]] = current["msgstr"]
    entries.pop("", None)  # the header
    return entries


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalog_matches_its_source(domain):
    entries = po_entries(LOCALE / f"{domain}.po")
    with open(LOCALE / f"{domain}.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    assert entries
    assert {msgid: catalog.gettext(msgid) for msgid in entries} == entries
