"""`releve check --format junit`: JUnit XML (GitLab, Jenkins), a test suite per plan."""

from __future__ import annotations

import re
from collections.abc import Sequence

from releve.rules.result import WhatRan
from releve.tui.render.check import (
    Outcome,
    PlanFailure,
    _display_path,
    _labels_of,
    _location,
    change_text,
    fails,
)

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(s: str) -> str:
    """Characters XML 1.0 cannot carry are dropped (a plan may hold anything)."""
    return _XML_BAD.sub("", s)


def _junit_ran(ran: WhatRan | None) -> list[tuple[str, str]]:
    if ran is None:
        return []
    en = _labels_of("en")
    return [
        ("view", ran.view),
        ("rules_in_force", f"{ran.default_in_force}/{ran.default_rules}+{len(ran.added)}"),
        ("changes", "; ".join(change_text(c, en) for c in ran.changes)),
        ("pack_digests", ", ".join(f"{p.id}={p.digest}" for p in ran.packs)),
    ]


def render_junit(outcomes: Sequence[Outcome], *, fail_on: str = "error") -> str:
    """JUnit XML (GitLab, Jenkins): a test suite per plan, a test case per finding.

    A finding at or above ``fail_on`` is a failure, so the report is red exactly when the
    exit code is 1; a waived finding is skipped with its waiver; a finding below the
    threshold passes with its message as output. A plan with no finding has one passing
    case; an unreadable plan has one case in error."""
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", name="releve check")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for o in outcomes:
        suite = ET.SubElement(root, "testsuite")
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if isinstance(o, PlanFailure):
            suite.set("name", _xml_text(o.path))
            case = ET.SubElement(suite, "testcase", classname="releve.load", name="load plan")
            case.set("file", _xml_text(o.file or o.path))
            err = ET.SubElement(case, "error", type="PlanError", message=_xml_text(o.message))
            err.text = _xml_text(o.one_line())
            counts["tests"] = counts["errors"] = 1
        else:
            path = _display_path(o)
            suite.set("name", _xml_text(path))
            props = ET.SubElement(suite, "properties")
            for name, value in (
                ("mission", o.plan.mission.id),
                ("as_of", o.as_of.isoformat()),
                ("packs", ",".join(o.packs)),
                ("score", "not assessed" if o.score.overall is None else str(o.score.overall)),
                ("band", o.score.band),
                ("framing", "" if o.score.framing is None else str(o.score.framing)),
                ("caps", ",".join(c.rule for c in o.score.caps)),
                ("fail_on", fail_on),
                *_junit_ran(o.ran),
            ):
                ET.SubElement(props, "property", name=name, value=_xml_text(value))
            for f in o.findings:
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=f"releve.{f.pillar}.{f.rule}",
                    name=_xml_text(f"{f.rule} {f.name} [{f.target}]"),
                    file=_xml_text(path),
                )
                if f.line is not None:
                    case.set("line", str(f.line))
                body = _xml_text(
                    f"{_location(o, f)}: {f.rule} {f.message}"
                    + (f"\nfix: {f.fix}" if f.fix else "")
                )
                counts["tests"] += 1
                if f.waived:
                    exp = f.waiver_expires.isoformat() if f.waiver_expires else "?"
                    ET.SubElement(
                        case,
                        "skipped",
                        message=_xml_text(
                            f"waived until {exp} by {f.waiver_owner or '?'}: "
                            f"{f.waiver_reason or ''}"
                        ),
                    )
                    counts["skipped"] += 1
                elif fails(f, fail_on):
                    fail = ET.SubElement(
                        case, "failure", type=f.severity.value, message=_xml_text(f.message)
                    )
                    fail.text = body
                    counts["failures"] += 1
                else:
                    out = ET.SubElement(case, "system-out")
                    out.text = f"[{f.severity.value}] " + body
            if not o.findings:
                ET.SubElement(
                    suite,
                    "testcase",
                    classname="releve.check",
                    name="no findings",
                    file=_xml_text(path),
                )
                counts["tests"] += 1
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
