"""Re-showing a form without judging it.

Buttons such as "Add credential" or "Move up" re-render the form with what was typed and save
nothing; the form should not then complain about fields the user has not reached yet. A form
marked quiet has no errors until it is validated again.
"""

from django import forms
from django.forms.utils import ErrorDict, ErrorList


def quiet(*items: forms.Form | forms.BaseFormSet) -> None:
    """Show these bound forms (or formsets) with what was typed and no error messages."""
    for item in items:
        if isinstance(item, forms.BaseFormSet):
            item._errors, item._non_form_errors = [], ErrorList()
            quiet(*item.forms)
        else:
            item._errors, item.cleaned_data = ErrorDict(), {}
            quiet(*getattr(item, "data_forms", {}).values())
