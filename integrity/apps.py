from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "integrity"
    verbose_name = _("Organisation and people")

    def ready(self):
        from . import roles, schedules
        from .demo import register_seeder, seed_demo_schedules, seed_organisation
        from .navigation import register_nav
        from .pickers import (
            PEOPLE_SCOPES,
            people_for,
            person_label,
            register_lookup,
            search_people,
            search_units,
            unit_label,
            units_for,
        )
        from .roles import Role

        post_migrate.connect(roles.sync_role_permissions_after_migrate)
        # Once per migrate (sender=self): create rows for schedules declared since (integrity/schedules.py).
        post_migrate.connect(schedules.sync_schedules_after_migrate, sender=self)
        register_nav(_("Home"), "home", Role, order=0)
        register_seeder(seed_organisation, order=0)
        register_seeder(seed_demo_schedules, order=900)
        register_nav(_("Units"), "unit-list", [Role.ADMIN, Role.OFFICER, Role.LIAISON], order=80)
        register_lookup("units", queryset_for=units_for, search=search_units, label=unit_label)
        register_lookup(
            "people", queryset_for=people_for, search=search_people, label=person_label, scopes=PEOPLE_SCOPES
        )
