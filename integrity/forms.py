from django import forms
from django.utils.translation import gettext_lazy as _


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class MarkReadForm(forms.Form):
    notification = forms.IntegerField(required=False, min_value=1)
