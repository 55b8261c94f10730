"""Demo data: a realistic organisation and the documented demo accounts.

Each app registers a seeder here; `manage.py seed_demo` runs them in order. Every seeder is
idempotent: running it again changes nothing that already exists.
"""

import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Unit, UnitKind, User
from .roles import Role
from .services import unit_create, unit_set_top_leader, user_create

_seeders = []


def register_seeder(fn, order=100):
    """Register fn(stdout, scale) to run during seed_demo."""
    _seeders.append((order, fn))
    return fn


def seeders():
    return [fn for _, fn in sorted(_seeders, key=lambda item: item[0])]


@dataclass
class DemoUnit:
    code: str
    name: str
    kind: str
    parent: str | None
    key_areas: tuple = ()


DEMO_UNITS = [
    DemoUnit("cdi", "市纪委监委", UnitKind.COMMISSION, None),
    DemoUnit("cdi-case", "案件监督管理室", UnitKind.SUB_UNIT, "cdi"),
    DemoUnit("cdi-inspect", "党风政风监督室", UnitKind.SUB_UNIT, "cdi"),
    DemoUnit("finance", "市财政局", UnitKind.DEPARTMENT, "cdi", ("key_area_funds",)),
    DemoUnit("finance-budget", "预算科", UnitKind.SUB_UNIT, "finance", ("key_area_funds",)),
    DemoUnit("finance-procure", "政府采购管理科", UnitKind.SUB_UNIT, "finance", ("key_area_procurement",)),
    DemoUnit("drc", "市发展和改革委员会", UnitKind.DEPARTMENT, "cdi", ("key_area_funds",)),
    DemoUnit("housing", "市住房和城乡建设局", UnitKind.DEPARTMENT, "cdi", ("key_area_construction",)),
    DemoUnit("housing-works", "建设工程管理科", UnitKind.SUB_UNIT, "housing", ("key_area_construction",)),
    DemoUnit("resources", "市自然资源和规划局", UnitKind.DEPARTMENT, "cdi", ("key_area_land_resources",)),
    DemoUnit("resources-land", "土地利用科", UnitKind.SUB_UNIT, "resources", ("key_area_land_resources",)),
    DemoUnit("education", "市教育局", UnitKind.DEPARTMENT, "cdi"),
    DemoUnit("health", "市卫生健康委员会", UnitKind.DEPARTMENT, "cdi", ("key_area_procurement",)),
    DemoUnit("transport", "市交通运输局", UnitKind.DEPARTMENT, "cdi", ("key_area_construction",)),
    DemoUnit("org-dept", "市委组织部", UnitKind.DEPARTMENT, "cdi", ("key_area_personnel",)),
    DemoUnit(
        "city-invest", "市城市建设投资集团", UnitKind.ENTERPRISE, "housing", ("key_area_funds", "key_area_construction")
    ),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "国强",
    "海燕",
    "志明",
]
POSITIONS = ["科员", "副科长", "科长", "主任科员", "副处长", "处长"]

# (username, role, unit code, full name, position, leading cadre, top leader of unit)
DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN, "cdi", "系统管理员", "管理员", False, False),
    ("officer", Role.OFFICER, "cdi-inspect", "林纪检", "监督检查室主任", True, False),
    ("officer2", Role.OFFICER, "cdi-case", "周监察", "案件监督管理室副主任", False, False),
    ("liaison", Role.LIAISON, "finance", "陈联络", "办公室联络员", False, False),
    ("cadre", Role.CADRE, "finance", "王干部", "预算科科员", False, False),
    ("leader", Role.CADRE, "finance", "赵局长", "局长", True, True),
]


def _name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


