from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from integrity.uploads import ALLOWED_DESCRIPTION, validate_upload
from rules.models import Rule
from rules.models import Status as RuleStatus

from . import receipts
from .models import CADRE_KINDS, PUBLIC_KINDS, Channel, Kind, Status
from .services import MAX_TEXT
from .transitions import OFFICER_MOVES

TEXT_ERRORS = {
    "required": _("Write what the feedback is about."),
    "max_length": _(
        "The text is too long: at most %(limit_value)d characters (it has %(show_value)d). Shorten it or attach a file."
    ),
}
RULE_ERRORS = {
    "required": _("Choose the rule the feedback is about."),
    "unknown": _("No rule in force has the code %(code)s. Check the code on the rule's page."),
}
RULE_HELP = _("Type the rule's code, like IR-2019-001; rules recently in force are suggested as you type.")
RECENT_RULES = 200
RECENT_RULES_KEY = "feedback:recent-rule-options"
RECENT_RULES_SECONDS = 300


def recent_rules() -> list[tuple[str, str]]:
    """(code, title) of the rules most recently come into force, suggested under the rule code input."""
    rules = Rule.objects.in_force().order_by(F("in_force_since").desc(nulls_last=True), "-pk")
    return [(code, title[:80]) for code, title in rules.values_list("code", "title")[:RECENT_RULES]]


def recent_rule_options() -> str:
    """The <option>s of the recent rules' <datalist>, escaped once and cached five minutes as one string:
    the same for every visitor, and the public form is busy (escaping 200 options on every request cost
    more than the rest of the form)."""
    return cache.get_or_set(
        RECENT_RULES_KEY,
        lambda: str(format_html_join("", '<option value="{}">{}</option>', recent_rules())),
        RECENT_RULES_SECONDS,
    )


def rule_in_force(code) -> Rule | None:
    """The rule in force with this code, typed with stray spaces or in lower case too."""
    code = (code or "").strip()
    if not code:
        return None
    in_force = Rule.objects.filter(status=RuleStatus.IN_FORCE).select_related("current_version")
    rule = in_force.filter(code=code).first()
    if rule is None and code.upper() != code:
        rule = in_force.filter(code=code.upper()).first()
    return rule


class RuleCodeInput(forms.TextInput):
    """A text input for a rule code, with a <datalist> of the rules most recently in force (not every
    rule in force: there are tens of thousands). A form with two rule codes lists them once: the second
    input names the first one's list (`list_of`, the other field's name)."""

    def __init__(self, attrs=None, list_of=None):
        defaults = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        super().__init__({**defaults, **(attrs or {})})
        self.list_of = list_of

    def render(self, name, value, attrs=None, renderer=None):
        own_id = (attrs or {}).get("id") or f"id_{name}"
        if self.list_of:
            list_id = f"{own_id.removesuffix(name)}{self.list_of}-codes"
            return super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        list_id = f"{own_id}-codes"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, mark_safe(recent_rule_options()))  # noqa: S308 (escaped by format_html_join)


class RuleField(forms.CharField):
    """A rule in force, typed by its code (links pass ?rule=IR-2019-001); cleans to the Rule."""

    widget = RuleCodeInput
    default_error_messages = RULE_ERRORS

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return getattr(value, "code", value)

    def to_python(self, value):
        return super().to_python(getattr(value, "code", value))

    def clean(self, value):
        code = super().clean(value)
        if code in self.empty_values:
            return None
        rule = rule_in_force(code)
        if rule is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"code": code})
        return rule


