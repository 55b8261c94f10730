"""The model families the scale generator loads, one function each (see generate.py)."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from rules.search import search_document

from . import texts
from .generate import family

CATEGORIES = [
    ("integrity", 18),
    ("three_major", 12),
    ("official_consumption", 14),
    ("procurement", 16),
    ("construction", 12),
    ("land_transfer", 6),
    ("resources", 5),
    ("personnel", 12),
    ("other", 5),
]
# Final status of a rule and its share; the first four have been in force.
RULE_STATUSES = [
    ("in_force", 70),
    ("abolished", 8),
    ("expired", 4),
    ("superseded", 3),
    ("draft", 6),
    ("consultation", 3),
    ("pending_approval", 3),
    ("approved", 1),
    ("withdrawn", 2),
]
PUBLIC_KINDS = ["implementation", "violation", "other"]
CADRE_KINDS = ["ambiguous", "infeasible", "outdated", "missing_details", "suggestion", "other"]
BEEN_IN_FORCE = {"in_force", "abolished", "expired", "superseded"}
# Versions of a rule that has been in force: mean 4.
VERSION_COUNTS = [2, 3, 3, 4, 4, 4, 4, 5, 5, 6]


def _weighted(rng, pairs, n):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return rng.choices(values, weights=weights, k=n)


@family("organisation", order=10, requires=("integrity.Unit", "integrity.User"))
def organisation(ctx):
    """Units under the demo commission (a tree three levels deep) and their people with roles."""
    from integrity.models import Unit, User

    rng, size = ctx.rng, ctx.size
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        raise RuntimeError("Run the demo seeders first: the bench organisation hangs under the demo commission.")
    n1 = max(2, size.units // 330)
    n2 = max(4, size.units * 7 // 100)
    n3 = max(0, size.units - n1 - n2)
    unit_ids = list(ctx.reserve(Unit, n1 + n2 + n3))
    people_per_unit = max(1, size.people // len(unit_ids))
    user_ids = ctx.reserve(User, size.people)
    level1, level2, level3 = unit_ids[:n1], unit_ids[n1 : n1 + n2], unit_ids[n1 + n2 :]
    info = {}
    for i, pk in enumerate(level1):
        city = texts.CITIES[i % len(texts.CITIES)] + ("" if i < len(texts.CITIES) else str(i // len(texts.CITIES)))
        info[pk] = (f"{city}市纪委监委", "party_committee", root.pk, f"{root.path}{pk}/", root.depth + 1, ())
    for j, pk in enumerate(level2):
        parent = level1[j % n1]
        dept, flags = texts.DEPARTMENTS[(j // n1) % len(texts.DEPARTMENTS)]
        city = info[parent][0].replace("市纪委监委", "")
        kind = "enterprise" if "集团" in dept else "department"
        info[pk] = (f"{city}{dept}", kind, parent, f"{info[parent][3]}{pk}/", info[parent][4] + 1, flags)
    for k, pk in enumerate(level3):
        parent = level2[rng.randrange(n2)]
        section = texts.SECTIONS[k % len(texts.SECTIONS)]
        flags = info[parent][5] if rng.random() < 0.5 else ()
        info[pk] = (
            f"{info[parent][0]}{section}",
            "sub_unit",
            parent,
            f"{info[parent][3]}{pk}/",
            info[parent][4] + 1,
            flags,
        )
    # People: the first of each unit is its top leader, the second its liaison; departments are bigger.
    set1, set2 = set(level1), set(level2)
    weights = [3 if pk in set2 else (2 if pk in set1 else 1) for pk in unit_ids]
    extra = rng.choices(unit_ids, weights=weights, k=max(0, size.people - len(unit_ids) * min(2, people_per_unit)))
    members = {pk: min(2, people_per_unit) for pk in unit_ids}
    for pk in extra:
        members[pk] += 1
    leader_of, people = {}, []  # people: (user id, unit id, index in unit)
    it = iter(user_ids)
    for pk in unit_ids:
        for index in range(members[pk]):
            uid = next(it, None)
            if uid is None:
                break
            if index == 0:
                leader_of[pk] = uid
            people.append((uid, pk, index))
    key_areas = Unit.KEY_AREA_FIELDS
    ctx.copy(
        Unit,
        ["id", "name", "code", "kind", "parent_id", "path", "depth", "top_leader_id", *key_areas, "is_active"],
        (
            (pk, name, f"pv-{pk}", kind, parent, path, depth, leader_of.get(pk), *[f in flags for f in key_areas], True)
            for pk, (name, kind, parent, path, depth, flags) in info.items()
        ),
        history={},
    )
    password = make_password("demo-pass-2026")
    officers_needed = max(2, size.people // 2000)
    officer_ids = [uid for uid, unit, index in people if index == 2 and unit in set1][:officers_needed]
    liaison_ids = [uid for uid, _unit, index in people if index == 1]
    joined = ctx.now - timedelta(days=900)
    ctx.copy(
        User,
        ["id", "password", "username", "email", "full_name", "unit_id", "position", "is_leading_cadre", "date_joined"],
        (
            (
                uid,
                password,
                f"p{uid:07d}",
                f"p{uid:07d}@bench.example",
                texts.person_name(uid),
                unit,
                "主要负责人" if index == 0 else texts.POSITIONS[uid % len(texts.POSITIONS)],
                index == 0 or uid % 11 == 0,
                joined,
            )
            for uid, unit, index in people
        ),
        history={"date": "date_joined"},
    )
    groups = {g.name: g.pk for g in Group.objects.filter(name__in=["officer", "liaison", "cadre"])}
    officer_set, liaison_set = set(officer_ids), set(liaison_ids)
    ctx.copy_m2m(
        User,
        "groups",
        (
            (
                uid,
                groups["officer"]
                if uid in officer_set
                else groups["liaison"]
                if uid in liaison_set
                else groups["cadre"],
            )
            for uid, _unit, _index in people
        ),
    )
    demo_officers = list(User.objects.filter(username__in=["officer", "officer2"]).values_list("pk", flat=True))
    ctx.ids["units"] = unit_ids
    ctx.ids["departments"] = level2 or unit_ids
    ctx.ids["people"] = [uid for uid, _u, _i in people]
    ctx.ids["officers"] = demo_officers + officer_ids
    ctx.data["leader_of"] = leader_of
    ctx.data["unit_of"] = {uid: unit for uid, unit, _ in people}
    ctx.officer_id = demo_officers[0] if demo_officers else officer_ids[0]


@family("rules", order=20, requires=("rules.Rule", "rules.RuleVersion", "rules.Article", "rules.Transition"))
def rules(ctx):
    """Rules with ~4 versions each, articles in Chinese and English, transitions, history, search text."""
    from rules.models import Article, Rule, RuleVersion, Transition

    rng, size, today = ctx.rng, ctx.size, ctx.today
    departments = ctx.ids["departments"]
    officers = ctx.ids["officers"]
    n = size.rules
    rule_ids = ctx.reserve(Rule, n)
    statuses = _weighted(rng, RULE_STATUSES, n)
    categories = _weighted(rng, CATEGORIES, n)
    plans = []  # per rule: (rule_id, code, lang, category, status, [version dicts])
    version_count = 0
    for idx, rule_id in enumerate(rule_ids):
        status = statuses[idx]
        if status in BEEN_IN_FORCE:
            k = rng.choice(VERSION_COUNTS)
            open_extra = status == "in_force" and rng.random() < 0.12
        else:
            k, open_extra = 0, False
        total = k + (1 if open_extra or status not in BEEN_IN_FORCE else 0)
        plans.append((rule_id, status, categories[idx], k, open_extra, total))
        version_count += total
    version_ids = iter(ctx.reserve(RuleVersion, version_count))
    rules_rows, version_rows, articles, transitions = [], [], [], []
    in_force_versions = []  # (rule id, version id, effective_from, first article id, article count)
    open_consultations = []  # version ids in consultation
    superseded_versions = []
    rules_in_force = []
    for rule_id, status, category, k, _open_extra, total in plans:
        english = rng.random() < 0.15
        year = 2008 + rule_id % 18
        code = f"PR-{year}-{rule_id:06d}"
        topics = texts.EN_TITLES if english else texts.TITLE_TOPICS
        topic = topics[category][rule_id % len(topics[category])]
        unit = departments[rng.randrange(len(departments))]
        title = f"{topic} (No. {rule_id})" if english else f"{topic}（第{rule_id}号）"
        elements = texts.EN_ELEMENTS if english else texts.ZH_ELEMENTS
        author = officers[rule_id % len(officers)]
        n_articles = rng.randint(3, 8)
        body = [(j, rule_id % 7 + 3 + j) for j in range(n_articles)]  # (template index, number in it)
        start = today - timedelta(days=rng.randint(400, 365 * 17))
        span = (today - timedelta(days=30) - start).days
        step = max(30, span // max(k, 1))
        versions = []
        for number in range(1, total + 1):
            if number <= k:
                effective_from = start + timedelta(days=step * (number - 1) + rng.randint(0, max(1, step // 4)))
                effective_from = min(effective_from, today - timedelta(days=1))
                final = number == k
                vstatus = ("superseded" if not final else status) if status in BEEN_IN_FORCE else status
            else:
                effective_from = None
                vstatus = (
                    rng.choice(["draft", "consultation", "pending_approval"])
                    if status in BEEN_IN_FORCE
                    else (status if number == total else "withdrawn")
                )
            if number > 1:  # an amendment changes one or two articles, sometimes adds one
                for _ in range(rng.randint(1, 2)):
                    j = rng.randrange(len(body))
                    body[j] = (body[j][0], body[j][1] + 1)
                if rng.random() < 0.3 and len(body) < 12:
                    body.append((len(body) + 2, number + 4))
            versions.append([next(version_ids), number, vstatus, effective_from, list(body)])
        for i, v in enumerate(versions):  # in force until the next version came into force
            nxt = versions[i + 1][3] if i + 1 < len(versions) else None
            v.append(nxt if v[2] == "superseded" else None)
        ended_on = None
        if status in ("abolished", "expired", "superseded") and versions:
            last_from = versions[k - 1][3]
            ended_on = min(today - timedelta(days=1), last_from + timedelta(days=rng.randint(60, 900)))
            versions[k - 1][5] = ended_on
        current = versions[k - 1] if k else None
        speaking = current or versions[-1]
        search_body = [(texts.en_article if english else texts.zh_article)(category, j, m) for j, m in speaking[4]]
        interval = [12, 24, 24, 36][rule_id % 4]
        next_review = None
        if status == "in_force":
            next_review = current[3] + timedelta(days=30 * interval)
            while next_review < today - timedelta(days=120):
                next_review += timedelta(days=30 * interval)
        created = ctx.aware((versions[0][3] or today - timedelta(days=rng.randint(1, 200))) - timedelta(days=30))
        updated = ctx.aware(max((v[3] for v in versions if v[3]), default=created.date()))
        rules_rows.append(
            (
                rule_id,
                code,
                title,
                category,
                unit,
                interval,
                status,
                current[0] if current else None,
                versions[0][3] if k else None,
                next_review,
                ended_on,
                "已被新规定取代。" if status in ("abolished", "superseded") else "",
                search_document([code, title, *search_body]),
                author,
                created,
                updated,
                rule_id % 20 == 0,
            )
        )
        if status == "in_force":
            rules_in_force.append(rule_id)
        for vid, number, vstatus, effective_from, body_v, effective_to in versions:
            approved_at = ctx.aware(effective_from - timedelta(days=7)) if effective_from else None
            version_rows.append(
                (
                    vid,
                    rule_id,
                    number,
                    vstatus,
                    title,
                    *elements.values(),
                    f"第{number}版修订：调整时限和责任条款。" if number > 1 else "",
                    effective_from,
                    effective_to,
                    author,
                    officers[(rule_id + 1) % len(officers)] if effective_from else None,
                    approved_at,
                    ctx.aware(effective_from - timedelta(days=40)) if effective_from else created,
                    ctx.aware(effective_to) if effective_to else (approved_at or created),
                )
            )
            first_article = len(articles)
            for position, (j, m) in enumerate(body_v, start=1):
                text = (texts.en_article if english else texts.zh_article)(category, j, m)
                articles.append((vid, position, text))
            if vstatus == "in_force":
                in_force_versions.append((rule_id, vid, effective_from, first_article, len(body_v)))
            if vstatus == "consultation":
                open_consultations.append((vid, unit, author))
            if vstatus == "superseded" and rng.random() < 0.25:
                superseded_versions.append((vid, unit, author, effective_from))
            path = []
            if effective_from:
                path = [("draft", "pending_approval"), ("pending_approval", "approved"), ("approved", "in_force")]
                if vstatus != "in_force":
                    path.append(("in_force", vstatus))
            elif vstatus != "draft":
                path = [("draft", vstatus)]
            at = approved_at or created
            for from_status, to_status in path:
                transitions.append((vid, from_status, to_status, author, at))
                at = at + timedelta(days=3)
    parents = rng.sample(rules_in_force, k=min(len(rules_in_force), max(1, n // 20)))
    parent_of = {}
    for child in rng.sample(rules_in_force, k=min(len(rules_in_force), max(1, n // 20))):
        parent = parents[child % len(parents)]
        if parent != child:
            parent_of[child] = parent

    ctx.copy(
        Rule,
        [
            "id",
            "code",
            "title",
            "category",
            "issuing_unit_id",
            "review_interval_months",
            "status",
            "current_version_id",
            "in_force_since",
            "next_review_on",
            "ended_on",
            "end_reason",
            "search_text",
            "created_by_id",
            "created_at",
            "updated_at",
            "audience_leading_only",
            "parent_id",
        ],  # fmt: skip
        (row + (parent_of.get(row[0]),) for row in rules_rows),
        history={"date": "created_at", "user": "created_by_id"},
    )
    ctx.copy(
        RuleVersion,
        [
            "id",
            "rule_id",
            "number",
            "status",
            "title",
            *texts.ZH_ELEMENTS.keys(),
            "change_summary",
            "effective_from",
            "effective_to",
            "authored_by_id",
            "approved_by_id",
            "approved_at",
            "created_at",
            "updated_at",
        ],  # fmt: skip
        version_rows,
        history={"date": "created_at", "user": "authored_by_id"},
    )
    article_ids = ctx.reserve(Article, len(articles))
    ctx.copy(
        Article,
        ["id", "version_id", "number", "text"],
        ((article_ids[i], vid, number, text) for i, (vid, number, text) in enumerate(articles)),
        history={},
    )
    ctx.copy(
        Transition,
        ["version_id", "from_status", "to_status", "actor_id", "at"],
        transitions,
    )
    audience = []
    for rule_id in rule_ids:
        if rng.random() < 0.25:
            for unit in set(rng.sample(departments, k=min(len(departments), rng.randint(1, 3)))):
                audience.append((rule_id, unit))
    ctx.copy_m2m(Rule, "audience_units", audience)
    ctx.ids["rules"] = list(rule_ids)
    ctx.ids["rules_in_force"] = rules_in_force
    ctx.data["in_force_versions"] = [
        (rule_id, vid, eff, article_ids[first] if count else None, count)
        for rule_id, vid, eff, first, count in in_force_versions
    ]
    ctx.data["open_consultations"] = open_consultations
    ctx.data["closed_consultations"] = superseded_versions
    ctx.data["rule_unit"] = {row[0]: row[4] for row in rules_rows}


@family("consultations", order=25, requires=("rules.Consultation", "rules.Comment"))
def consultations(ctx):
    """An open consultation for each version in consultation (some closing now: reminders), closed ones on
    a quarter of superseded versions, with comments and decisions."""
    from rules.models import Comment, Consultation

    rng, today = ctx.rng, ctx.today
    people = ctx.ids["people"]
    ctx.ids["departments"]
    specs = [(vid, unit, author, None) for vid, unit, author in ctx.data["open_consultations"]]
    specs += ctx.data["closed_consultations"]
    ids = ctx.reserve(Consultation, len(specs))
    rows, audience, comments = [], [], []
    for pk, (vid, unit, author, effective_from) in zip(ids, specs, strict=True):
        if effective_from is None:
            ends_on = today + timedelta(days=rng.randint(-3, 14))
            opened, closed = ctx.aware(today - timedelta(days=rng.randint(5, 30))), None
        else:
            ends_on = effective_from - timedelta(days=30)
            opened, closed = ctx.aware(ends_on - timedelta(days=20)), ctx.aware(ends_on)
        rows.append((pk, vid, author, opened, ends_on, closed, author if closed else None))
        audience.append((pk, unit))
        for c in range(rng.randint(0, 6)):
            decision = "pending" if closed is None else rng.choice(["adopted", "partly", "not_adopted"])
            comments.append(
                (
                    pk,
                    people[rng.randrange(len(people))],
                    [
                        "建议明确“工作日”的计算口径。",
                        "第二条的时限过短，基层难以执行。",
                        "建议增加对一把手的专门要求。",
                    ][c % 3],
                    opened + timedelta(days=c + 1),
                    decision,
                    "" if decision in ("pending", "adopted") else "已在其他条款中体现。",
                    author if closed else None,
                    closed,
                )
            )
    ctx.copy(
        Consultation,
        ["id", "version_id", "opened_by_id", "opened_at", "ends_on", "closed_at", "closed_by_id"],
        rows,
        history={"date": "opened_at", "user": "opened_by_id"},
    )
    ctx.copy_m2m(Consultation, "audience_units", audience)
    ctx.copy(
        Comment,
        [
            "consultation_id",
            "author_id",
            "text",
            "created_at",
            "decision",
            "decision_reason",
            "decided_by_id",
            "decided_at",
        ],  # fmt: skip
        comments,
    )
