"""Business actions on rules: drafting, consultation, approval, coming into force, amendment, abolition.

Each is a plain function with keyword-only arguments; each locks the rows it changes, checks the
move against rules.transitions.TRANSITIONS and records who did it and why.
"""

import re
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.history import save_as as _save
from integrity.services import ServiceError

from . import signals
from .models import (
    ELEMENTS,
    OPEN_STATUSES,
    Article,
    Comment,
    Consultation,
    Decision,
    Rule,
    RuleVersion,
    Status,
    Transition,
)
from .operability import check_version
from .search import search_document
from .transitions import ensure_transition

ELEMENT_NAMES = [name for name, _label in ELEMENTS]
MAX_ARTICLES = 300


class EditConflict(ServiceError):
    """Someone else saved the draft first; `current` is their version of it."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


def split_articles(text: str) -> list[str]:
    """Articles are separated by blank lines; each keeps its own line breaks."""
    parts = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    return [p.strip() for p in parts if p.strip()]


def next_rule_code(*, year: int) -> str:
    prefix = f"IR-{year}-"
    numbers = [
        int(c.rsplit("-", 1)[1])
        for c in Rule.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        if c.rsplit("-", 1)[1].isdigit()
    ]
    return f"{prefix}{(max(numbers) if numbers else 0) + 1:03d}"


def _record(version, from_status, to_status, actor, reason=""):
    Transition.objects.create(version=version, from_status=from_status, to_status=to_status, actor=actor, reason=reason)


def _refresh_search_text(rule: Rule, version: RuleVersion) -> None:
    texts = [rule.code, version.title] + list(version.articles.order_by("number").values_list("text", flat=True))
    Rule.objects.filter(pk=rule.pk).update(search_text=search_document(texts))


def _write_articles(version: RuleVersion, texts: list[str], actor) -> None:
    if len(texts) > MAX_ARTICLES:
        raise ServiceError(_("A version can have at most %(max)d articles.") % {"max": MAX_ARTICLES})
    existing = {a.number: a for a in version.articles.all()}
    for number, text in enumerate(texts, start=1):
        article = existing.pop(number, None)
        if article is None:
            article = Article(version=version, number=number, text=text)
            _save(article, actor)
        elif article.text != text:
            article.text = text
            _save(article, actor, ["text"])
    for number, article in sorted(existing.items()):
        if article.comments.exists():
            raise ServiceError(
                _("Article %(number)s has consultation comments and cannot be removed; change its text instead.")
                % {"number": number}
            )
        article._history_user = actor
        article.delete()


@transaction.atomic
def rule_create(
    *,
    actor,
    title: str,
    issuing_unit,
    category: str,
    articles: list[str],
    code: str = "",
    parent: Rule | None = None,
    audience_units=(),
    audience_leading_only: bool = False,
    review_interval_months: int = 24,
    elements: dict | None = None,
    expires_on: date | None = None,
) -> Rule:
    """Register a new rule with its first draft version."""
    code = (code or "").strip() or next_rule_code(year=timezone.localdate().year)
    if Rule.objects.filter(code__iexact=code).exists():
        raise ServiceError(_("The code %(code)s is already used by another rule.") % {"code": code})
    if parent is not None and parent.status in (Status.ABOLISHED, Status.EXPIRED, Status.SUPERSEDED):
        raise ServiceError(_("Implementation rules cannot hang under a rule that is no longer in force."))
    rule = Rule(
        code=code,
        title=title,
        category=category,
        issuing_unit=issuing_unit,
        parent=parent,
        audience_leading_only=audience_leading_only,
        review_interval_months=review_interval_months,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            _save(rule, actor)
    except IntegrityError:
        raise ServiceError(_("The code %(code)s is already used by another rule.") % {"code": code}) from None
    rule.audience_units.set(audience_units)
    version = RuleVersion(rule=rule, number=1, title=title, authored_by=actor, expires_on=expires_on)
    for name, value in (elements or {}).items():
        setattr(version, name, value)
    _save(version, actor)
    _write_articles(version, articles, actor)
    _record(version, Status.DRAFT, Status.DRAFT, actor, _("Drafted"))
    _refresh_search_text(rule, version)
    return rule


@transaction.atomic
def version_update(
    *,
    version: RuleVersion,
    actor,
    expected_lock_version: int,
    title: str,
    articles: list[str],
    elements: dict,
    change_summary: str = "",
    expires_on: date | None = None,
) -> RuleVersion:
    """Save an edit of a draft; refused when someone else saved it since the editor opened it."""
    version = RuleVersion.objects.select_for_update().select_related("rule").get(pk=version.pk)
    if not version.is_editable:
        raise ServiceError(
            _("Only a draft can be edited; this version is “%(status)s”.") % {"status": version.get_status_display()}
        )
    if version.lock_version != expected_lock_version:
        raise EditConflict(
            _(
                "Someone else saved this draft while you were editing it. Their text is shown below; "
                "nothing of yours was saved — copy your changes and edit again."
            ),
            current=version,
        )
    version.title = title
    for name in ELEMENT_NAMES:
        setattr(version, name, elements.get(name, ""))
    version.change_summary = change_summary
    version.expires_on = expires_on
    version.lock_version += 1
    _save(version, actor)
    _write_articles(version, articles, actor)
    rule = version.rule
    if rule.current_version_id is None and rule.title != title:
        rule.title = title
        _save(rule, actor, ["title", "updated_at"])
    if rule.current_version_id is None:
        _refresh_search_text(rule, version)
    return version


def _lock_version(version):
    return RuleVersion.objects.select_for_update().select_related("rule").get(pk=version.pk)


def _move(version, to, actor, reason="", fields=()):
    from_status = version.status
    version.status = to
    _save(version, actor, ["status", "updated_at", *fields], reason=reason)
    _record(version, from_status, to, actor, reason)
    if to in OPEN_STATUSES or to == Status.WITHDRAWN:
        # Until a version is in force, the rule shows the status of the version in preparation.
        Rule.objects.filter(pk=version.rule_id, current_version__isnull=True).update(status=to)


@transaction.atomic
def consultation_open(*, version: RuleVersion, actor, ends_on: date, audience_units) -> Consultation:
    """Open a consultation on a draft until ends_on, for the people of the audience units."""
    version = _lock_version(version)
    ensure_transition(version, to=Status.CONSULTATION, actor=actor)
    if ends_on < timezone.localdate():
        raise ServiceError(_("The consultation must end today or later."))
    if not audience_units:
        raise ServiceError(_("Choose at least one unit to consult."))
    consultation = Consultation(version=version, opened_by=actor, ends_on=ends_on)
    _save(consultation, actor)
    consultation.audience_units.set(audience_units)
    _move(version, Status.CONSULTATION, actor, _("Consultation open until %(date)s") % {"date": ends_on})
    return consultation


@transaction.atomic
def consultation_close(*, consultation: Consultation, actor) -> Consultation:
    """Close a consultation; the version goes back to draft to take the comments in."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    version = _lock_version(consultation.version)
    ensure_transition(version, to=Status.DRAFT, actor=actor)
    consultation.closed_at = timezone.now()
    consultation.closed_by = actor
    _save(consultation, actor, ["closed_at", "closed_by"])
    _move(version, Status.DRAFT, actor, _("Consultation closed"))
    return consultation


