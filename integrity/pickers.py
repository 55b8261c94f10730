"""Searchable pickers for forms whose choices run into the thousands (units, rules).

A form keeps its ``ModelChoiceField`` / ``ModelMultipleChoiceField`` with the full queryset, so a
posted pk validates exactly as before; only the widget changes. ``SearchSelect`` and
``SearchSelectMultiple`` render the object(s) already chosen — querying those pks alone — and a
search box. As the user types, htmx asks ``/lookup/<kind>/`` for at most ``MAX_RESULTS`` matches,
returned as radio buttons or checkboxes carrying the field's name, so ticking one chooses it.

Each app registers what may be looked up, from its ``AppConfig.ready()`` (the layers import only
to their left, so a higher layer plugs its lookups in here)::

    register_lookup(
        "rules",
        queryset_for=lambda user: rules_visible_to(user),
        search=lambda qs, text: qs.filter(code__istartswith=text),
        label=lambda rule: f"{rule.code} — {rule.title}",
        scopes={"in_force": lambda qs: qs.filter(status=Status.IN_FORCE)},
    )

The units lookup of this app is at the bottom of the module.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .models import Unit, User
from .permissions import units_in_scope
from .selectors import people_of

MAX_RESULTS = 20
MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100
MAX_TICKED = 100  # results already ticked that a new search keeps


@dataclass(frozen=True)
class Lookup:
    kind: str
    queryset_for: Callable  # (user) -> QuerySet of what the user may pick
    search: Callable  # (queryset, text) -> QuerySet
    label: Callable  # (obj) -> str, e.g. "IR-2026-014 — Gift register rules"
    scopes: dict = field(default_factory=dict)  # name -> (queryset) -> QuerySet

    def choices_for(self, user, scope=None):
        """What the user may pick, narrowed by a scope: "name", or "name:argument" for a scope that
        takes one (e.g. "units:12,40" — the people of those units)."""
        queryset = self.queryset_for(user)
        if not scope:
            return queryset
        name, has_argument, argument = scope.partition(":")
        narrow = self.scopes[name]
        return narrow(queryset, argument) if has_argument else narrow(queryset)

    def has_scope(self, scope) -> bool:
        return isinstance(scope, str) and scope.partition(":")[0] in self.scopes


_lookups: dict[str, Lookup] = {}


def register_lookup(kind, *, queryset_for, search, label, scopes=None) -> Lookup:
    """Register what ``/lookup/<kind>/`` searches (from AppConfig.ready()); the kind must be new."""
    if kind in _lookups:
        raise ValueError(f"A lookup {kind!r} is already registered.")
    lookup = Lookup(kind=kind, queryset_for=queryset_for, search=search, label=label, scopes=dict(scopes or {}))
    _lookups[kind] = lookup
    return lookup


def get_lookup(kind) -> Lookup:
    try:
        return _lookups[kind]
    except KeyError:
        raise LookupError(f"No lookup {kind!r} is registered.") from None


def is_field_name(name) -> bool:
    """A plain identifier: what the lookup endpoint accepts as the name of the inputs it returns."""
    return isinstance(name, str) and name.isascii() and name.isidentifier() and len(name) <= 100


def clean_pks(model, values, limit=None) -> list:
    """The values that can be primary keys of the model; anything else (garbage, out of range) is dropped."""
    pk_field = model._meta.pk
    _low, high = connection.ops.integer_field_range(pk_field.get_internal_type())
    pks = []
    for value in values:
        try:
            pk = pk_field.to_python(value)
        except (ValidationError, TypeError, ValueError):
            continue
        if pk is None or pk == "" or (isinstance(pk, int) and (pk < 1 or (high is not None and pk > high))):
            continue
        if pk not in pks:
            pks.append(pk)
        if limit is not None and len(pks) >= limit:
            break
    return pks


def lookup_options(lookup: Lookup, *, user, text: str, scope=None, ticked=()) -> tuple[list, bool]:
    """What a picker offers: the objects already ticked among the results (still checked), then at most
    MAX_RESULTS others matching the text (none for no text); and whether more match than are shown."""
    choices = lookup.choices_for(user, scope)
    ticked = clean_pks(choices.model, ticked, limit=MAX_TICKED)
    options = [(obj, True) for obj in choices.filter(pk__in=ticked)] if ticked else []
    found = list(lookup.search(choices.exclude(pk__in=ticked), text)[: MAX_RESULTS + 1]) if text else []
    return options + [(obj, False) for obj in found[:MAX_RESULTS]], len(found) > MAX_RESULTS


@require_GET
def lookup(request, kind):
    """The objects matching what was typed into a picker, as radio buttons or checkboxes (an HTML fragment)."""
    try:
        found = get_lookup(kind)
    except LookupError:
        raise Http404 from None
    name = request.GET.get("name", "")
    scope = request.GET.get("scope") or None
    # Only a widget builds these URLs, so a bad one is a programming error: answered in plain words, untranslated.
    if not is_field_name(name):
        return HttpResponseBadRequest("The name must be a plain identifier.", content_type="text/plain")
    if scope is not None and not found.has_scope(scope):
        return HttpResponseBadRequest("Unknown scope.", content_type="text/plain")
    multiple = request.GET.get("multiple") == "1"
    text = request.GET.get(f"{name}-lookup", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    ticked = request.GET.getlist(name)[: MAX_TICKED if multiple else 1]

    hint = ""
    if len(text) < MIN_QUERY_LENGTH:
        hint = _("Type at least %(count)d characters of a code or name.") % {"count": MIN_QUERY_LENGTH}
        text = ""
    options, more = lookup_options(found, user=request.user, text=text, scope=scope, ticked=ticked)
    context = {
        "name": name,
        "input_type": "checkbox" if multiple else "radio",
        "options": [{"value": obj.pk, "label": found.label(obj), "checked": checked} for obj, checked in options],
        "hint": hint,
        "more": more,
        "nothing": not hint and not options,
        "max_results": MAX_RESULTS,
    }
    return render(request, "includes/lookup_results.html", context)


class SearchSelect(forms.Widget):
    """For a ModelChoiceField: the chosen object as a checked radio button, and a search box for others."""

    template_name = "includes/search_select.html"
    allow_multiple_selected = False

    def __init__(self, kind, *, scope=None, attrs=None):
        super().__init__(attrs)
        self.kind = kind
        self.scope = scope
        self.choices = ()  # the field sets its ModelChoiceIterator here; only its queryset is read

    def use_required_attribute(self, initial):
        return False  # the search box itself is never required

    def format_value(self, value):
        if value is None and self.allow_multiple_selected:
            return []
        if not isinstance(value, (tuple, list)):
            value = [value]
        return [str(v) for v in value if v is not None and v != ""]

    def value_from_datadict(self, data, files, name):
        if self.allow_multiple_selected:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        # An unticked checkbox sends nothing, so for several choices "omitted" means "none chosen".
        return False if self.allow_multiple_selected else name not in data

    def chosen(self, values):
        """The chosen objects: the given pks only, read from the field's queryset."""
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} works only with ModelChoiceField and its subclasses.")
        pks = clean_pks(queryset.model, values)
        return list(queryset.filter(pk__in=pks)) if pks else []

    def lookup_url(self, name):
        params = {"name": name}
        if self.allow_multiple_selected:
            params["multiple"] = "1"
        if self.scope:
            params["scope"] = self.scope
        return f"{reverse('lookup', args=[self.kind])}?{urlencode(params)}"

    def get_context(self, name, value, attrs):
        if not is_field_name(name):
            raise ImproperlyConfigured(f"A search select needs a plain identifier as its name, not {name!r}.")
        found = get_lookup(self.kind)
        if self.scope is not None and not found.has_scope(self.scope):
            raise ImproperlyConfigured(f"The lookup {self.kind!r} has no scope {self.scope!r}.")
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        search_attrs = dict(widget["attrs"])
        widget_id = search_attrs.pop("id", None) or f"id_{name}"
        describedby = " ".join(filter(None, [f"{widget_id}-hint", search_attrs.pop("aria-describedby", "")]))
        chosen = self.chosen(widget["value"])
        # The field's own empty label ("All units"), but not Django's default dashes beside a radio button.
        empty_label = getattr(getattr(self.choices, "field", None), "empty_label", None)
        widget.update(
            {
                "id": widget_id,
                "search_attrs": search_attrs,
                "describedby": describedby,
                "search_name": f"{name}-lookup",
                "input_type": "checkbox" if self.allow_multiple_selected else "radio",
                "chosen": [{"value": obj.pk, "label": found.label(obj)} for obj in chosen],
                "optional": not self.allow_multiple_selected and not self.is_required,
                "empty_label": empty_label if empty_label and empty_label != "---------" else _("None"),
                "lookup_url": self.lookup_url(name),
            }
        )
        return context


