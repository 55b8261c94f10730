import pytest
from django.db import models

from integrity.history import HistoricalRecords, HistoryManager, save_as
from integrity.models import Unit, User
from integrity.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_tracked_model_uses_the_history_manager_built_once():
    tracked = [m for m in (Unit, User) if hasattr(m, "history")]
    assert tracked == [Unit, User]
    for model in tracked:
        first, second = type(model.history), type(model.history)
        assert first is second
        assert issubclass(first, HistoryManager)


def test_the_manager_of_an_instance_reads_that_instance_history():
    officer = UserFactory()
    unit = UnitFactory(name="Finance")
    unit.name = "Finance and audit"
    save_as(unit, officer, fields=["name"], reason="renamed")
    records = list(unit.history.order_by("history_date", "history_id"))
    assert [r.name for r in records] == ["Finance", "Finance and audit"]
    assert records[-1].history_user == officer
    assert records[-1].history_change_reason == "renamed"
    assert Unit.history.filter(id=unit.pk).count() == 2
    other = UnitFactory()
    assert list(other.history.values_list("id", flat=True)) == [other.pk]


def test_a_manager_given_explicitly_is_kept():
    class OwnManager(HistoryManager):
        pass

    records = HistoricalRecords(history_manager=OwnManager)
    assert records.history_manager is OwnManager
    assert HistoricalRecords().history_manager is HistoryManager
    assert OwnManager.from_queryset(models.QuerySet) is OwnManager.from_queryset(models.QuerySet)
    assert OwnManager.from_queryset(models.QuerySet) is not HistoryManager.from_queryset(models.QuerySet)
