"""Generators of the execution side: responsible units, tasks and acknowledgements, feedback, reviews."""

import hashlib
from datetime import timedelta

from . import texts
from .families import CADRE_KINDS, PUBLIC_KINDS, _weighted
from .generate import BENCH_USERS, family


@family("notifications", order=30, requires=("integrity.Notification",))
def notifications(ctx):
    """Inbox messages: a full inbox for each demo account the benchmark logs in as, the rest spread out."""
    from integrity.models import Notification, User

    rng, size = ctx.rng, ctx.size
    bench_users = list(User.objects.filter(username__in=BENCH_USERS).values_list("pk", flat=True))
    people = ctx.ids["people"]
    recipients = [u for u in bench_users for _ in range(size.inbox_per_bench_user)]
    recipients += [people[rng.randrange(len(people))] for _ in range(max(0, size.notifications - len(recipients)))]
    rules = ctx.ids.get("rules_in_force") or [0]
    ids = ctx.reserve(Notification, len(recipients))

    def rows():
        for pk, recipient in zip(ids, recipients, strict=True):
            created = ctx.now - timedelta(minutes=(len(recipients) - pk % len(recipients)) * 7)
            code = f"PR-{2008 + rules[pk % len(rules)] % 18}-{rules[pk % len(rules)]:06d}"
            subject = texts.NOTIFICATION_SUBJECTS[pk % 4].format(code=code, date=created.date().isoformat())
            read = created if pk % 5 else None
            yield (pk, recipient, subject, subject, f"/rules/{code}/", created, read, read, "bench", False)

    ctx.copy(
        Notification,
        [
            "id",
            "recipient_id",
            "subject",
            "body",
            "url",
            "created_at",
            "read_at",
            "emailed_at",
            "occasion",
            "in_digest",
        ],  # fmt: skip
        rows(),
    )