def attachment_max_bytes() -> int:
    return int(getattr(settings, "FEEDBACK_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024))


def _attachment_help():
    return gettext("Optional. Allowed: %(types)s; at most %(size)s.") % {
        "types": ALLOWED_DESCRIPTION,
        "size": filesizeformat(attachment_max_bytes()),
    }


def _attachment_field():
    return forms.FileField(label=_("Attachment"), required=False, help_text=lazy(_attachment_help, str)())


def _check_attachment(upload):
    if upload:
        validate_upload(upload, max_bytes=attachment_max_bytes())
    return upload


class TokenForm(forms.Form):
    """A form with a one-time token: sent twice, it still creates one item."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", receipts.new_token())

    def clean_token(self):
        token = self.cleaned_data["token"]
        if len(token) < 16:
            raise forms.ValidationError(_("The form expired. Reload the page and send it again."))
        return token


class FeedbackForm(TokenForm):
    """The cadre's feedback form: short, one column, fits a phone."""

    rule = RuleField(label=_("Rule"), help_text=RULE_HELP)
    article = forms.TypedChoiceField(
        label=_("Article"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Optional: the article it is about."),
    )
    kind = forms.ChoiceField(
        label=_("What is the problem?"),
        widget=forms.RadioSelect,
        choices=[(k.value, k.label) for k in CADRE_KINDS],
        error_messages={"required": _("Choose what kind of feedback this is.")},
    )
    conflicting_rule = RuleField(
        label=_("Conflicts with which rule?"),
        widget=RuleCodeInput(list_of="rule"),
        required=False,
        help_text=_("Only when the rule conflicts with another rule."),
    )
    text = forms.CharField(
        label=_("Your feedback"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=TEXT_ERRORS,
        help_text=_("What is wrong, where, and what would work better."),
    )
    attachment = _attachment_field()
    anonymous = forms.BooleanField(
        label=_("Send anonymously"),
        required=False,
        help_text=_(
            "Officers will not see who sent it. You get a receipt code to read the reply; "
            "it will not appear under My feedback."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.data.get("rule") if self.is_bound else self.initial.get("rule")
        code = getattr(code, "code", code)
        self.rule_obj = rule_in_force(code) if isinstance(code, str) else None
        articles = []
        if self.rule_obj and self.rule_obj.current_version_id:
            articles = list(self.rule_obj.current_version.articles.order_by("number"))
        self.articles = {a.number: a for a in articles}
        self.fields["article"].choices = [("", _("The whole rule"))] + [
            (a.number, _("Article %(number)s") % {"number": a.number} + f" — {a.text[:50]}") for a in articles
        ]

    def clean_attachment(self):
        return _check_attachment(self.cleaned_data.get("attachment"))

    def clean(self):
        data = super().clean()
        number = data.get("article")
        if number is not None and data.get("rule") is not None:
            data["article_obj"] = self.articles.get(number)
            if data["article_obj"] is None:
                self.add_error("article", _("This rule has no article %(number)s.") % {"number": number})
        if data.get("kind") == Kind.CONFLICT and not data.get("conflicting_rule"):
            self.add_error("conflicting_rule", _("Say which rule it conflicts with."))
        return data


class ReportForm(TokenForm):
    """The public reporting channel: no account needed."""

    kind = forms.ChoiceField(
        label=_("What do you want to report?"),
        widget=forms.RadioSelect,
        choices=[(k.value, k.label) for k in PUBLIC_KINDS],
        error_messages={"required": _("Choose what you want to report.")},
    )
    rule = RuleField(
        label=_("Which rule? (optional)"),
        required=False,
        help_text=_(
            "The rule's code, like IR-2019-001. Leave it empty if you don't know it or it is not about one rule."
        ),
    )
    text = forms.CharField(
        label=_("What happened?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={**TEXT_ERRORS, "required": _("Describe what you want to report.")},
        help_text=_("Who, what, when and where, as far as you know."),
    )
    attachment = _attachment_field()
    contact = forms.CharField(
        label=_("Your name and how to reach you (optional)"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to stay anonymous. You can always follow up with your receipt code."),
    )

    def clean_attachment(self):
        return _check_attachment(self.cleaned_data.get("attachment"))


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Enter the receipt code you were given.")},
        help_text=_("16 letters and digits, like 7K3M-Q9TX-2HVD-4WPA. Dashes and spaces do not matter."),
    )


class SenderMessageForm(TokenForm):
    text = forms.CharField(
        label=_("Your answer or new information"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={**TEXT_ERRORS, "required": _("Write your answer or the new information.")},
    )
    attachment = _attachment_field()

    def clean_attachment(self):
        return _check_attachment(self.cleaned_data.get("attachment"))


class ReplyForm(TokenForm):
    text = forms.CharField(
        label=_("Reply to the sender"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={**TEXT_ERRORS, "required": _("Write the reply.")},
        help_text=_("The sender reads this. Ask a question here if you need more information."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={**TEXT_ERRORS, "required": _("Write the note.")},
        help_text=_("Only officers see notes; the sender never does."),
    )


def _officer_choices():
    from .selectors import officer_choices

    return officer_choices()


class OfficerField(forms.TypedChoiceField):
    """An officer, listed from the cached (id, name) choices; the one chosen is read from the database
    and must still be an active officer (or admin)."""

    def __init__(self, *, empty_label=None, **kwargs):
        self.empty_label = empty_label
        super().__init__(choices=self._choices_with_empty, coerce=int, **kwargs)

    def _choices_with_empty(self):
        return [("", self.empty_label or "---------")] + [(str(pk), name) for pk, name in _officer_choices()]

    def clean(self, value):
        pk = super().clean(value)
        if pk in (None, ""):
            return None
        return self._officer(pk)

    def valid_value(self, value):
        return str(value).isdigit()

    def _officer(self, pk):
        from integrity.models import User
        from integrity.roles import Role, role_of

        user = User.objects.filter(pk=pk, is_active=True).first()
        if user is None or role_of(user) not in (Role.ADMIN, Role.OFFICER):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
            )
        return user


class AssignForm(forms.Form):
    assignee = OfficerField(
        label=_("Assign to"),
        empty_label=_("Choose an officer"),
        error_messages={"required": _("Choose the officer to assign it to.")},
    )


class IdsField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            return sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("The selection is not valid; reload the list.")) from None

    def validate(self, value):
        if not value:
            raise forms.ValidationError(_("Select at least one item to assign."))
        if len(value) > 500:
            raise forms.ValidationError(_("Assign at most 500 items at once."))


class BulkAssignForm(AssignForm):
    items = IdsField(label=_("Items"))


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=[(s.value, s.label) for s in Status if s in OFFICER_MOVES])
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("open", _("Open (not closed)"))] + Status.choices,
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind"))] + Kind.choices)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("Any channel"))] + Channel.choices)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    rule = forms.CharField(label=_("Rule code"), required=False, max_length=40)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    review_suggested = forms.BooleanField(label=_("Review suggested only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-received", _("Newest first")),
            ("received", _("Oldest first")),
            ("due", _("Response due (soonest)")),
            ("rule", _("Rule")),
            ("status", _("Status")),
        ],
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("me", _("Assigned to me")),
            ("none", _("Unassigned")),
        ] + [(str(pk), name) for pk, name in officers]
