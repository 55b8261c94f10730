"""Choice labels for list pages: get_<field>_display() from one dict per field and language.

Django's own get_FOO_display() rebuilds a dict of every choice on each call, translating each
lazy label again; a register page with 25 rows and three labelled columns paid for that 75 times.
"""

from django.utils.encoding import force_str
from django.utils.translation import get_language

_labels: dict = {}


def choice_labels(field) -> dict:
    """{value: label} of a model field's choices in the active language (built once per language)."""
    key = (field.model, field.name, get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = _labels[key] = {value: force_str(label) for value, label in field.flatchoices}
    return labels


class ChoiceLabelsMixin:
    """Model mixin: every get_<field>_display() reads choice_labels() instead of rebuilding them."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            return choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value: what Django itself would show
            return force_str(value, strings_only=True)
