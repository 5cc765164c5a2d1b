"""Markdown to HTML for the documents Vroeg serves to partners (docs/partners/*.md),
with markdown-it-py (CommonMark, plus pipe tables; ADR 0013).

Raw HTML in a document is not passed on but shown as text, and markdown-it refuses
`javascript:` and similar link targets. On top of plain CommonMark: headings get the
anchors GitHub gives them (so links such as `#zo-levert-u-aan` keep working), link
targets go through `link` (which the caller gives to turn file names into URLs), and
tables get the site's table style with column headers marked as such."""

import re
from collections.abc import Callable

from markdown_it import MarkdownIt


def heading_id(text: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation out, spaces to hyphens."""
    plain = re.sub(r"[`*]", "", re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)).lower()
    return re.sub(r"[^\w\- ]", "", plain).replace(" ", "-")


def render(text: str, *, link: Callable[[str], str] = lambda href: href) -> str:
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = parser.parse(text)
    seen: dict[str, int] = {}
    for token, following in zip(tokens, tokens[1:], strict=False):
        if token.type == "heading_open":
            anchor = heading_id(following.content)
            count = seen.get(anchor, 0)
            seen[anchor] = count + 1
            token.attrSet("id", f"{anchor}-{count}" if count else anchor)
        elif token.type == "table_open":
            token.attrSet("class", "table")
        elif token.type == "th_open":
            token.attrSet("scope", "col")
        for child in token.children or ():
            if child.type == "link_open":
                child.attrSet("href", link(str(child.attrGet("href"))))
    return parser.renderer.render(tokens, parser.options, {})