@transaction.atomic
def comment_add(*, consultation: Consultation, actor, text: str, article: Article | None = None) -> Comment:
    """A comment in an open consultation, on an article of the consulted version or on the whole."""
    consultation = Consultation.objects.select_related("version").get(pk=consultation.pk)
    if consultation.closed_at is not None or consultation.version.status != Status.CONSULTATION:
        raise ServiceError(_("This consultation is closed; comments are no longer accepted."))
    if timezone.localdate() > consultation.ends_on:
        raise ServiceError(
            _("This consultation ended on %(date)s; comments are no longer accepted.") % {"date": consultation.ends_on}
        )
    if article is not None and article.version_id != consultation.version_id:
        raise ServiceError(_("That article is not part of the consulted draft."))
    if not (text or "").strip():
        raise ServiceError(_("Write your comment before sending it."))
    comment = Comment(consultation=consultation, article=article, author=actor, text=text.strip())
    _save(comment, actor)
    return comment


@transaction.atomic
def comment_decide(*, comment: Comment, actor, decision: str, reason: str = "") -> Comment:
    """Record whether a comment was adopted; partly and not adopted need a reason."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if decision not in (Decision.ADOPTED, Decision.PARTLY, Decision.NOT_ADOPTED):
        raise ServiceError(_("Choose adopted, partly adopted or not adopted."))
    if decision != Decision.ADOPTED and not (reason or "").strip():
        raise ServiceError(_("Say why the comment was not (fully) adopted."))
    comment.decision = decision
    comment.decision_reason = (reason or "").strip()
    comment.decided_by = actor
    comment.decided_at = timezone.now()
    _save(comment, actor, ["decision", "decision_reason", "decided_by", "decided_at"])
    return comment


@transaction.atomic
def version_submit(*, version: RuleVersion, actor, justification: str = "") -> RuleVersion:
    """Submit a draft for approval; open operability items need a written justification."""
    version = _lock_version(version)
    ensure_transition(version, to=Status.PENDING_APPROVAL, actor=actor)
    if not version.articles.exists():
        raise ServiceError(_("A version needs at least one article before it can be submitted."))
    if version.number > 1 and not version.change_summary.strip():
        raise ServiceError(_("Describe what this version changes (change summary) before submitting it."))
    open_items = check_version(version)
    if open_items and not (justification or "").strip():
        raise ServiceError(
            _("The operability check has %(count)d open item(s): fix them, or explain why they stay.")
            % {"count": len(open_items)}
        )
    pending = Comment.objects.filter(consultation__version=version, decision=Decision.PENDING).count()
    if pending:
        raise ServiceError(
            _("%(count)d consultation comment(s) have no decision yet: record adopted or not for each.")
            % {"count": pending}
        )
    version.operability_justification = (justification or "").strip() if open_items else ""
    _move(version, Status.PENDING_APPROVAL, actor, fields=["operability_justification"])
    return version


@transaction.atomic
def version_send_back(*, version: RuleVersion, actor, reason: str) -> RuleVersion:
    """Return a version awaiting approval to its author as a draft, with the reason."""
    version = _lock_version(version)
    ensure_transition(version, to=Status.DRAFT, actor=actor, reason=reason)
    _move(version, Status.DRAFT, actor, reason.strip())
    return version


@transaction.atomic
def version_approve(*, version: RuleVersion, actor, effective_from: date) -> RuleVersion:
    """Approve a version awaiting approval; it comes into force on effective_from (today: at once)."""
    version = _lock_version(version)
    ensure_transition(version, to=Status.APPROVED, actor=actor)
    today = timezone.localdate()
    if effective_from < today:
        raise ServiceError(_("The effective date cannot be in the past."))
    if version.expires_on and version.expires_on <= effective_from:
        raise ServiceError(_("The version would expire before it comes into force: check the dates."))
    version.approved_by = actor
    version.approved_at = timezone.now()
    version.effective_from = effective_from
    _move(version, Status.APPROVED, actor, fields=["approved_by", "approved_at", "effective_from"])
    if effective_from <= today:
        version_bring_into_force(version=version, actor=actor)
    return version


@transaction.atomic
def version_bring_into_force(*, version: RuleVersion, actor=None) -> RuleVersion:
    """An approved version comes into force; the one it amends is superseded."""
    version = _lock_version(version)
    ensure_transition(version, to=Status.IN_FORCE, actor=actor)
    rule = Rule.objects.select_for_update().get(pk=version.rule_id)
    day = version.effective_from or timezone.localdate()
    previous = rule.current_version
    if previous is not None:
        previous = _lock_version(previous)
        ensure_transition(previous, to=Status.SUPERSEDED, actor=actor)
        previous.effective_to = day
        _move(
            previous,
            Status.SUPERSEDED,
            actor,
            _("Superseded by version %(number)s") % {"number": version.number},
            ["effective_to"],
        )
    version.effective_from = day
    _move(version, Status.IN_FORCE, actor, fields=["effective_from"])
    rule.current_version = version
    rule.status = Status.IN_FORCE
    rule.title = version.title
    if rule.in_force_since is None:
        rule.in_force_since = day
    if rule.next_review_on is None:
        rule.next_review_on = day + relativedelta(months=rule.review_interval_months)
    _save(rule, actor, ["current_version", "status", "title", "in_force_since", "next_review_on", "updated_at"])
    _refresh_search_text(rule, version)
    transaction.on_commit(lambda: signals.version_in_force.send(sender=RuleVersion, version=version, previous=previous))
    return version


def bring_due_versions_into_force(*, today: date | None = None) -> int:
    """Bring every approved version whose effective date has come into force; returns how many."""
    today = today or timezone.localdate()
    count = 0
    for version in RuleVersion.objects.filter(status=Status.APPROVED, effective_from__lte=today).order_by(
        "effective_from", "pk"
    ):
        version_bring_into_force(version=version)
        count += 1
    return count


@transaction.atomic
def version_withdraw(*, version: RuleVersion, actor, reason: str = "") -> RuleVersion:
    """Withdraw a draft that will not go ahead; it stays readable."""
    version = _lock_version(version)
    ensure_transition(version, to=Status.WITHDRAWN, actor=actor)
    _move(version, Status.WITHDRAWN, actor, reason)
    return version


@transaction.atomic
def amendment_start(*, rule: Rule, actor, change_summary: str = "") -> RuleVersion:
    """Open a new draft version of a rule in force, starting from its current wording."""
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if rule.status != Status.IN_FORCE or rule.current_version_id is None:
        raise ServiceError(_("Only a rule in force can be amended."))
    if rule.versions.filter(status__in=OPEN_STATUSES).exists():
        raise ServiceError(_("This rule already has a version in preparation; finish or withdraw it first."))
    current = rule.current_version
    number = (rule.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = RuleVersion(rule=rule, number=number, title=current.title, authored_by=actor, change_summary=change_summary)
    for name in ELEMENT_NAMES:
        setattr(draft, name, getattr(current, name))
    draft.expires_on = current.expires_on
    _save(draft, actor)
    _write_articles(draft, list(current.articles.order_by("number").values_list("text", flat=True)), actor)
    _record(draft, Status.DRAFT, Status.DRAFT, actor, _("Amendment of version %(number)s") % {"number": current.number})
    return draft


def _end_rule(rule: Rule, *, to: str, actor, reason: str, ended_on: date, replaced_by: Rule | None = None):
    current = _lock_version(rule.current_version)
    ensure_transition(current, to=to, actor=actor, reason=reason)
    current.effective_to = ended_on
    _move(current, to, actor, reason, ["effective_to"])
    for draft in rule.versions.select_for_update().filter(status__in=OPEN_STATUSES):
        _move(draft, Status.WITHDRAWN, actor, _("The rule ended"))
    rule.status = to
    rule.ended_on = ended_on
    rule.end_reason = reason
    rule.replaced_by = replaced_by
    _save(rule, actor, ["status", "ended_on", "end_reason", "replaced_by", "updated_at"], reason=reason)
    transaction.on_commit(lambda: signals.rule_ended.send(sender=Rule, rule=rule, status=to))
    return rule


@transaction.atomic
def rule_abolish(*, rule: Rule, actor, reason: str, abolished_on: date | None = None) -> Rule:
    """Abolish (废止) a rule in force; it stays readable with the reason and date."""
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    abolished_on = abolished_on or timezone.localdate()
    if rule.status != Status.IN_FORCE:
        raise ServiceError(
            _("Only a rule in force can be abolished; this one is “%(status)s”.")
            % {"status": rule.get_status_display()}
        )
    if not (reason or "").strip():
        raise ServiceError(_("A reason is required to abolish a rule."))
    if abolished_on > timezone.localdate():
        raise ServiceError(_("The abolition date cannot be in the future."))
    if rule.in_force_since and abolished_on < rule.current_version.effective_from:
        raise ServiceError(_("The abolition date cannot be before the current version came into force."))
    return _end_rule(rule, to=Status.ABOLISHED, actor=actor, reason=reason.strip(), ended_on=abolished_on)


@transaction.atomic
def rule_merge_into(*, rule: Rule, target: Rule, actor, reason: str) -> Rule:
    """Merge a rule into another one in force: it is superseded, with links both ways."""
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    target = Rule.objects.select_for_update().get(pk=target.pk)
    if target.pk == rule.pk:
        raise ServiceError(_("A rule cannot be merged into itself."))
    if target.status != Status.IN_FORCE:
        raise ServiceError(_("A rule can only be merged into a rule in force."))
    if rule.status != Status.IN_FORCE:
        raise ServiceError(_("Only a rule in force can be merged into another."))
    return _end_rule(
        rule, to=Status.SUPERSEDED, actor=actor, reason=reason, ended_on=timezone.localdate(), replaced_by=target
    )


def expire_due_rules(*, today: date | None = None) -> int:
    """Rules whose version in force has passed its end date expire; returns how many."""
    today = today or timezone.localdate()
    count = 0
    for rule in Rule.objects.filter(status=Status.IN_FORCE, current_version__expires_on__lt=today):
        with transaction.atomic():
            locked = Rule.objects.select_for_update().get(pk=rule.pk)
            _end_rule(
                locked,
                to=Status.EXPIRED,
                actor=None,
                reason=_("End date passed"),
                ended_on=locked.current_version.expires_on,
            )
        count += 1
    return count


@transaction.atomic
def rule_set_next_review(*, rule: Rule, actor, next_review_on: date, reason: str = "") -> Rule:
    """Move a rule's next-review date (after a review decided to keep it, for instance)."""
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if rule.status != Status.IN_FORCE:
        raise ServiceError(_("Only a rule in force has a next review."))
    rule.next_review_on = next_review_on
    _save(rule, actor, ["next_review_on", "updated_at"], reason=reason)
    return rule


def next_review_after(*, rule: Rule, day: date) -> date:
    """The next review date of a rule reviewed on `day`: one review interval later."""
    return day + relativedelta(months=rule.review_interval_months)
