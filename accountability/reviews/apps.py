from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "accountability.reviews"
    label = "reviews"
    verbose_name = _("Evaluation reviews and cleanup")

    def ready(self):
        from . import wiring

        wiring.connect()
