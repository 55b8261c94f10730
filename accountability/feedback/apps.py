from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "accountability.feedback"
    label = "feedback"
    verbose_name = _("Feedback and reports")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from integrity import reminders
        from integrity.dashboard import register_panel_provider
        from integrity.demo import register_seeder
        from integrity.models import CalendarDay
        from integrity.navigation import register_nav
        from integrity.roles import Role
        from integrity.smoke import SMOKE_URLS
        from rules.extensions import register_rule_tabs

        from .dashboard import feedback_panels, feedback_rule_tabs
        from .demo import seed_feedback
        from .models import ResponseTimeLimit
        from .receivers import on_response_rules_changed
        from .reminders import FEEDBACK_UNANSWERED

        register_nav(_("Feedback"), "feedback:queue", [Role.ADMIN, Role.OFFICER], order=30)
        register_nav(_("My feedback"), "feedback:mine", [Role.LIAISON, Role.CADRE], order=30)
        register_panel_provider(feedback_panels)
        register_rule_tabs(feedback_rule_tabs)
        register_seeder(seed_feedback, order=30)
        reminders.register(FEEDBACK_UNANSWERED)
        for model in (CalendarDay, ResponseTimeLimit):
            for signal in (post_save, post_delete):
                signal.connect(on_response_rules_changed, sender=model, dispatch_uid=f"response-dates-{model.__name__}")
        SMOKE_URLS.extend(["/feedback/", "/feedback/new/", "/feedback/mine/", "/report/", "/report/follow-up/"])
