from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("Execution and accountability")

    def ready(self):
        from integrity import reminders
        from integrity.dashboard import register_panel_provider
        from integrity.demo import register_seeder
        from integrity.navigation import register_nav
        from integrity.roles import Role
        from integrity.smoke import SMOKE_URLS
        from rules import signals
        from rules.extensions import register_rule_tabs

        from .dashboard import accountability_panels, rule_tabs
        from .demo import seed_accountability
        from .receivers import on_rule_ended, on_version_in_force
        from .reminders import OCCASIONS

        register_nav(_("My work"), "accountability:my", Role, order=5)
        register_nav(_("Acknowledgements"), "accountability:campaigns", [Role.ADMIN, Role.OFFICER], order=20)
        register_panel_provider(accountability_panels)
        register_rule_tabs(rule_tabs)
        register_seeder(seed_accountability, order=20)
        for occasion in OCCASIONS:
            reminders.register(occasion)
        signals.version_in_force.connect(on_version_in_force, dispatch_uid="accountability.version_in_force")
        signals.rule_ended.connect(on_rule_ended, dispatch_uid="accountability.rule_ended")
        SMOKE_URLS.extend(
            [
                "/my/",
                "/my/rules/",
                "/my/rules/?state=pending",
                "/my/unit/",
                "/my/tasks/",
                "/my/tasks/?overdue=on",
                "/my/supervised/",
                "/acknowledgements/",
                "/acknowledgements/new/",
                "/rules/IR-2019-001/implementation/",
                "/rules/IR-2019-001/acknowledgements/",
            ]
        )
