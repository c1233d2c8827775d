"""The head every page zhie writes shares: self-contained, with a strict Content-Security-Policy (no
script, no remote resource: the page shows text taken from arbitrary documents)."""
from __future__ import annotations

from html import escape


def page_head(title: str, style: str) -> str:
    """`<!DOCTYPE html>` through `<body>`: charset, viewport, the policy, an empty icon, title, style."""
    return f"""<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<link rel="icon" href="data:,">
<title>{escape(title)}</title>
<style>{style}</style>
</head>
<body>
"""
