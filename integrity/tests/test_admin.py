"""Django admin: every model is registered, and each changelist and history page opens."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"integrity", "rules", "accountability", "feedback", "reviews"}


def project_models():
    return [
        m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS and not m.__name__.startswith("Historical")
    ]


def test_every_project_model_has_an_admin():
    missing = [m.__name__ for m in project_models() if m not in admin.site._registry]
    assert missing == []


def test_changelists_and_history_pages_open(client, admin_user):
    call_command("seed_demo")
    client.force_login(admin_user)
    for model in project_models():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        obj = model.objects.first()
        if obj is not None and hasattr(model, "history"):
            history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
            assert client.get(history).status_code == 200, history
