import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from integrity.links import link

CASES = [
    ("rules:detail", {"code": "PR-2012-000076"}),
    ("rules:detail", {"code": "规则 1:x@y~&?#%"}),
    ("rules:version", {"code": "A-1", "number": 3}),
    ("feedback:detail", {"pk": 12}),
    ("unit-detail", {"pk": 5}),
    ("accountability:task", {"pk": 100024}),
]


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_link_gives_what_reverse_gives(name, kwargs):
    assert link(name, **kwargs) == reverse(name, kwargs=kwargs)


def test_link_follows_the_script_prefix():
    set_script_prefix("/integrity/")
    try:
        assert link("feedback:detail", pk=7) == "/integrity/feedback/7/" == reverse("feedback:detail", kwargs={"pk": 7})
    finally:
        set_script_prefix("/")
    assert link("feedback:detail", pk=7) == "/feedback/7/"


@pytest.mark.parametrize("code", ["a/b", ""])
def test_values_no_converter_accepts_are_refused_like_reverse(code):
    with pytest.raises(NoReverseMatch):
        link("rules:detail", code=code)


def test_model_urls_use_it():
    from integrity.models import Unit

    assert Unit(pk=41).get_absolute_url() == "/units/41/"
