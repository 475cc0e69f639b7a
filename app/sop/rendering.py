"""Markdown to HTML for SOPs: CommonMark with raw HTML disabled, and anchors on numbered headings."""

from markdown_it import MarkdownIt

from app.sop.parsing import _HEADING

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _anchor_for(text: str) -> str | None:
    match = _HEADING.match("## " + text)
    return "sec-" + match.group(2).replace(".", "-") if match else None


def render_sop(markdown: str) -> str:
    """Safe HTML for an SOP body: any HTML in the source is shown as text, never interpreted."""
    tokens = _markdown.parse(markdown or "")
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            anchor = _anchor_for(tokens[index + 1].content)
            if anchor:
                token.attrSet("id", anchor)
        for child in token.children or []:  # links are inline tokens, children of their block
            if child.type == "link_open":
                href = child.attrGet("href") or ""
                if not href.startswith(("http://", "https://", "#", "/")):
                    child.attrSet("href", "#")  # no javascript: or data: links
    return _markdown.renderer.render(tokens, _markdown.options, {})
