"""A form generated from a table of the plan model: one control per field, errors under each."""

from __future__ import annotations

import enum
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static

from releve.planner.model import Plan
from releve.tui.app import forms
from releve.tui.app.forms import FieldSpec
from releve.tui.i18n import enum_label, field_label, localize_reason, t

_INPUT_KINDS = ("str", "int", "float", "date", "list_str", "toml")


def control_id(key: str) -> str:
    return f"f-{key}"


class FieldRow(Vertical):
    """Label, control, and under them the field's own problems."""

    DEFAULT_CLASSES = "field-row"

    def __init__(self, spec: FieldSpec, control: Widget, lang: str) -> None:
        super().__init__(id=f"row-{spec.key}")
        self.spec = spec
        self.control = control
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-line"):
            mark = "*" if self.spec.required else ""
            yield Label(field_label(self.lang, self.spec.key) + mark, classes="field-label")
            yield self.control
        # Reasons and findings quote plan text (names, patterns like ^[a-z0-9_-]+$):
        # shown literally, never parsed as markup.
        yield Static("", classes="field-error", markup=False)
        yield Static("", classes="field-finding", markup=False)


class PlanForm(VerticalScroll):
    """Controls for every field of ``table``, filled from ``values`` (TOML keys)."""

    class Changed(Message):
        """A control changed to a value that parses (``value``) for field ``spec``."""

        def __init__(self, form: PlanForm, spec: FieldSpec, value: Any) -> None:
            super().__init__()
            self.form = form
            self.spec = spec
            self.value = value

        @property
        def control(self) -> PlanForm:
            return self.form

    def __init__(
        self,
        table: str,
        plan: Plan,
        values: dict[str, Any],
        lang: str,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.table = table
        self.plan = plan
        self.lang = lang
        self.specs = forms.field_specs(table)
        self.values = dict(values)
        self.errors: dict[str, str] = {}
        self._controls: dict[str, Widget] = {}
        #: The model object the values were last taken from (the app skips refreshing
        #: a form whose table did not change).
        self.values_source: Any = None

    # --- building ---------------------------------------------------------------------

    def _make_control(self, spec: FieldSpec, value: Any) -> Widget:
        cid = control_id(spec.key)
        if spec.kind == "bool" and not spec.optional:
            return Checkbox("", bool(value), id=cid, compact=True)
        if spec.kind == "bool":
            opts = [(t(self.lang, "yes"), True), (t(self.lang, "no"), False)]
            return Select(
                opts,
                value=value if value is not None else Select.NULL,
                allow_blank=True,
                prompt=t(self.lang, "unset"),
                id=cid,
                compact=True,
            )
        if spec.kind == "enum" and spec.enum:
            opts = [(enum_label(self.lang, spec.enum, e), e.value) for e in spec.enum]
            current = value.value if isinstance(value, enum.Enum) else value
            return Select(
                opts,
                value=current if current is not None else Select.NULL,
                allow_blank=spec.optional or current is None,
                prompt=t(self.lang, "unset"),
                id=cid,
                compact=True,
            )
        if spec.kind == "ref":
            ref_opts = self._ref_options(spec, value)
            return Select(
                ref_opts,
                value=value if value else Select.NULL,
                allow_blank=True,
                prompt=t(self.lang, "unset"),
                id=cid,
                compact=True,
            )
        if spec.kind in ("list_enum", "list_ref"):
            return SelectionList[str](*self._list_options(spec, value), id=cid, compact=True)
        placeholder = ""
        if spec.kind == "list_str":
            placeholder = t(self.lang, "list.hint")
        elif spec.kind == "toml":
            placeholder = t(self.lang, "toml.hint")
        elif spec.kind == "date":
            placeholder = t(self.lang, "date.placeholder")
        return Input(
            forms.format_value(spec, value),
            placeholder=placeholder,
            id=cid,
            compact=True,
            select_on_focus=False,
        )

    def _ref_options(self, spec: FieldSpec, value: Any) -> list[tuple[Text, str]]:
        # Labels hold people's names: Text, so that brackets in a name are not markup.
        opts = [(Text(label), v) for label, v in forms.ref_choices(self.plan, self.table, spec.key)]
        if value and value not in [v for _, v in opts]:
            opts.append((Text(f"{value} (?)"), value))
        return opts

    def _list_options(self, spec: FieldSpec, value: Any) -> list[tuple[Text, str, bool]]:
        current = [v.value if isinstance(v, enum.Enum) else v for v in (value or [])]
        if spec.kind == "list_enum" and spec.enum:
            choices = [(enum_label(self.lang, spec.enum, e), e.value) for e in spec.enum]
        else:
            choices = [
                (label, rid)
                for label, rid in forms.ref_choices(self.plan, self.table, spec.key)
                if not (self.table == "phase" and rid == self.values.get("id"))
            ]
        known = [v for _, v in choices]
        choices += [(f"{v} (?)", v) for v in current if v not in known]
        return [(Text(label), v, v in current) for label, v in choices]

    def compose(self) -> ComposeResult:
        for spec in self.specs:
            control = self._make_control(spec, self.values.get(spec.key))
            self._controls[spec.key] = control
            yield FieldRow(spec, control, self.lang)

    # --- reading and refreshing -------------------------------------------------------

    def control(self, key: str) -> Widget:
        return self._controls[key]

    def spec(self, key: str) -> FieldSpec:
        return next(s for s in self.specs if s.key == key)

    def _control_value(self, spec: FieldSpec, control: Widget) -> Any:
        if isinstance(control, Checkbox):
            return control.value
        if isinstance(control, Select):
            return None if control.value is Select.NULL else control.value
        if isinstance(control, SelectionList):
            chosen = set(control.selected)
            order = [control.get_option_at_index(i).value for i in range(control.option_count)]
            return [v for v in order if v in chosen]
        assert isinstance(control, Input)
        return forms.parse_value(spec, control.value, self.lang)

    def set_error(self, key: str, reason: str | None) -> None:
        """Show (or clear) why the value of ``key`` was refused (an English reason is
        shown in the form's language)."""
        if reason:
            reason = localize_reason(self.lang, reason)
        if self.errors.get(key) == reason:
            return
        if reason:
            self.errors[key] = reason
        else:
            self.errors.pop(key, None)
        rows = self.query(f"#row-{key}")
        if not rows:
            return  # not composed yet, or being removed
        row = rows.first(FieldRow)
        row.set_class(bool(reason), "-invalid")
        row.query_one(".field-error", Static).update(f"✖ {reason}" if reason else "")

    def show_findings(self, by_key: dict[str, list[str]]) -> None:
        """Under each field, the rule findings that name it."""
        if by_key == getattr(self, "_findings_shown", None):
            return  # updating the rows re-lays the form out: only when they changed
        self._findings_shown = by_key
        for row in self.query(FieldRow):
            lines = by_key.get(row.spec.key, [])
            row.query_one(".field-finding", Static).update("\n".join(lines))
            row.set_class(bool(lines), "-finding")

    def refresh_values(self, plan: Plan, values: dict[str, Any]) -> None:
        """Show new values (after undo, redo, reload) without posting Changed."""
        self.plan = plan
        self.values = dict(values)
        for spec in self.specs:
            control = self._controls[spec.key]
            value = values.get(spec.key)
            with self.prevent(
                Input.Changed, Select.Changed, Checkbox.Changed, SelectionList.SelectedChanged
            ):
                if isinstance(control, Checkbox):
                    control.value = bool(value)
                elif isinstance(control, Select):
                    if spec.kind == "ref":
                        control.set_options(self._ref_options(spec, value))
                    current = value.value if isinstance(value, enum.Enum) else value
                    control.value = Select.NULL if current is None else current
                elif isinstance(control, SelectionList):
                    control.clear_options()
                    control.add_options(self._list_options(spec, value))
                elif isinstance(control, Input):
                    text = forms.format_value(spec, value)
                    keep = control.has_focus and _same(spec, control.value, value)
                    if (spec.key in self.errors or control.value != text) and not keep:
                        control.value = text
            if spec.key in self.errors:
                self.set_error(spec.key, None)

    def read_values(self) -> dict[str, Any]:
        """Every field's value; fields that do not parse are recorded in ``errors``."""
        values: dict[str, Any] = {}
        for spec in self.specs:
            try:
                values[spec.key] = self._control_value(spec, self._controls[spec.key])
            except ValueError as err:
                self.set_error(spec.key, str(err))
        return values

    def focus_field(self, key: str) -> bool:
        control = self._controls.get(key)
        if control is None:
            return False
        control.focus()
        self.scroll_to_widget(control)
        return True

    # --- events -----------------------------------------------------------------------

    def _changed(self, control: Widget) -> None:
        key = (control.id or "").removeprefix("f-")
        if key not in self._controls:
            return
        spec = self.spec(key)
        try:
            value = self._control_value(spec, control)
        except ValueError as err:
            self.set_error(key, str(err))
            return
        self.set_error(key, None)
        if _equal(self.values.get(key), value):
            return  # controls announce their first value when mounted: not an edit
        self.values[key] = value
        self.post_message(self.Changed(self, spec, value))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed(event.input)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._changed(event.select)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._changed(event.checkbox)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self._changed(event.selection_list)


def _same(spec: FieldSpec, text: str, value: Any) -> bool:
    """Whether the text being typed already means ``value`` (keep the user's spelling)."""
    try:
        return forms.parse_value(spec, text, "en") == value
    except ValueError:
        return False


def _equal(old: Any, new: Any) -> bool:
    """Whether a control's value is the value the form was filled with."""

    def plain(v: Any) -> Any:
        if isinstance(v, enum.Enum):
            return v.value
        if isinstance(v, list):
            return [plain(x) for x in v]
        if hasattr(v, "model_dump"):
            return v.model_dump(by_alias=True, exclude_none=True)
        return v

    if old in (None, []) and new in (None, []):
        return True
    return bool(plain(old) == plain(new))
