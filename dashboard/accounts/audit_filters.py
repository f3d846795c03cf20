"""The audit page's filters: a GET form that turns `request.GET` into a filtered queryset.

The page and the CSV export both use it, so the export is exactly what the page shows.
"""

from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from dashboard.environments.registry import Environment

from .audit_words import SKIPPED
from .history import subject_for
from .models import AuditEntry

OUTCOME_OK, OUTCOME_FAILED = "ok", "failed"


class AuditFilterForm(forms.Form):
    environment = forms.ChoiceField(required=False, label="Environment")
    user = forms.CharField(required=False, max_length=150, label="User")
    action = forms.ChoiceField(required=False, label="Action")
    target = forms.CharField(
        required=False,
        max_length=200,
        label="Target",
        widget=forms.TextInput(attrs={"placeholder": "Kind, id or name"}),
    )
    object = forms.CharField(
        required=False,
        max_length=300,
        label="Object and what is inside it",
        widget=forms.TextInput(
            attrs={"placeholder": "connector:<id>, connection:<connector id>/<id>…"}
        ),
    )
    outcome = forms.ChoiceField(
        required=False,
        label="Outcome",
        choices=[
            ("", "Any"),
            (OUTCOME_OK, "Succeeded"),
            (OUTCOME_FAILED, "Failed"),
            (SKIPPED, "Skipped (nothing to do)"),
        ],
    )
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data=None, *, actions: list[str], environments: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["action"].choices = [("", "Any"), *((action, action) for action in actions)]
        self.fields["environment"].choices = [("", "Any"), *environments]

    @property
    def filtering(self) -> bool:
        return any(self.cleaned_data.values())

    def clean_object(self):
        """The object's history (`history.Subject`), as its History tab shows it."""
        key = self.cleaned_data["object"].strip()
        if not key:
            return None
        subject = subject_for(key)
        if subject is None:
            raise forms.ValidationError(
                "Write connector:<id>, version:<connector id>/<name>, "
                "connection:<connector id>/<id> or credential:<id>."
            )
        return subject

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return cleaned

    def filter(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """`entries` narrowed by the valid filters; call after `is_valid()`."""
        data = self.cleaned_data
        if data.get("environment"):
            entries = entries.filter(environment=data["environment"])
        if data.get("user"):
            entries = entries.filter(username__iexact=data["user"])
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("target"):
            target = data["target"]
            entries = entries.filter(
                Q(target_kind__iexact=target)
                | Q(target_id__iexact=target)
                | Q(target_name__icontains=target)
                # an id also finds the calls on what is inside it (a connector's versions...)
                | Q(path__contains=f"/{target}/")
                | Q(path__endswith=f"/{target}")
            )
        if data.get("object"):
            entries = entries.filter(data["object"].where)
        if data.get("outcome") == OUTCOME_OK:
            entries = entries.filter(outcome=OUTCOME_OK)
        elif data.get("outcome") == OUTCOME_FAILED:  # a skip changed nothing, failing nothing
            entries = entries.exclude(outcome__in=[OUTCOME_OK, SKIPPED])
        elif data.get("outcome") == SKIPPED:
            entries = entries.filter(outcome=SKIPPED)
        # Dates are whole days in the dashboard's time zone, both ends included.
        if data.get("since"):
            entries = entries.filter(at__gte=_start_of(data["since"]))
        if data.get("until"):
            entries = entries.filter(at__lt=_start_of(data["until"] + timedelta(days=1)))
        return entries


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_filter_form(data, configured: list[Environment]) -> AuditFilterForm:
    """The form bound to `data`, offering the actions recorded so far and every environment by
    name: those `configured` (even with nothing recorded yet), then those recorded but removed."""
    actions = AuditEntry.objects.values_list("action", flat=True).distinct().order_by("action")
    offered = [(environment.slug, environment.name) for environment in configured]
    known = {slug for slug, _ in offered}
    recorded = AuditEntry.objects.values_list("environment", flat=True).distinct()
    removed = [(slug, f"{slug} (removed)") for slug in recorded.order_by("environment")]
    environments = offered + [choice for choice in removed if choice[0] not in known]
    return AuditFilterForm(data, actions=list(actions), environments=environments)
