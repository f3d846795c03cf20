"""Form pieces shared by the feature apps."""

import re

from django import forms


class BaseRowFormSet(forms.BaseFormSet):
    """Rows of a list in an API body (`api_field`, e.g. `connection_variables`); rows without
    a name are left out. Errors the API reports by position (`connection_variables[1].name`,
    in the service layer's Python names) land on the row that produced that position, others
    about the list above it."""

    api_field = ""
    # The service layer's names of a row's fields -> the row form's, where they differ.
    renamed: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.api_errors: list[str] = []

    def add_api_error(self, path: str, message: str) -> bool:
        # `responses[1].status`, or deeper (`responses[1].definitions[0].definition`): the
        # row's field named first.
        if match := re.match(rf"{re.escape(self.api_field)}\[(\d+)\]\.(\w+)", path):
            filled, index = self.filled(), int(match[1])
            name = self.renamed.get(match[2], match[2])
            if index < len(filled) and name in filled[index].fields:
                filled[index].add_error(name, message)
                return True
        if path.startswith(self.api_field):
            self.api_errors.append(message)
            return True
        return False

    def filled(self) -> list[forms.Form]:
        return [form for form in self.forms if form.cleaned_data.get("name")]

    def with_another_row(self, data) -> "BaseRowFormSet":
        """The same rows as submitted plus an empty one (the "Add …" button)."""
        data = data.copy()
        total = f"{self.prefix}-TOTAL_FORMS"
        data[total] = str(int(data.get(total) or 0) + 1)
        return type(self)(data, prefix=self.prefix, form_kwargs=self.form_kwargs)
