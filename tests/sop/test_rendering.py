"""SOP Markdown to safe HTML (pure)."""

import pytest

from app.sop.rendering import render_sop


@pytest.mark.parametrize(
    ("markdown", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Text <img src=x onerror=alert(1)> more", "&lt;img src=x onerror=alert(1)&gt;"),
        ('<div class="x">block html</div>', "&lt;div class=&quot;x&quot;&gt;"),
    ],
)
def test_raw_html_is_shown_as_text(markdown, escaped):
    html = render_sop(markdown)
    assert escaped in html
    assert "<script" not in html and "<img" not in html and "<div" not in html


@pytest.mark.parametrize(
    ("markdown", "tag"),
    [
        ("## 3. Sanctions", '<h2 id="sec-3">3. Sanctions</h2>'),
        ("### 3.2 Tampered documents", '<h3 id="sec-3-2">3.2 Tampered documents</h3>'),
        ("### 12.10. Late", '<h3 id="sec-12-10">12.10. Late</h3>'),
        ("## Unnumbered", "<h2>Unnumbered</h2>"),
    ],
)
def test_numbered_headings_get_anchors(markdown, tag):
    assert tag in render_sop(markdown)


@pytest.mark.parametrize(
    ("link", "href"),
    [
        ("[x](data:image/png;base64,AAAA)", 'href="#"'),
        ("[x](relative/page)", 'href="#"'),
        ("[x](mailto:someone@example.com)", 'href="#"'),
        ("[x](https://example.com/a)", 'href="https://example.com/a"'),
        ("[x](#sec-3-2)", 'href="#sec-3-2"'),
        ("[x](/sop/kyc_audit)", 'href="/sop/kyc_audit"'),
    ],
)
def test_links_keep_only_safe_targets(link, href):
    assert f"<a {href}>x</a>" in render_sop(link)


@pytest.mark.parametrize(
    "link", ["[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x](data:text/html,x)"]
)
def test_script_links_are_not_links_at_all(link):
    assert "<a " not in render_sop(link)


def test_markdown_still_renders():
    html = render_sop("Some **bold** text.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<strong>bold</strong>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert render_sop("") == "" and render_sop(None) == ""
