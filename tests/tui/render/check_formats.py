"""What a check's outputs must look like once parsed back: the JSON shape the cli.md contract gives,
the official SARIF 2.1.0 schema (vendored in tests/data), and Markdown tables as rows of cells.
Shared by the renderer tests (tests/tui/render) and `releve check`'s (tests/tui/cli)."""

from __future__ import annotations

import json

import jsonschema
from markdown_it import MarkdownIt
from support import ROOT

DATA = ROOT / "tests" / "data"

NULLABLE_INT = {"type": ["integer", "null"]}
CLI_MD_SHAPE = {
    "type": "object",
    "required": ["plans"],
    "properties": {
        "plans": {
            "type": "array",
            "items": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": [
                            "path",
                            "mission",
                            "as_of",
                            "packs",
                            "score",
                            "findings",
                            "counts",
                        ],
                        "not": {"required": ["error"]},
                        "properties": {
                            "path": {"type": ["string", "null"]},
                            "mission": {"type": "string"},
                            "as_of": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                            "packs": {"type": "array", "items": {"type": "string"}},
                            "score": {
                                "type": "object",
                                "required": ["overall", "pillars"],
                                "properties": {
                                    "overall": {
                                        "type": ["integer", "null"],
                                        "minimum": 0,
                                        "maximum": 100,
                                    },
                                    "pillars": {
                                        "type": "object",
                                        "additionalProperties": {"type": "integer"},
                                    },
                                },
                            },
                            "findings": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": [
                                        "rule",
                                        "name",
                                        "severity",
                                        "pillar",
                                        "message",
                                        "target",
                                        "path",
                                        "line",
                                        "waived",
                                    ],
                                    "properties": {
                                        "severity": {"enum": ["error", "warning", "info"]},
                                        "line": NULLABLE_INT,
                                        "waived": {"type": "boolean"},
                                    },
                                },
                            },
                            "counts": {
                                "type": "object",
                                "required": ["error", "warning", "info", "waived"],
                                "additionalProperties": {"type": "integer"},
                            },
                        },
                    },
                    {
                        "type": "object",
                        "required": ["path", "error"],
                        "properties": {
                            "error": {
                                "type": "object",
                                "required": ["message", "line", "column"],
                                "properties": {
                                    "message": {"type": "string"},
                                    "line": NULLABLE_INT,
                                    "column": NULLABLE_INT,
                                },
                            }
                        },
                    },
                ]
            },
        }
    },
}


def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


SARIF = sarif_validator()


MD = MarkdownIt("commonmark").enable("table")


def md_tables(text: str) -> list[list[list[str]]]:
    """Every table of a Markdown document as rows of plain-text cells (header row first)."""
    tables: list[list[list[str]]] = []
    row: list[str] | None = None
    for tok in MD.parse(text):
        if tok.type == "table_open":
            tables.append([])
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            tables[-1].append(row)
        elif tok.type == "inline" and row is not None:
            row.append(
                "".join(
                    c.content
                    for c in tok.children or []
                    if c.type in ("text", "text_special", "code_inline")
                )
            )
        elif tok.type == "table_close":
            row = None
    return tables