@family(
    "accountability",
    order=40,
    requires=(
        "accountability.Assignment",
        "accountability.ResponsibleUnit",
        "accountability.Task",
        "accountability.Acknowledgement",
        "accountability.Campaign",
    ),
)
def accountability(ctx):
    """Responsible units of every rule in force, implementation tasks, acknowledgements and campaigns."""
    Assignment = ctx.model("accountability.Assignment")
    ResponsibleUnit = ctx.model("accountability.ResponsibleUnit")
    Task = ctx.model("accountability.Task")
    Acknowledgement = ctx.model("accountability.Acknowledgement")
    Campaign = ctx.model("accountability.Campaign")
    rng, size, today, now = ctx.rng, ctx.size, ctx.today, ctx.now
    departments, officers, people = ctx.ids["departments"], ctx.ids["officers"], ctx.ids["people"]
    leader_of = ctx.data["leader_of"]
    versions = ctx.data["in_force_versions"]
    rule_unit = ctx.data["rule_unit"]
    assignment_ids = ctx.reserve(Assignment, len(versions))
    assignments, units, unit_rows = [], {}, []
    for aid, (rule_id, vid, effective_from, _first, _count) in zip(assignment_ids, versions, strict=True):
        at = ctx.aware(effective_from)
        assignments.append((aid, rule_id, vid, officers[aid % len(officers)], "active", officers[0], at))
        chosen = [rule_unit[rule_id]] + rng.sample(departments, k=min(len(departments), rng.randint(0, 2)))
        chosen = list(dict.fromkeys(chosen))
        units[aid] = chosen
        for i, unit in enumerate(chosen):
            unit_rows.append((aid, unit, "lead" if i == 0 else "co_responsible", leader_of.get(unit), True, at))
    ctx.copy(
        Assignment,
        ["id", "rule_id", "version_id", "supervisor_id", "status", "assigned_by_id", "assigned_at"],
        assignments,
        history={"date": "assigned_at", "user": "assigned_by_id"},
    )
    ctx.copy(
        ResponsibleUnit,
        ["assignment_id", "unit_id", "role", "responsible_person_id", "is_active", "added_at"],
        unit_rows,
        history={"date": "added_at"},
    )
    states = [("open", 25), ("in_progress", 30), ("submitted", 10), ("returned", 5), ("accepted", 25), ("cancelled", 5)]
    task_states = _weighted(rng, states, size.tasks)
    task_ids = ctx.reserve(Task, size.tasks)

    def task_rows():
        for tid, state in zip(task_ids, task_states, strict=True):
            index = rng.randrange(len(versions))
            rule_id, _vid, _eff, first_article, count = versions[index]
            unit = rng.choice(units[assignment_ids[index]])
            percent = {"open": 0, "accepted": 100, "submitted": 100, "cancelled": 0}.get(state, rng.randint(10, 90))
            article = first_article + rng.randrange(count) if first_article and rng.random() < 0.5 else None
            created = now - timedelta(days=rng.randint(10, 400))
            yield (
                tid,
                rule_id,
                unit,
                article,
                texts.TASK_TEXTS[tid % len(texts.TASK_TEXTS)].replace("{n}", str(tid % 9 + 1)),
                today + timedelta(days=rng.randint(-200, 200)),
                leader_of.get(unit) or officers[0],
                state,
                percent,
                officers[tid % len(officers)],
                created,
                created,
            )

    ctx.copy(
        Task,
        [
            "id",
            "rule_id",
            "unit_id",
            "article_id",
            "description",
            "deadline",
            "owner_id",
            "state",
            "percent",
            "created_by_id",
            "created_at",
            "updated_at",
        ],  # fmt: skip
        task_rows(),
        history={"date": "created_at", "user": "created_by_id"},
    )
    per_version = max(1, size.acknowledgements // max(1, len(versions)))
    ack_ids = ctx.reserve(Acknowledgement, per_version * len(versions))

    def ack_rows():
        ids = iter(ack_ids)
        for rule_id, vid, effective_from, _first, _count in versions:
            owed = ctx.aware(effective_from)
            for user in rng.sample(people, k=min(per_version, len(people))):
                done = owed + timedelta(days=rng.randint(1, 60)) if rng.random() < 0.75 else None
                yield (next(ids), user, rule_id, vid, owed, done)

    ctx.copy(
        Acknowledgement,
        ["id", "user_id", "rule_id", "version_id", "owed_since", "acknowledged_at"],
        ack_rows(),
        history={"date": "owed_since", "user": "user_id"},
    )
    campaign_ids = ctx.reserve(Campaign, size.campaigns)
    ctx.copy(
        Campaign,
        ["id", "title", "deadline", "created_by_id", "created_at"],
        (
            (
                cid,
                f"{2020 + cid % 7}年度廉政制度学习确认（第{cid}批）",
                today + timedelta(days=rng.randint(-300, 60)),
                officers[0],
                now - timedelta(days=rng.randint(10, 300)),
            )
            for cid in campaign_ids
        ),  # fmt: skip
        history={"date": "created_at", "user": "created_by_id"},
    )
    in_force_rules = [r for r, *_ in versions]
    ctx.copy_m2m(
        Campaign,
        "rules",
        ((cid, r) for cid in campaign_ids for r in set(rng.sample(in_force_rules, k=min(12, len(in_force_rules))))),
    )
    ctx.copy_m2m(
        Campaign,
        "units",
        ((cid, u) for cid in campaign_ids for u in set(rng.sample(departments, k=min(3, len(departments))))),
    )
    ctx.ids["campaigns"] = list(campaign_ids)


@family("feedback", order=50, requires=("feedback.Feedback", "feedback.Message", "feedback.Event"))
def feedback(ctx):
    """Feedback from cadres and public reports in every status, with replies and triage events."""
    Feedback = ctx.model("feedback.Feedback")
    Message = ctx.model("feedback.Message")
    Event = ctx.model("feedback.Event")
    rng, size, now = ctx.rng, ctx.size, ctx.now
    people, officers = ctx.ids["people"], ctx.ids["officers"]
    rules = ctx.ids["rules_in_force"]
    statuses = _weighted(
        rng, [("received", 15), ("triaged", 15), ("answered", 30), ("referred", 5), ("closed", 35)], size.feedback
    )
    ids = ctx.reserve(Feedback, size.feedback)
    rows, messages, events = [], [], []
    for pk, status in zip(ids, statuses, strict=True):
        public = rng.random() < 0.2
        anonymous = public or rng.random() < 0.1
        kinds = PUBLIC_KINDS if public else CADRE_KINDS
        kind = kinds[rng.randrange(len(kinds))]
        received = now - timedelta(days=rng.randint(0, 1000), minutes=rng.randint(0, 1440))
        if status in ("received", "triaged") and (now - received).days > 45 and rng.random() < 0.95:
            status = rng.choice(["answered", "closed"])  # old feedback has mostly been answered
        due = received.date() + timedelta(days=21)
        answered = received + timedelta(days=rng.randint(1, 20)) if status in ("answered", "closed") else None
        assignee = officers[pk % len(officers)] if status != "received" else None
        rows.append(
            (
                pk,
                "public" if public else "cadre",
                kind,
                rules[pk % len(rules)] if (not public or rng.random() < 0.5) else None,
                texts.FEEDBACK_TEXTS[pk % len(texts.FEEDBACK_TEXTS)].replace("{n}", str(pk % 9 + 1)),
                None if anonymous else people[rng.randrange(len(people))],
                anonymous,
                hashlib.sha256(f"bench-receipt:{pk}".encode()).hexdigest() if anonymous else None,
                hashlib.sha256(f"bench-submission:{pk}".encode()).hexdigest(),
                status,
                assignee,
                received,
                due,
                answered,
                answered if status == "closed" else None,
                answered,
                answered or received,
            )
        )
        if assignee:
            events.append((pk, "assign", "received", "triaged", assignee, officers[0], received + timedelta(hours=4)))
        if answered:
            messages.append((pk, "reply", assignee, "感谢您的反馈，已转相关单位研究处理。", answered))
    ctx.copy(
        Feedback,
        [
            "id",
            "channel",
            "kind",
            "rule_id",
            "text",
            "sender_id",
            "is_anonymous",
            "receipt_hash",
            "submission_key",
            "status",
            "assignee_id",
            "received_at",
            "response_due_on",
            "answered_at",
            "closed_at",
            "last_reply_at",
            "updated_at",
        ],  # fmt: skip
        rows,
        history={"date": "received_at", "user": "sender_id"},
    )
    ctx.copy(Message, ["feedback_id", "kind", "author_id", "text", "created_at"], messages)
    ctx.copy(Event, ["feedback_id", "action", "from_status", "to_status", "assignee_id", "actor_id", "at"], events)


@family("reviews", order=60, requires=("reviews.Review", "reviews.Score", "reviews.Campaign"))
def reviews(ctx):
    """Evaluation reviews (one active at most per rule), their scores, and cleanup campaigns over them."""
    Review = ctx.model("reviews.Review")
    Score = ctx.model("reviews.Score")
    Campaign = ctx.model("reviews.Campaign")
    rng, size, today, now = ctx.rng, ctx.size, ctx.today, ctx.now
    officers, rules = ctx.ids["officers"], ctx.ids["rules_in_force"]
    active_rules = rng.sample(rules, k=min(len(rules), size.reviews * 3 // 10))
    ids = ctx.reserve(Review, size.reviews)
    rows, scores, reviewers, decided = [], [], [], []
    for i, pk in enumerate(ids):
        if i < len(active_rules):
            rule, status = active_rules[i], rng.choice(["open", "open", "proposed", "returned"])
        else:
            rule, status = rules[rng.randrange(len(rules))], rng.choice(["decided"] * 6 + ["cancelled"])
        opened = now - timedelta(days=rng.randint(5, 1500))
        done = status in ("decided", "proposed")
        deadline = (opened + timedelta(days=60)).date()
        if status == "open":
            deadline = today + timedelta(days=rng.randint(-20, 60))
        decider, decided_at = (officers[0], opened + timedelta(days=40)) if status == "decided" else (None, None)
        outcome = rng.choice(["retain", "retain", "amend", "abolish", "implementation"]) if done else ""
        rows.append(
            (
                pk, rule, ["periodic", "feedback", "special", "campaign"][pk % 4], status,
                deadline,
                officers[pk % len(officers)], opened, "到期评估。", outcome,
                officers[pk % len(officers)] if done else None, opened + timedelta(days=30) if done else None,
                decider, decided_at,
                opened, opened,
            )
        )  # fmt: skip
        reviewers.append((pk, officers[(pk + 1) % len(officers)]))
        if done:
            decided.append(pk)
            for criterion in ("legality", "operability", "effectiveness", "coherence", "timeliness"):
                scores.append((pk, criterion, rng.randint(2, 5), officers[pk % len(officers)], opened))
    ctx.copy(
        Review,
        [
            "id",
            "rule_id",
            "kind",
            "status",
            "deadline",
            "opened_by_id",
            "opened_at",
            "reason",
            "outcome",
            "proposed_by_id",
            "proposed_at",
            "decided_by_id",
            "decided_at",
            "created_at",
            "updated_at",
        ],  # fmt: skip
        rows,
        history={"date": "opened_at", "user": "opened_by_id"},
    )
    ctx.copy_m2m(Review, "reviewers", reviewers)
    ctx.copy(
        Score, ["review_id", "criterion", "score", "scored_by_id", "scored_at"], scores, history={"date": "scored_at"}
    )
    campaign_ids = ctx.reserve(Campaign, max(1, size.campaigns // 5))
    per = max(1, len(ids) // (4 * len(campaign_ids)))
    ctx.copy(
        Campaign,
        ["id", "title", "deadline", "status", "rules_in_scope", "rules_processed", "opened_by_id", "created_at"],
        (
            (
                cid,
                f"{2018 + cid % 8}年度廉政制度集中清理（第{cid}批）",
                today + timedelta(days=rng.randint(-400, 90)),
                "running",
                per,
                per // 2,
                officers[0],
                now - timedelta(days=rng.randint(30, 900)),
            )
            for cid in campaign_ids
        ),  # fmt: skip
        history={"date": "created_at", "user": "opened_by_id"},
    )
    campaign_reviews = [pk for i, pk in enumerate(ids) if i % 4 == 3]
    ctx.copy_m2m(
        Campaign, "reviews", ((campaign_ids[i % len(campaign_ids)], pk) for i, pk in enumerate(campaign_reviews))
    )
    ctx.copy_m2m(Campaign, "reviewers", ((cid, officers[cid % len(officers)]) for cid in campaign_ids))
    ctx.ids["reviews"] = list(ids)
    ctx.ids["review_campaigns"] = list(campaign_ids)
