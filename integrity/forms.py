from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _


class ChoicesInOneQuery(ModelChoiceIterator):
    """Reads a short list of model choices with one plain query. Django's own iterator opens a
    server-side cursor (DECLARE, FETCH, CLOSE: three round trips), which costs more than the few
    rows of a filter's <select>. For lists that can be long, use a picker (integrity.pickers)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # the field's own queryset: read once, also by a view that lists it
            yield self.choice(obj)


class ShortModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for a few dozen choices at most (see ChoicesInOneQuery)."""

    iterator = ChoicesInOneQuery


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class MarkReadForm(forms.Form):
    notification = forms.IntegerField(required=False, min_value=1)


class NotificationPreferenceForm(forms.Form):
    delivery = forms.ChoiceField(label=_("How should reminders reach you by e-mail?"), widget=forms.RadioSelect)
    muted_occasions = forms.MultipleChoiceField(
        label=_("Mute these reminders"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Escalations — reminders sent to you as a supervisor or top leader — cannot be muted."),
    )
    language = forms.ChoiceField(label=_("Language of reminders"), required=False)

    def __init__(self, *args, occasions=(), **kwargs):
        from django.conf import settings

        from .models import DeliveryMode

        super().__init__(*args, **kwargs)
        self.fields["delivery"].choices = DeliveryMode.choices
        self.fields["muted_occasions"].choices = [(o.code, o.label) for o in occasions if o.can_be_muted]
        self.fields["language"].choices = [("", _("The site's language")), *settings.LANGUAGES]


# --- Widget rendering ---------------------------------------------------------------------------

_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)


def _attrs(attrs) -> str:
    # django/forms/widgets/attrs.html
    shown = []
    for name, value in attrs.items():
        if value is True:
            shown.append(f" {conditional_escape(name)}")
        elif value is not False:
            shown.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(shown)


def _input(widget) -> str:
    # django/forms/widgets/input.html, as included by text.html, date.html, checkbox.html, ...
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _select(widget) -> str:
    # django/forms/widgets/select.html with select_option.html for each option
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)  # stripped, as BaseRenderer.render strips what a template gives


def _plain_options(widget) -> bool:
    """The select's options all use Django's own option template (a widget may name another)."""
    return all(
        option.get("template_name") == "django/forms/widgets/select_option.html"
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


class ProjectFormRenderer(TemplatesSetting):
    """Widgets render through the project's template engine (templates/ first, then Django's own), except
    the most common ones: text-like inputs, checkboxes and selects are written here, with the same
    markup as Django's templates (integrity/tests/test_forms.py compares them). A form page renders a
    dozen widgets, and a select one template per option; through templates that costs more than
    the page's queries."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if widget is not None and type(widget) is dict:
            if template_name in _INPUT_TEMPLATES and widget.get("template_name") == template_name:
                return _input(widget)
            if template_name == "django/forms/widgets/select.html" and _plain_options(widget):
                return _select(widget)
        return super().render(template_name, context, request)
