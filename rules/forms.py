from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.models import Unit
from integrity.pickers import SearchSelect, SearchSelectMultiple

from .models import ELEMENTS, Category, Decision, Rule, Status
from .services import MAX_ARTICLES, split_articles

MAX_ARTICLE_CHARS = 20_000
MAX_ELEMENT_CHARS = 5_000
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status"))] + Status.choices)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any category"))] + Category.choices
    )
    issuing_unit = forms.CharField(
        label=_("Issuing unit"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Code or part of the name")}),
    )
    in_force_on = forms.DateField(label=_("In force on"), required=False, widget=DATE_WIDGET)
    review_due_before = forms.DateField(label=_("Review due by"), required=False, widget=DATE_WIDGET)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-updated", _("Recently changed")),
            ("code", _("Code")),
            ("title", _("Title")),
            ("category", _("Category")),
            ("next_review", _("Next review")),
        ],
    )


def _articles_field():
    return forms.CharField(
        label=_("Articles"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("One article per paragraph: leave an empty line between articles. They are numbered in order."),
    )


class VersionTextForm(forms.Form):
    """The text of a draft: title, articles and the nine operability elements."""

    title = forms.CharField(label=_("Title"), max_length=300)
    articles = _articles_field()
    change_summary = forms.CharField(
        label=_("Change summary"),
        required=False,
        max_length=MAX_ELEMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required from the second version on: what this version changes and why."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave empty for a rule without an end date."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in ELEMENTS:
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=MAX_ELEMENT_CHARS, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the rule a title."))
        return title

    def clean_articles(self):
        articles = split_articles(self.cleaned_data["articles"])
        if not articles:
            raise forms.ValidationError(_("Write at least one article."))
        if len(articles) > MAX_ARTICLES:
            raise forms.ValidationError(_("At most %(max)d articles.") % {"max": MAX_ARTICLES})
        for number, text in enumerate(articles, start=1):
            if len(text) > MAX_ARTICLE_CHARS:
                raise forms.ValidationError(
                    _("Article %(number)d is %(length)d characters long; an article can have at most %(max)d.")
                    % {"number": number, "length": len(text), "max": MAX_ARTICLE_CHARS}
                )
        return articles

    def clean_expires_on(self):
        value = self.cleaned_data.get("expires_on")
        if value and value <= timezone.localdate():
            raise forms.ValidationError(_("The end date must be in the future."))
        return value

    def elements(self):
        return {name: self.cleaned_data.get(name, "") for name, _label in ELEMENTS}


class RuleCreateForm(VersionTextForm):
    code = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=40,
        help_text=_("Leave empty to number it automatically (IR-year-number)."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    issuing_unit = forms.ModelChoiceField(
        label=_("Issuing unit"), queryset=Unit.objects.filter(is_active=True), widget=SearchSelect("units")
    )
    parent = forms.ModelChoiceField(
        label=_("Parent rule"),
        required=False,
        queryset=Rule.objects.filter(status=Status.IN_FORCE),
        help_text=_("For implementation rules (实施细则): the rule they implement."),
        widget=SearchSelect("rules", scope="in_force"),
    )
    audience_units = forms.ModelMultipleChoiceField(
        label=_("Audience units"),
        required=False,
        queryset=Unit.objects.filter(is_active=True),
        help_text=_("The rule applies to the people of these units and the units below them. Empty: everyone."),
        widget=SearchSelectMultiple("units"),
    )
    audience_leading_only = forms.BooleanField(label=_("Leading cadres only"), required=False)
    review_interval_months = forms.IntegerField(
        label=_("Review interval (months)"), min_value=1, max_value=120, initial=24
    )

    field_order = ["code", "title", "category", "issuing_unit", "parent", "audience_units", "audience_leading_only"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if code and not all(c.isalnum() or c in "-_" for c in code):
            raise forms.ValidationError(_("Use letters, digits and dashes only, e.g. IR-2026-014."))
        if code and Rule.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError(_("The code %(code)s is already used by another rule.") % {"code": code})
        return code


class VersionEditForm(VersionTextForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class ConsultationOpenForm(forms.Form):
    ends_on = forms.DateField(label=_("Comments close after"), widget=DATE_WIDGET)
    audience_units = forms.ModelMultipleChoiceField(
        label=_("Units consulted"),
        queryset=Unit.objects.filter(is_active=True),
        widget=SearchSelectMultiple("units"),
        help_text=_("The people of these units (and the units below them) can comment."),
    )

    def clean_ends_on(self):
        value = self.cleaned_data["ends_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The consultation must end today or later."))
        return value


class CommentForm(forms.Form):
    article = forms.TypedChoiceField(label=_("Article"), required=False, coerce=int, empty_value=None)
    text = forms.CharField(label=_("Your comment"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", _("The draft as a whole"))] + [
            (a.number, _("Article %(number)s") % {"number": a.number}) for a in articles
        ]


class CommentDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[c for c in Decision.choices if c[0] != Decision.PENDING])
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the comment is partly or not adopted."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in (Decision.PARTLY, Decision.NOT_ADOPTED) and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the comment was not (fully) adopted."))
        return data


class SubmitForm(forms.Form):
    justification = forms.CharField(
        label=_("Justification for open items"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only when the operability check still has open items."),
    )


class ApproveForm(forms.Form):
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE_WIDGET)

    def clean_effective_from(self):
        value = self.cleaned_data["effective_from"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The effective date cannot be in the past."))
        return value


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class AbolishForm(ReasonForm):
    abolished_on = forms.DateField(label=_("Abolished as of"), widget=DATE_WIDGET)
    confirm = forms.BooleanField(
        label=_("I understand: the rule stops being in force and its tasks and acknowledgements end."), required=True
    )

    def clean_abolished_on(self):
        value = self.cleaned_data["abolished_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The abolition date cannot be in the future."))
        return value


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Compare version"), min_value=1)
    b = forms.IntegerField(label=_("with version"), min_value=1)
