"""Reading an SOP written in Markdown: its numbered sections and the scenario tags each covers. Pure."""

import difflib
import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{2,3})\s+(\d{1,2}(?:\.\d{1,2})?)\.?\s+(.+?)\s*#*\s*$")
_COVERS = re.compile(r"^\s*Covers:\s*(.+?)\s*$", re.IGNORECASE)
_TAG = re.compile(r"^[a-z0-9][a-z0-9_.]{2,63}$")


@dataclass(frozen=True)
class Section:
    """A numbered section (## 3. …) or subsection (### 3.2 …) and the scenario tags it declares."""

    number: str
    title: str
    level: int
    scenarios: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return "sec-" + self.number.replace(".", "-")


def parse_sections(markdown: str) -> list[Section]:
    """Every numbered heading in order, with the tags of the `Covers:` lines beneath it."""
    sections: list[dict] = []
    in_code = False
    for line in (markdown or "").splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = _HEADING.match(line)
        if heading:
            hashes, number, title = heading.groups()
            sections.append({"number": number, "title": title, "level": len(hashes), "scenarios": []})
            continue
        covers = _COVERS.match(line)
        if covers and sections:
            tags = [t.strip().strip("`") for t in covers.group(1).split(",")]
            sections[-1]["scenarios"] += [t for t in tags if _TAG.match(t)]
    return [
        Section(s["number"], s["title"], s["level"], tuple(dict.fromkeys(s["scenarios"]))) for s in sections
    ]


def covered_scenarios(sections: list[Section]) -> set[str]:
    """All scenario tags some section covers."""
    return {tag for section in sections for tag in section.scenarios}


def sop_ref_number(sop_ref: str) -> str | None:
    """The section number of a reference like KYC-3.2, or None."""
    _prefix, sep, number = (sop_ref or "").partition("-")
    return number if sep and re.fullmatch(r"\d{1,2}(\.\d{1,2})?", number) else None


@dataclass(frozen=True)
class DiffLine:
    """One line of a side-by-side comparison: kind is 'same', 'added', 'removed' or 'changed'."""

    kind: str
    old_number: int | None
    old_text: str
    new_number: int | None
    new_text: str


def compare_versions(old: str, new: str) -> list[DiffLine]:
    """Line-by-line comparison of two SOP versions, for a side-by-side view."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    rows: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [
                DiffLine("same", i1 + k + 1, old_lines[i1 + k], j1 + k + 1, new_lines[j1 + k])
                for k in range(i2 - i1)
            ]
            continue
        width = max(i2 - i1, j2 - j1)
        for k in range(width):
            old_i, new_j = i1 + k, j1 + k
            has_old, has_new = old_i < i2, new_j < j2
            kind = "changed" if has_old and has_new else ("removed" if has_old else "added")
            rows.append(
                DiffLine(
                    kind,
                    old_i + 1 if has_old else None,
                    old_lines[old_i] if has_old else "",
                    new_j + 1 if has_new else None,
                    new_lines[new_j] if has_new else "",
                )
            )
    return rows
