"""The tables of one pack: `[pack]`, `[[rule]]`, `[rules.CODE]` and `[select]`, each
checked and layered over the rules in force."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from releve.rules.packs.errors import (
    PackError,
    PackErrors,
    _shown_value,
    _suggest,
    _type_name,
    quote,
)
from releve.rules.packs.files import _RawPack
from releve.rules.packs.locate import _collect, _Ctx, _Draft
from releve.rules.packs.model import (
    CODE_RE,
    LANGS,
    NAME_RE,
    OVERRIDE_KEYS,
    RULE_KEYS,
    TEXT_KEYS,
    PackInfo,
)

if TYPE_CHECKING:
    from releve.rules.packs.layering import _Layering


def _check_text(
    ctx: _Ctx,
    where: tuple[str, str | int],
    code: str,
    key: str,
    value: Any,
    *,
    partial: bool = False,
) -> dict[str, str]:
    if isinstance(value, str) and key == "rationale":
        value = {"en": value, "fr": value}
    if not isinstance(value, dict):
        raise ctx.fail(
            f'{key} must be a table {{ en = "…", fr = "…" }}, not {_type_name(value)}',
            region=where,
            keys=(key,),
            rule=code,
            key=key,
        )
    for lang, text in value.items():
        if lang not in LANGS:
            raise ctx.fail(
                f"unknown language '{quote(lang)}' (expected en or fr)",
                region=where,
                keys=(key, lang),
                rule=code,
                key=f"{key}.{lang}",
            )
        if not isinstance(text, str) or not text.strip():
            raise ctx.fail(
                f"{key}.{lang} must be a non-empty string",
                region=where,
                keys=(key, lang),
                rule=code,
                key=f"{key}.{lang}",
            )
    if not partial and not value:
        raise ctx.fail(
            f"{key} needs a text in English or French ({key}.en or {key}.fr)",
            region=where,
            keys=(key,),
            rule=code,
            key=key,
        )
    return dict(value)


#: Keys a [[rule]] must have (`fix` is optional: nothing is shown where there is none).
REQUIRED_KEYS = ("name", "title", "message", "pillar", "severity", "fact")


def _layer_rule(lay: _Layering, ctx: _Ctx, index: int, raw_rule: Any) -> None:  # noqa: C901
    """One `[[rule]]`: every mistake in it is kept in `lay.errors`, and the rule is still
    layered (or, when its code cannot be used, checked aside) so that `_finish` reports
    its pillar, fields and placeholders too."""
    drafts, errors = lay.drafts, lay.errors
    where: tuple[str, str | int] = ("rule", index)
    if not isinstance(raw_rule, dict):
        raise ctx.fail("[[rule]] must be a table", region=where)
    code = raw_rule.get("id")
    if not isinstance(code, str) or not code:
        raise ctx.fail("a [[rule]] needs an id (its code, e.g. RC101)", region=where, key="id")
    aside = False  # its code cannot be used: checked for errors, never in force
    if not CODE_RE.match(code):
        lay.broken.add(code)
        errors.append(
            ctx.fail(
                f"rule code '{quote(code)}' must be one or more capitals, then capitals or "
                "digits, then three digits (F401, RC101, GOV005)",
                region=where,
                keys=("id",),
                rule=quote(code),
                key="id",
            )
        )
        code, aside = quote(code), True
    elif code in drafts or code in lay.broken:
        first = drafts[code].home[0].label if code in drafts else "an earlier rule"
        errors.append(
            ctx.fail(
                f"duplicate rule code {code} (already defined by {first}); "
                f"codes are never reused: use [rules.{code}] to change it",
                region=where,
                keys=("id",),
                rule=code,
                key="id",
            )
        )
        aside = True
    before = len(errors)
    for key in raw_rule:
        if key not in RULE_KEYS:
            errors.append(
                ctx.fail(
                    f"unknown key '{quote(key)}'{_suggest(key, RULE_KEYS)}",
                    region=where,
                    keys=(key,),
                    rule=code,
                    key=quote(key),
                )
            )
    for req in REQUIRED_KEYS:
        if req not in raw_rule:
            errors.append(
                ctx.fail(
                    f"missing required key '{req}'", region=where, keys=("id",), rule=code, key=req
                )
            )
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    place: dict[str, tuple[_RawPack, tuple[str, str | int]]] = {}
    for key, value in raw_rule.items():
        if key == "id" or key not in RULE_KEYS:
            continue
        if key in TEXT_KEYS:
            try:
                value = _check_text(ctx, where, code, key, value)
            except PackError as err:
                errors.append(err)
                continue
            for lang in value:
                origin[f"{key}.{lang}"] = ctx.raw.label
        elif key == "params":
            if not isinstance(value, dict):
                errors.append(
                    ctx.fail(
                        "params must be a table",
                        region=where,
                        keys=("params",),
                        rule=code,
                        key="params",
                    )
                )
                continue
            for p in value:
                origin[f"params.{p}"] = ctx.raw.label
                place[f"params.{p}"] = (ctx.raw, where)
        values[key] = copy.deepcopy(value)
        origin.setdefault(key, ctx.raw.label)
        place[key] = (ctx.raw, where)
    values.setdefault("params", {})
    draft = _Draft(code, values, origin, place, (ctx.raw, where))
    if aside:
        lay.aside.append(draft)
        return
    if len(errors) > before:
        # Still finished (its other keys are checked), never in force; later packs'
        # [rules.CODE] for it would only repeat the error.
        draft.broken = True
        lay.broken.add(code)
    drafts[code] = draft


def _layer_override(lay: _Layering, ctx: _Ctx, code: str, table: Any) -> None:
    where: tuple[str, str | int] = ("rules", code)
    if code in lay.broken:
        return
    draft = lay.drafts.get(code)
    if draft is None:
        raise ctx.fail(
            f"no pack in force defines rule {quote(code)}{_suggest(code, lay.drafts)}",
            region=where,
            rule=quote(code),
            key=f"rules.{quote(code)}",
        )
    if not isinstance(table, dict):
        raise ctx.fail(f"[rules.{code}] must be a table", region=where, rule=code)
    for key, value in table.items():
        with _collect(lay.errors):
            _override_key(ctx, where, draft, code, key, value)


def _override_key(
    ctx: _Ctx, where: tuple[str, str | int], draft: _Draft, code: str, key: str, value: Any
) -> None:
    if key not in OVERRIDE_KEYS:
        hint = (
            " (a rule's id and name never change)"
            if key in ("id", "name")
            else _suggest(key, OVERRIDE_KEYS) or f" (expected one of: {', '.join(OVERRIDE_KEYS)})"
        )
        raise ctx.fail(
            f"unknown key '{quote(key)}'{hint}", region=where, keys=(key,), rule=code, key=key
        )
    if key in TEXT_KEYS:
        value = _check_text(ctx, where, code, key, value, partial=True)
        merged = dict(draft.values.get(key, {}))
        merged.update(value)
        draft.values[key] = merged
        for lang in value:
            draft.origin[f"{key}.{lang}"] = ctx.raw.label
        draft.origin[key] = ctx.raw.label
    elif key == "params":
        if not isinstance(value, dict):
            raise ctx.fail(
                "params must be a table",
                region=where,
                keys=("params",),
                rule=code,
                key="params",
            )
        params = draft.values.setdefault("params", {})
        errors: list[PackError] = []
        for p, v in value.items():
            if p not in params:
                known = ", ".join(sorted(params)) or "none"
                errors.append(
                    ctx.fail(
                        f"unknown parameter '{quote(p)}'{_suggest(p, params)} "
                        f"(rule {code} has: {known})",
                        region=where,
                        keys=("params", p),
                        rule=code,
                        key=f"params.{quote(p)}",
                    )
                )
                continue
            old = params[p]
            if _param_kind(old) != _param_kind(v):
                errors.append(
                    ctx.fail(
                        f"parameter '{p}' must be {_type_name(old)}, not {_type_name(v)}",
                        region=where,
                        keys=("params", p),
                        rule=code,
                        key=f"params.{p}",
                    )
                )
                continue
            params[p] = copy.deepcopy(v)
            draft.origin[f"params.{p}"] = ctx.raw.label
            draft.where[f"params.{p}"] = (ctx.raw, where)
        if errors:
            raise errors[0] if len(errors) == 1 else PackErrors(errors)
    else:
        draft.values[key] = copy.deepcopy(value)
        draft.origin[key] = ctx.raw.label
        draft.where[key] = (ctx.raw, where)


def _param_kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    return type(v).__name__


def _select(lay: _Layering, ctx: _Ctx, table: Any) -> None:
    if not isinstance(table, dict):
        raise ctx.fail("[select] must be a table", region=("select", "select"))
    for key, value in table.items():
        if key not in ("exclude", "include"):
            lay.errors.append(
                ctx.fail(
                    f"unknown key '{quote(key)}' in [select]"
                    f"{_suggest(key, ('exclude', 'include')) or ' (expected exclude, include)'}",
                    region=("select", "select"),
                    keys=(key,),
                    key=f"select.{quote(key)}",
                )
            )
            continue
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            lay.errors.append(
                ctx.fail(
                    f"select.{key} must be an array of rule codes or prefixes",
                    region=("select", "select"),
                    keys=(key,),
                    key=f"select.{key}",
                )
            )
            continue
        for item in value:
            with _collect(lay.errors):
                _select_item(lay, ctx, key, item)


def _select_item(lay: _Layering, ctx: _Ctx, key: str, item: str) -> None:
    drafts = lay.drafts
    here = {
        "region": ("select", "select"),
        "needles": (rf"\b{key}\b", re.escape(f'"{item}"')),
        "rule": quote(item) or None,
        "key": f"select.{key}",
    }
    if not item.strip():
        raise ctx.fail(
            "an empty code or prefix would match every rule; name rules by code (SIG003) "
            "or by a prefix of a few (SIG)",
            **here,  # type: ignore[arg-type]
        )
    hits = {c for c in drafts if c == item or (not CODE_RE.match(item) and c.startswith(item))}
    if item in lay.broken:
        return
    if not hits:
        raise ctx.fail(
            f"'{quote(item)}' names no rule of the packs in force"
            f"{_suggest(item, drafts) if CODE_RE.match(item) else ''}",
            **here,  # type: ignore[arg-type]
        )
    if key == "exclude" and not CODE_RE.match(item) and len(drafts) > 1 and hits == set(drafts):
        raise ctx.fail(
            f"the prefix '{quote(item)}' matches every rule of the packs in force; "
            "switch rules off by code or by a narrower prefix",
            **here,  # type: ignore[arg-type]
        )
    if key == "exclude":
        lay.excluded |= hits
        for c in hits:
            lay.excluded_by[c] = ctx.raw.label
    else:
        lay.excluded -= hits
        for c in hits:
            lay.excluded_by.pop(c, None)


def _pack_info(ctx: _Ctx, default_id: str) -> tuple[PackInfo, list[str]]:
    if "pack" not in ctx.raw.data:
        raise PackError(
            "no [pack] table: a pack starts with [pack] (id, name, version)",
            path=ctx.raw.path,
            line=1,
            column=1,
        )
    table = ctx.raw.data["pack"]
    if not isinstance(table, dict):
        raise ctx.fail(
            f"pack must be a table ([pack]), not {_type_name(table)}", keys=("pack",), key="pack"
        )
    errors: list[PackError] = []
    pack_keys = ("id", "name", "version", "extends", "description")
    for key in table:
        if key not in pack_keys:
            errors.append(
                ctx.fail(
                    f"unknown key '{quote(key)}' in [pack]{_suggest(key, pack_keys)}",
                    region=("pack", "pack"),
                    keys=(key,),
                    key=f"pack.{quote(key)}",
                )
            )
    pid = table.get("id", default_id)
    extends = table.get("extends", [])
    if not isinstance(pid, str) or not pid:
        errors.append(
            ctx.fail(
                f"must be a non-empty string, not {_shown_value(pid)}",
                region=("pack", "pack"),
                keys=("id",),
                key="pack.id",
            )
        )
        pid = "?"
    elif not NAME_RE.match(pid) and not (ctx.raw.label == "default" and pid == "default"):
        what = f"'{quote(pid)}'" if "id" in table else f"the file name '{quote(pid)}'"
        errors.append(
            ctx.fail(
                f"pack id {what} must be kebab-case like a rule name (relais-conseil): "
                "small letters, digits and dashes, starting with a letter",
                region=("pack", "pack"),
                keys=("id",) if "id" in table else (),
                key="pack.id",
            )
        )
        pid = "?"
    for key in ("name", "version", "description"):
        if key in table and not isinstance(table[key], str):
            errors.append(
                ctx.fail(
                    f"must be a string, not {_type_name(table[key])}",
                    region=("pack", "pack"),
                    keys=(key,),
                    key=f"pack.{key}",
                )
            )
    if not isinstance(extends, list) or not all(isinstance(x, str) for x in extends):
        errors.append(
            ctx.fail(
                'must be an array of pack names or paths ("default", "base.toml")',
                region=("pack", "pack"),
                keys=("extends",),
                key="pack.extends",
            )
        )
        extends = []
    if errors:
        raise errors[0] if len(errors) == 1 else PackErrors(errors)
    name = table.get("name", pid)
    info = PackInfo(
        pid,
        name if isinstance(name, str) else pid,
        table.get("version", "") if isinstance(table.get("version", ""), str) else "",
        ctx.raw.label,
        ctx.raw.digest,
        ctx.raw.source,
    )
    return info, extends
