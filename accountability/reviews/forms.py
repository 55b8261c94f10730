from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.models import Unit, User
from integrity.pickers import SearchSelect
from integrity.selectors import officers
from rules.models import Category, Rule, Status

from .models import Criterion, Outcome, ReviewKind, ReviewStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReviewFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("active", _("Active"))] + ReviewStatus.choices,
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind"))] + ReviewKind.choices)
    mine = forms.BooleanField(label=_("Mine to review"), required=False)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    rule = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    campaign = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ReviewOpenForm(forms.Form):
    rule = forms.ModelChoiceField(
        label=_("Rule"),
        queryset=Rule.objects.filter(status=Status.IN_FORCE).order_by("code"),
        widget=SearchSelect("rules", scope="in_force"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(ReviewKind.SPECIAL, ReviewKind.SPECIAL.label), (ReviewKind.FEEDBACK, ReviewKind.FEEDBACK.label)],
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    reviewers = forms.ModelMultipleChoiceField(label=_("Reviewers"), queryset=User.objects.none())
    reason = forms.CharField(
        label=_("Why this review"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = officers()

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The review deadline cannot be in the past."))
        return value


class ScoreForm(forms.Form):
    """Five criteria, each 1–5 with a comment."""

    seen_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_scores = initial_scores or {}
        for criterion, label in Criterion.choices:
            score, comment = initial_scores.get(criterion, (None, ""))
            self.fields[f"score_{criterion}"] = forms.IntegerField(
                label=label,
                min_value=1,
                max_value=5,
                initial=score,
                widget=forms.NumberInput(attrs={"min": 1, "max": 5, "inputmode": "numeric"}),
            )
            self.fields[f"comment_{criterion}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=2000,
                initial=comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self):
        return {c: (self.cleaned_data[f"score_{c}"], self.cleaned_data[f"comment_{c}"]) for c in Criterion.values}

    def rows(self):
        return [(self[f"score_{c}"], self[f"comment_{c}"]) for c in Criterion.values]


class ProposeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Proposed outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What to change, or why"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required for amend (what to change), abolish (the reason) and implementation rules (what they settle)."
        ),
    )
    merge_target = forms.ModelChoiceField(
        label=_("Merge into"),
        required=False,
        queryset=Rule.objects.filter(status=Status.IN_FORCE).order_by("code"),
        help_text=_("Required when the outcome is merge."),
        widget=SearchSelect("rules", scope="in_force"),
    )

    def clean(self):
        data = super().clean()
        outcome, note = data.get("outcome"), (data.get("note") or "").strip()
        if outcome in (Outcome.AMEND, Outcome.ABOLISH, Outcome.IMPLEMENTATION) and not note:
            self.add_error("note", _("This outcome needs an explanation."))
        if outcome == Outcome.MERGE and not data.get("merge_target"):
            self.add_error("merge_target", _("Choose the rule to merge into."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories"))] + Category.choices
    )
    issuing_unit = forms.ModelChoiceField(
        label=_("Issuing unit"),
        required=False,
        queryset=Unit.objects.filter(is_active=True),
        empty_label=_("All units"),
        widget=SearchSelect("units"),
    )
    in_force_before = forms.DateField(
        label=_("In force before"),
        required=False,
        widget=DATE,
        help_text=_("E.g. five years ago, to clean up old rules."),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    reviewers = forms.ModelMultipleChoiceField(label=_("Reviewers"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = officers()

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The campaign deadline cannot be in the past."))
        return value
