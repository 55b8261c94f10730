import factory
from django.contrib.auth.models import Group

from integrity.models import Notification, Unit, UnitKind, User
from integrity.roles import Role
from integrity.services import unit_create


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Unit {n}")
    code = factory.Sequence(lambda n: f"unit-{n}")
    kind = UnitKind.DEPARTMENT
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return unit_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password("pw-123456")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        role = extracted or Role.CADRE
        if create:
            self.groups.add(Group.objects.get_or_create(name=Role(role).value)[0])
            if role == Role.ADMIN:
                self.is_staff = self.is_superuser = True
                self.save(update_fields=["is_staff", "is_superuser"])


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"Reminder {n}")
    body = "Please act."
