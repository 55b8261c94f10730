from django import forms
from django.forms.models import ModelChoiceIterator
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
