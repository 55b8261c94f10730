from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = _("Rules")

    def ready(self):
        from integrity import reminders
        from integrity.dashboard import register_panel_provider
        from integrity.demo import register_seeder
        from integrity.navigation import register_nav
        from integrity.pickers import register_lookup
        from integrity.roles import Role
        from integrity.schedules import Schedule, register_schedule
        from integrity.smoke import SMOKE_URLS

        from .dashboard import rules_panels
        from .demo import seed_rules
        from .lookups import LOOKUP_SCOPES, rule_label, rules_for, search_rules
        from .reminders import CONSULTATION_CLOSING

        register_nav(_("Rules"), "rules:register", Role, order=10)
        register_nav(_("Notice board"), "rules:board", Role, order=11)
        register_nav(_("Consultations"), "rules:consultations", Role, order=12)
        register_panel_provider(rules_panels)
        register_lookup("rules", queryset_for=rules_for, search=search_rules, label=rule_label, scopes=LOOKUP_SCOPES)
        register_seeder(seed_rules, order=10)
        reminders.register(CONSULTATION_CLOSING)
        register_schedule(
            Schedule(
                name="rules.bring-versions-into-force",
                task="rules.tasks.bring_versions_into_force",
                crontab={"minute": "5", "hour": "0"},
                description="Approved versions whose effective date has come go into force.",
            )
        )
        register_schedule(
            Schedule(
                name="rules.expire-rules",
                task="rules.tasks.expire_rules",
                crontab={"minute": "10", "hour": "0"},
                description="Rules whose end date has passed expire.",
            )
        )
        SMOKE_URLS.extend(["/rules/", "/rules/board/", "/rules/consultations/", "/rules/?q=采购", "/rules/new/"])
