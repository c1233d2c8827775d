"""HTML left inside a text file (a page pasted with its tags, a CMS export): the tags go, the text stays.

Whole pages are read by `readers` with a main-text extractor; this repair is for text files that merely
carry some markup. Scripts, styles and comments go with their content; block-level tags become line
breaks so paragraphs stay apart; character references (`&nbsp;`, `&#20013;`) become characters.
"""
from __future__ import annotations

import html
import re

from pipeline.traced import Traced

HIDDEN_BLOCKS = re.compile(r"<(script|style|noscript)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|tr|table|h[1-6]|section|article|header|footer|blockquote|dd|dt|hr)"
                       r"\b[^<>]{0,500}>", re.IGNORECASE)
# Block tags in a row, with the whitespace between them, make one line break.
BLOCK_RUN = re.compile(rf"(?:\s*(?:{BLOCK_TAG.pattern}))+\s*", re.IGNORECASE)
INLINE_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,15}(?:\s[^<>]{0,500})?/?>")
CLOSING_TAG = re.compile(r"</[a-zA-Z][a-zA-Z0-9]{0,15}\s*>")
CHARACTER_REFERENCE = re.compile(r"&(?:[a-zA-Z]{2,8}|#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6});")


def has_markup(text: str) -> bool:
    """Tags of HTML's own (a block tag, a script, a closing tag), not `<1>` or a formula."""
    return bool(BLOCK_TAG.search(text) or HIDDEN_BLOCKS.search(text) or CLOSING_TAG.search(text))


def remove_markup(traced: Traced) -> Traced:
    """Tags, scripts and character references out of a text that carries HTML."""
    if not has_markup(traced.text):
        return traced
    traced = traced.sub(HIDDEN_BLOCKS, "", name="html_markup")
    traced = traced.sub(BLOCK_RUN, "\n", name="html_markup")
    traced = traced.sub(INLINE_TAG, "", name="html_markup")
    return traced.sub(CHARACTER_REFERENCE, lambda m: html.unescape(m.group(0)).replace("\xa0", " "),
                      name="html_markup")
