"""Form fields holding a table of rows (a pathway's steps, a doctor's hours and leave days).

Each row's inputs are named ``<field>-<i>-<column>``; ``<field>-count`` says how many rows the
form has. The buttons beside a row (``rows=<field>:<i>:up|down|remove``, ``rows=<field>:add``)
submit the whole form, which comes back rearranged and unsaved (:func:`rearrange`), so the admin
needs no script and loses nothing typed.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from counter.admin.fields import Field, FieldError

MAX_ROWS = 40


class RowsField(Field):
    """Subclasses name their ``columns`` (``multi`` ones hold several values), say which row is
    blank, and turn the rows read into values (raising FieldError with every problem)."""

    columns: tuple[str, ...] = ()
    multi: tuple[str, ...] = ()
    blank_rows = 0  # rows added for a new object's form

    def rows_from_form(self, form) -> list[dict]:
        try:
            count = min(int(form.get(f"{self.name}-count", "0")), MAX_ROWS)
        except ValueError:
            count = 0
        rows = []
        for i in range(max(count, 0)):
            row = {}
            for column in self.columns:
                key = f"{self.name}-{i}-{column}"
                row[column] = form.getlist(key) if column in self.multi else form.get(key, "")
            rows.append(row)
        return rows

    def rows_of(self, obj) -> list[dict]:
        """The rows of a saved object as the form shows them (strings)."""
        raise NotImplementedError

    def blank(self, index: int) -> dict:
        return {column: [] if column in self.multi else "" for column in self.columns}

    def is_blank(self, row: dict) -> bool:
        return not any(row[c] for c in self.columns if c not in self.multi)

    def rows(self, obj, form) -> list[dict]:
        """What the form shows: the submitted rows, or the object's, or blank ones."""
        if form is not None:
            return self.rows_from_form(form)
        if obj is not None:
            return self.rows_of(obj)
        return [self.blank(i) for i in range(self.blank_rows)]

    def parse(self, form) -> list:
        rows = [row for row in self.rows_from_form(form) if not self.is_blank(row)]
        problems: list[str] = []
        values = self.parse_rows(rows, problems)
        if problems:
            raise FieldError(" ".join(problems))
        return values

    def parse_rows(self, rows: list[dict], problems: list[str]) -> list:
        raise NotImplementedError


def rows_to_form(form, field: RowsField, rows: list[dict]) -> MultiDict:
    """A copy of ``form`` whose rows of ``field`` are ``rows``."""
    prefix = f"{field.name}-"
    kept = [(k, v) for k, v in form.items(multi=True) if not k.startswith(prefix) and k != "rows"]
    new = MultiDict(kept)
    new[f"{field.name}-count"] = str(len(rows))
    for i, row in enumerate(rows):
        for column in field.columns:
            key = f"{field.name}-{i}-{column}"
            if column in field.multi:
                new.setlist(key, list(row[column]))
            else:
                new[key] = row[column]
    return new


def rearrange(fields: list[Field], form) -> MultiDict | None:
    """The form with a row moved, removed or added, if a row button was pressed; else None."""
    action = form.get("rows", "")
    if not action:
        return None
    name, _, rest = action.partition(":")
    field = next((f for f in fields if isinstance(f, RowsField) and f.name == name), None)
    if field is None:
        return None
    rows = field.rows_from_form(form)
    if rest == "add":
        if len(rows) < MAX_ROWS:
            rows.append(field.blank(len(rows)))
        return rows_to_form(form, field, rows)
    index, _, move = rest.partition(":")
    if not index.isdigit() or int(index) >= len(rows):
        return rows_to_form(form, field, rows)
    i = int(index)
    if move == "remove":
        rows.pop(i)
    elif move == "up" and i > 0:
        rows[i - 1], rows[i] = rows[i], rows[i - 1]
    elif move == "down" and i < len(rows) - 1:
        rows[i + 1], rows[i] = rows[i], rows[i + 1]
    return rows_to_form(form, field, rows)
