"""Reading SOP Markdown: sections, scenario coverage, references, comparisons (pure)."""

import pytest

from app.sop.parsing import (
    DiffLine,
    Section,
    compare_versions,
    covered_scenarios,
    parse_sections,
    sop_ref_number,
)

SOP = """# KYC Audit SOP

Covers: kyc.ignored_before_any_section

## 1. Scope
Covers: kyc.doc_tamper, kyc.name_mismatch

### 1.1 Documents
Covers: `kyc.doc_tamper`, Not A Tag, kyc.doc_tamper

```
## 9. Inside a code block
Covers: kyc.in_code
```

## 2. Sanctions ##
covers: kyc.sanctions_hit

#### 2.1 Too deep to count
### 2.2. Dotted number
## Unnumbered heading
"""


def test_parse_sections_reads_numbered_headings_and_their_scenarios():
    assert parse_sections(SOP) == [
        Section("1", "Scope", 2, ("kyc.doc_tamper", "kyc.name_mismatch")),
        Section("1.1", "Documents", 3, ("kyc.doc_tamper",)),
        Section("2", "Sanctions", 2, ("kyc.sanctions_hit",)),
        Section("2.2", "Dotted number", 3, ()),
    ]


def test_covered_scenarios_and_anchors():
    sections = parse_sections(SOP)
    assert covered_scenarios(sections) == {"kyc.doc_tamper", "kyc.name_mismatch", "kyc.sanctions_hit"}
    assert [s.anchor for s in sections] == ["sec-1", "sec-1-1", "sec-2", "sec-2-2"]


@pytest.mark.parametrize("markdown", ["", None, "Just text.\n\nCovers: kyc.doc_tamper"])
def test_parse_sections_without_headings(markdown):
    assert parse_sections(markdown) == []


@pytest.mark.parametrize(
    ("sop_ref", "number"),
    [
        ("KYC-3.2", "3.2"),
        ("KYC-3", "3"),
        ("ATO-12.10", "12.10"),
        ("KYC-3.2.1", None),
        ("KYC-", None),
        ("KYC", None),
        ("KYC-abc", None),
        ("", None),
        (None, None),
    ],
)
def test_sop_ref_number(sop_ref, number):
    assert sop_ref_number(sop_ref) == number


def test_compare_versions_lines_up_both_sides():
    old = "a\nb\nc\nd"
    new = "a\nB\nc\nd\ne"
    assert compare_versions(old, new) == [
        DiffLine("same", 1, "a", 1, "a"),
        DiffLine("changed", 2, "b", 2, "B"),
        DiffLine("same", 3, "c", 3, "c"),
        DiffLine("same", 4, "d", 4, "d"),
        DiffLine("added", None, "", 5, "e"),
    ]


def test_compare_versions_removed_and_uneven_replacements():
    rows = compare_versions("keep\nold1\nold2\nold3\nend", "keep\nnew1\nend")
    assert [(r.kind, r.old_number, r.new_number) for r in rows] == [
        ("same", 1, 1),
        ("changed", 2, 2),
        ("removed", 3, None),
        ("removed", 4, None),
        ("same", 5, 3),
    ]
    assert compare_versions("", "") == []
    assert [r.kind for r in compare_versions("", "x\ny")] == ["added", "added"]
