"""The widgets ProjectFormRenderer writes in Python give exactly what Django's templates give."""

import datetime

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from integrity.forms import ProjectFormRenderer


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"placeholder": 'say "hi" & <b>'}))
    number = forms.IntegerField(min_value=1)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField(required=False)
    search = forms.CharField(widget=forms.SearchInput, required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    flag = forms.BooleanField(required=False)
    off = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"disabled": True, "data-x": False}))
    kind = forms.ChoiceField(choices=[("", "Any"), ("a", "A & B"), ("<c>", mark_safe("<em>C</em>")), (3, 3)])
    grouped = forms.ChoiceField(
        choices=[("Letters", [("a", "A"), ("b", "B")]), ("Numbers", [("1", "One")]), ("z", "Zed")], required=False
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")], required=False)
    nullable = forms.NullBooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)  # not fast-pathed: through the template


DATA = {
    "text": "<script>",
    "number": "7",
    "day": "2026-11-29",
    "moment": "2026-11-29 10:00",
    "search": 'a "quoted" query',
    "secret": "s3cret&",
    "hidden": "h",
    "flag": "on",
    "kind": "<c>",
    "grouped": "b",
    "many": ["x", "z"],
    "nullable": "true",
    "note": "line <1>",
}


@pytest.mark.parametrize("data", [None, DATA], ids=["unbound", "bound"])
@pytest.mark.parametrize("name", list(EveryWidget.base_fields))
def test_fast_widgets_match_the_templates(name, data):
    def rendered(renderer):
        form = EveryWidget(data, renderer=renderer, initial={"day": datetime.date(2026, 1, 2), "number": 3})
        return str(form[name])

    assert rendered(ProjectFormRenderer()) == rendered(TemplatesSetting())


def test_whole_forms_match_the_templates():
    assert (
        EveryWidget(DATA, renderer=ProjectFormRenderer()).as_div()
        == EveryWidget(DATA, renderer=TemplatesSetting()).as_div()
    )


class StarredSelect(forms.Select):
    option_template_name = "includes/test_starred_option.html"


def test_a_select_with_its_own_option_template_goes_through_the_templates(tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "includes").mkdir(parents=True)
    (template_dir / "includes" / "test_starred_option.html").write_text("<option>★ {{ widget.label }}</option>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}]
    field = forms.ChoiceField(choices=[("a", "A")], widget=StarredSelect)
    html = field.widget.render("pick", "a", renderer=ProjectFormRenderer())
    assert "<option>★ A</option>" in html