@transaction.atomic
def seed_organisation(stdout=None, scale=1):
    """The demo commission, its departments and sub-units, ~60 people and the demo accounts."""
    rng = random.Random(2026)
    password = settings.INTEGRITY_DEMO_PASSWORD
    units = {u.code: u for u in Unit.objects.filter(code__in=[d.code for d in DEMO_UNITS])}
    for spec in DEMO_UNITS:
        if spec.code not in units:
            flags = dict.fromkeys(spec.key_areas, True)
            units[spec.code] = unit_create(
                name=spec.name, code=spec.code, kind=spec.kind, parent=units.get(spec.parent), **flags
            )
    for username, role, unit_code, full_name, position, leading, is_leader in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=password,
                role=role,
                unit=units[unit_code],
                full_name=full_name,
                position=position,
                is_leading_cadre=leading,
                email=f"{username}@integrity.example",
            )
        if is_leader and units[unit_code].top_leader_id != user.pk:
            units[unit_code] = unit_set_top_leader(unit=units[unit_code], leader=user)
    # Everyone else: a top leader per unit and a few cadres, deterministic names.
    cadre_group = Group.objects.get_or_create(name=Role.CADRE.value)[0]
    existing = set(User.objects.filter(username__startswith="demo-").values_list("username", flat=True))
    hashed = make_password(password)
    created = []
    for spec in DEMO_UNITS:
        unit = units[spec.code]
        count = 4 if spec.kind != UnitKind.SUB_UNIT else 2
        for i in range(count):
            username = f"demo-{spec.code}-{i + 1}"
            is_head = i == 0 and unit.top_leader_id is None
            name = _name(rng)
            if username in existing:
                continue
            user = User(
                username=username,
                password=hashed,
                unit=unit,
                full_name=name,
                position=("主要负责人" if is_head else rng.choice(POSITIONS)),
                is_leading_cadre=is_head or rng.random() < 0.15,
                email=f"{username}@integrity.example",
            )
            created.append((user, is_head, unit))
    if created:
        User.objects.bulk_create([u for u, _, _ in created])
        cadre_group.user_set.add(*[u for u, _, _ in created])
        for user, is_head, unit in created:
            if is_head:
                unit_set_top_leader(unit=unit, leader=user)
    if scale > 1:
        seed_organisation_at_scale(scale=scale, stdout=stdout)
    if stdout:
        stdout.write(f"organisation: {Unit.objects.count()} units, {User.objects.count()} people")


def seed_organisation_at_scale(*, scale: int, stdout=None):
    """Bulk-create (scale - 1) more copies of the demo departments, each with its people."""
    root = Unit.objects.get(code="cdi")
    already = Unit.objects.filter(code__startswith="scale-").count()
    per_copy = len(DEMO_UNITS) - 1
    start = already // per_copy + 1
    hashed = make_password(settings.INTEGRITY_DEMO_PASSWORD)
    rng = random.Random(scale)
    for copy in range(start, scale):
        new_units = {}
        for spec in DEMO_UNITS[1:]:
            parent = root if spec.parent == "cdi" else new_units[spec.parent]
            unit = Unit(
                name=f"{spec.name}（{copy}）",
                code=f"scale-{copy}-{spec.code}",
                kind=spec.kind,
                parent=parent,
                **dict.fromkeys(spec.key_areas, True),
            )
            unit.save()
            unit.path = f"{parent.path}{unit.pk}/"
            unit.depth = parent.depth + 1
            new_units[spec.code] = unit
        Unit.objects.bulk_update(new_units.values(), ["path", "depth"])
        people = [
            User(
                username=f"scale-{copy}-{code}-{i}",
                password=hashed,
                unit=unit,
                full_name=_name(rng),
                position=rng.choice(POSITIONS),
                is_leading_cadre=i == 0,
            )
            for code, unit in new_units.items()
            for i in range(4)
        ]
        User.objects.bulk_create(people, batch_size=1000)
        for unit in new_units.values():
            unit.top_leader = next(p for p in people if p.unit is unit)
        Unit.objects.bulk_update(new_units.values(), ["top_leader"])


def seed_demo_schedules(stdout=None, scale=1):
    """The demo schedule: sweep reminders every minute, so the inbox fills within a minute of `make run`;
    the demo leader reads his e-mail as a daily digest."""
    from django.apps import apps

    from .models import DeliveryMode, NotificationPreference
    from .schedules import DEMO_SCHEDULES, SCHEDULES, ensure_schedules

    created = ensure_schedules(apps, [*SCHEDULES, *DEMO_SCHEDULES])
    leader = User.objects.filter(username="leader").first()
    if leader is not None:
        NotificationPreference.objects.get_or_create(user=leader, defaults={"delivery": DeliveryMode.DIGEST})
    if stdout and created:
        stdout.write(f"schedules: {', '.join(created)}")
