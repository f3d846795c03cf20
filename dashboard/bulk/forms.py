"""What every bulk action's form shares: the ticked items, and being posted again, unchanged,
when its preview is confirmed."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

# A selection's scope: the ticked rows, or every item matching the filters of the list it was
# made on (its `next`), on every page ("Select all N matching", static/js/bulk.js).
SELECTED, ALL_MATCHING = "selected", "all"


class KeysField(forms.Field):
    """Repeated parameters naming the ticked items (ids or names), blanks and repeats dropped."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, most: int, **kwargs):
        self.most = most
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        values = [value] if isinstance(value, str) else list(value or [])
        keys = list(dict.fromkeys(v.strip() for v in values if v.strip()))
        if len(keys) > self.most:
            raise ValidationError(f"Tick at most {self.most} rows.")
        return keys


class ScopeField(forms.ChoiceField):
    def __init__(self):
        choices = [(SELECTED, "The ticked rows"), (ALL_MATCHING, "All matching")]
        super().__init__(choices=choices, initial=SELECTED, required=False)


class BulkForm(forms.Form):
    # The list the selection was made on, and where to return.
    next = forms.CharField(required=False, max_length=2000)

    def hidden_pairs(self) -> list[tuple[str, str]]:
        """The form as posted, to post again when the preview is confirmed."""
        data = cast(QueryDict, self.data)
        return [(name, value) for name in self.fields for value in data.getlist(name)]

    def problems(self) -> list[str]:
        return [str(error) for errors in self.errors.values() for error in errors]
