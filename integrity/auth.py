"""The authentication backend: Django's, with the person's unit loaded alongside the person.

Nearly every page decides scope from the user's unit (its path gives the units above and below);
loading it with the user saves that query on each request that needs it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UnitAwareBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("unit").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
