"""Reading a rendered report back: a strict HTML5 parse and small queries on the tree."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import html5lib


def parse(document: str) -> ET.Element:
    """The document's tree; any HTML5 parse error raises (html5lib's strict mode)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    root = parser.parse(document)
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    return root


def classes(el: ET.Element) -> set[str]:
    return set(el.get("class", "").split())


def all_with(
    root: ET.Element, tag: str | None = None, cls: str | None = None, **attrs: str
) -> list[ET.Element]:
    return [
        el
        for el in root.iter()
        if (tag is None or el.tag == tag)
        and (cls is None or cls in classes(el))
        and all(el.get(k.replace("_", "-")) == v for k, v in attrs.items())
    ]


def by_id(root: ET.Element, ident: str) -> ET.Element:
    found = [el for el in root.iter() if el.get("id") == ident]
    assert len(found) == 1, f"expected one element with id={ident!r}, found {len(found)}"
    return found[0]


def text(el: ET.Element) -> str:
    """The visible text of an element (SVG titles excluded), spaces collapsed."""
    parts: list[str] = []

    def walk(node: ET.Element) -> None:
        if node.tag in ("title", "style", "script"):
            if node.tail:
                parts.append(node.tail)
            return
        if node.tag == "br":
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node.tail:
            parts.append(node.tail)

    if el.text:
        parts.append(el.text)
    for child in el:
        walk(child)
    return " ".join("".join(parts).split())


def table_rows(table: ET.Element) -> list[list[str]]:
    """Body rows of a table as lists of cell texts."""
    body = table.find("tbody")
    assert body is not None
    return [[text(td) for td in tr.findall("td")] for tr in body.findall("tr")]


def table_dates(table: ET.Element) -> list[list[str]]:
    """The ISO dates (``<time datetime>``) of each body row."""
    body = table.find("tbody")
    assert body is not None
    return [[t.get("datetime", "") for t in tr.iter("time")] for tr in body.findall("tr")]
