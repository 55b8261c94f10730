import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.urls import NoReverseMatch
from django.utils import translation

from integrity.templatetags.integrity_tags import decimals, excerpt


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("eleven char", 10, "eleven ch…"),
        ("廉洁纪律规定的执行情况", 5, "廉洁纪律…"),
        (None, 5, ""),
    ],
)
def test_excerpt_cuts_to_the_length_with_an_ellipsis(text, length, expected):
    assert excerpt(text, length) == expected
    assert len(excerpt(text, length)) <= length


def test_excerpt_is_escaped_in_templates():
    html = Template("{% load integrity_tags %}{{ text|excerpt:12 }}").render(Context({"text": "<b>bold</b> and more"}))
    assert html == "&lt;b&gt;bold&lt;/b&gt;…"  # cut first, then escaped: no broken entity


@pytest.mark.parametrize(
    ("url_tag", "link_tag"),
    [
        ("{% url 'home' %}", "{% link 'home' %}"),
        ("{% url 'admin:index' %}", "{% link 'admin:index' %}"),
        ("{% url 'accountability:my-tasks' %}", "{% link 'accountability:my-tasks' %}"),
        ("{% url 'rules:detail' code %}", "{% link 'rules:detail' code=code %}"),
        ("{% url 'rules:version' code 3 %}", "{% link 'rules:version' code=code number=3 %}"),
        (
            "{% url 'accountability:responsible-person' code pk %}",
            "{% link 'accountability:responsible-person' code=code pk=pk %}",
        ),
    ],
)
@pytest.mark.parametrize("code", ["LZ-2026-001", "廉洁 规定&1", "a?b#c"])
def test_link_gives_the_url_of_the_url_tag(url_tag, link_tag, code):
    context = {"code": code, "pk": 42}
    expected = Template("{% load integrity_tags %}" + url_tag).render(Context(context))
    assert Template("{% load integrity_tags %}" + link_tag).render(Context(context)) == expected
    as_variable = link_tag[:-2] + "as to %}{{ to }}"
    assert Template("{% load integrity_tags %}" + as_variable).render(Context(context)) == expected


def test_link_refuses_what_reverse_refuses():
    with pytest.raises(NoReverseMatch):
        Template("{% load integrity_tags %}{% link 'rules:detail' code='' %}").render(Context())
    with pytest.raises(NoReverseMatch):
        Template("{% load integrity_tags %}{% link 'accountability:task' pk=missing %}").render(Context())
    with pytest.raises(NoReverseMatch):
        Template("{% load integrity_tags %}{% link 'no-such-page' %}").render(Context())


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (66.666, 1, "66.7"),
        (12.25, 1, "12.3"),  # half up, as floatformat
        (0.05, 1, "0.1"),
        (99.95, 1, "100.0"),
        (100, 1, "100.0"),
        (0, 1, "0.0"),
        (66.666, 0, "67"),
        (2.5, 0, "3"),
        (None, 1, ""),
        ("", 0, ""),
    ],
)
def test_decimals_rounds_as_floatformat(value, places, expected):
    assert decimals(value, places) == expected
    if value not in (None, ""):
        assert decimals(value, places) == floatformat(value, places)


def test_decimals_leaves_what_is_not_a_finite_number_to_floatformat():
    assert decimals(float("nan"), 1) == floatformat(float("nan"), 1)
    assert decimals(float("inf"), 1) == floatformat(float("inf"), 1)
    assert decimals("abc", 1) == floatformat("abc", 1) == ""


def test_decimals_uses_the_languages_decimal_separator():
    with translation.override("de"):
        assert decimals(66.666, 1) == "66,7"
    with translation.override("zh-hans"):
        assert decimals(66.666, 1) == "66.7"
