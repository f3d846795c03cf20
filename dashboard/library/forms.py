"""The library's import form."""

from django import forms


class ImportForm(forms.Form):
    """Which public connector, and which of its published versions, to import."""

    connector_id = forms.CharField(max_length=100, widget=forms.HiddenInput)
    version = forms.CharField(label="Version", max_length=200)
