from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.forms import ShortModelChoiceField
from integrity.models import Unit, User
from integrity.pickers import SearchSelect, SearchSelectMultiple, person_label
from integrity.selectors import officers, people_of
from integrity.uploads import ALLOWED_DESCRIPTION, MAX_UPLOAD_BYTES, validate_upload
from rules.models import Article, Rule, Status

from .models import TaskState

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_TEXT = 5_000


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class AssignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"),
        queryset=Unit.objects.filter(is_active=True),
        widget=SearchSelect("units"),
        help_text=_("The unit that leads the implementation (牵头单位)."),
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-responsible units"),
        required=False,
        queryset=Unit.objects.filter(is_active=True),
        widget=SearchSelectMultiple("units"),
        help_text=_("Units that implement it with the lead unit (配合单位)."),
    )
    supervisor = PersonChoiceField(label=_("Supervising officer"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = officers().select_related("unit")

    def clean(self):
        data = super().clean()
        lead, co = data.get("lead_unit"), data.get("co_units") or []
        if lead is not None and lead in co:
            self.add_error("co_units", _("The lead unit cannot also be a co-responsible unit."))
        return data


class ResponsiblePersonForm(forms.Form):
    person = PersonChoiceField(label=_("Responsible person"), queryset=User.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why this person, rather than the unit's top leader, answers for the rule."),
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["person"].queryset = people_of([unit])

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why someone other than the default is the responsible person."))
        return reason


def _offer(field, objects) -> None:
    """The choices of a ModelChoiceField from objects already read, in the order its queryset gives them:
    rendering the form then sends no statement of its own."""
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = empty + [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in objects]


class TaskCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    article = forms.ModelChoiceField(
        label=_("Article implemented"), required=False, queryset=Article.objects.none(), empty_label=_("The whole rule")
    )
    description = forms.CharField(
        label=_("What must be done"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET)
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        # The units' people can run into the hundreds: looked up as the officer types, not listed.
        widget=SearchSelect("people"),
        help_text=_("A person of the unit who answers for the task."),
    )

    def __init__(self, *args, rule=None, units=(), articles=None, **kwargs):
        """`units`: the responsible units (read already); `articles`: the articles of the rule's version in
        force, where the caller has read them. Both are offered from these objects; a choice sent back is
        checked against the database (the fields' querysets)."""
        super().__init__(*args, **kwargs)
        units = list(units)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        _offer(self.fields["unit"], sorted(units, key=lambda u: u.path))  # Unit's order
        self.fields["owner"].queryset = people_of(units)
        self.fields["owner"].widget.scope = "units:" + ",".join(str(u.pk) for u in units)
        if rule is not None and rule.current_version_id:
            self.fields["article"].queryset = Article.objects.filter(version_id=rule.current_version_id)
            self.fields["article"].label_from_instance = lambda a: f"{a} — {a.text[:60]}"
            if articles is not None:
                _offer(self.fields["article"], sorted(articles, key=lambda a: a.number))  # Article's order

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return value

    def clean(self):
        data = super().clean()
        unit, owner = data.get("unit"), data.get("owner")
        if unit and owner and not (owner.unit and owner.unit.path.startswith(unit.path)):
            self.add_error("owner", _("The owner must be an active member of %(unit)s.") % {"unit": unit})
        return data


EVIDENCE_HELP = _("Optional. At most %(size)s; allowed: %(types)s.") % {
    "size": filesizeformat(MAX_UPLOAD_BYTES),
    "types": ALLOWED_DESCRIPTION,
}


class EvidenceMixin:
    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        validate_upload(evidence)
        return evidence


class ProgressReportForm(EvidenceMixin, forms.Form):
    percent = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Progress cannot be below 0."),
            "max_value": _("Progress cannot be above 100."),
        },
    )
    text = forms.CharField(
        label=_("What was done"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(label=_("Evidence file"), required=False, help_text=EVIDENCE_HELP)


class MarkDoneForm(EvidenceMixin, forms.Form):
    text = forms.CharField(
        label=_("Summary of what was done"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(label=_("Evidence file"), required=False, help_text=EVIDENCE_HELP)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason.")},
    )


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), ("open_all", _("Not closed"))] + TaskState.choices,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.none(), empty_label=_("Any unit")
    )
    rule = forms.CharField(label=_("Rule code"), required=False, max_length=40)
    mine = forms.BooleanField(label=_("I own"), required=False)
    supervised = forms.BooleanField(label=_("Rules I supervise"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("deadline", _("Deadline")),
            ("-deadline", _("Deadline, latest first")),
            ("unit", _("Unit")),
            ("rule", _("Rule")),
            ("state", _("State")),
            ("-updated", _("Recently changed")),
        ],
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class MyRulesFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All that apply to me")), ("pending", _("Still to acknowledge")), ("done", _("Acknowledged"))],
    )


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET)
    rules = forms.ModelMultipleChoiceField(
        label=_("Rules"),
        queryset=Rule.objects.filter(status=Status.IN_FORCE).order_by("code"),
        widget=SearchSelectMultiple("rules", scope="in_force"),
        help_text=_("Rules in force whose version in force must be acknowledged."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.filter(is_active=True),
        widget=SearchSelectMultiple("units"),
        help_text=_("The people of these units and of the units below them."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return value


class CompletionFilterForm(forms.Form):
    unit = ShortModelChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.none(), empty_label=_("Any unit")
    )
    rule = ShortModelChoiceField(
        label=_("Rule"), required=False, queryset=Rule.objects.none(), empty_label=_("Any rule")
    )
    sort = forms.ChoiceField(
        label=_("Units sorted by"),
        required=False,
        choices=[
            ("percent", _("Lowest completion first")),
            ("-percent", _("Highest completion first")),
            ("name", _("Unit")),
        ],
    )

    def __init__(self, *args, units=None, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["rule"].queryset = rules if rules is not None else Rule.objects.none()