class SearchSelectMultiple(SearchSelect):
    """For a ModelMultipleChoiceField: the chosen objects as checked checkboxes, and a search box for more."""

    allow_multiple_selected = True


# The organisation's own lookup, registered in IntegrityConfig.ready().


def units_for(user):
    """Active units the person may see, in tree order."""
    return units_in_scope(user).filter(is_active=True).order_by("path")


def search_units(queryset, text):
    """Units whose code starts with the text or whose name contains it."""
    return queryset.filter(Q(code__istartswith=text) | Q(name__icontains=text))


def unit_label(unit):
    return f"{unit.code} — {unit.name}"


def people_for(user):
    """Active people of the units the person may see, by name."""
    return (
        User.objects.filter(is_active=True, unit__in=units_in_scope(user))
        .select_related("unit")
        .order_by("full_name", "username")
    )


def search_people(queryset, text):
    """People whose name contains the text or whose user name starts with it."""
    return queryset.filter(Q(full_name__icontains=text) | Q(username__istartswith=text))


def person_label(person):
    return " · ".join(str(part) for part in (person, person.unit, person.position) if part)


def people_of_units(queryset, unit_ids: str):
    """Scope "units:<id>,<id>": the people of those units and of the units below them."""
    pks = clean_pks(Unit, unit_ids.split(","), limit=50)
    units = Unit.objects.filter(pk__in=pks) if pks else Unit.objects.none()
    return queryset.filter(pk__in=people_of(units).values("pk"))


PEOPLE_SCOPES = {"units": people_of_units}
