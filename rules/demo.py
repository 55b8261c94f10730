"""Demo rules: ~30 rules from the essay's areas, in every status, with versions, consultation
comments and implementation rules. Built through the real services, then dated back so that the
register has a past ("in force on" a date two years ago shows older wording)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from integrity.models import Unit, User

from . import services
from .models import Article, Decision, Rule, RuleVersion, Status, Transition

FULL_ELEMENTS = {
    "element_who": "本单位全体党员干部，领导干部和一把手带头执行。",
    "element_when": "自本制度施行之日起；每年12月31日前完成年度自查。",
    "element_where": "本单位及所属各下属单位的全部业务活动。",
    "element_tasks": "建立台账，逐项登记，按月报送纪检监察机构。",
    "element_conditions": "涉及资金50万元以上或人员调整3人以上的事项。",
    "element_goals": "防范廉政风险，保证权力在阳光下运行。",
    "element_standards": "台账完整率100%，报送逾期不超过3个工作日。",
    "element_responsibilities": "一把手负主体责任，分管领导负直接责任，纪检监察机构负监督责任。",
    "element_measures": "违反本制度的，依照《中国共产党纪律处分条例》追究责任。",
}

AREAS = {
    "integrity": [
        "党员领导干部不得利用职权或职务影响为本人、配偶、子女及其配偶等亲属谋取利益。",
        "领导干部应当在每年1月31日前如实报告个人有关事项，报告内容包括婚姻变化、出国（境）、投资和房产情况。",
        "严禁收受可能影响公正执行公务的礼品、礼金、消费卡和有价证券；确实无法拒收的，应在5个工作日内登记上交。",
        "领导干部配偶、子女及其配偶经商办企业的，应当在10个工作日内向组织报告，并按规定回避。",
        "违反本规定的，视情节轻重给予批评教育、诫勉或者党纪政务处分。",
    ],
    "three_major": [
        "重大决策、重要干部任免、重大项目安排和大额度资金使用（三重一大）事项，必须经领导班子集体讨论决定。",
        "集体讨论时，一把手末位表态，与会成员逐一发表意见，会议纪要如实记录每位成员的表态。",
        "大额度资金是指单笔50万元以上的资金使用，以及年度预算外追加20万元以上的支出。",
        "三重一大事项决策后，由分管领导组织实施，办公室在30日内报告执行情况。",
        "未经集体讨论擅自决策的，追究主要负责人和直接责任人的责任。",
    ],
    "official_consumption": [
        "公务接待实行审批制度，无公函的公务活动一律不予接待。",
        "接待对象在10人以内的，陪餐人数不得超过3人；超过10人的，不得超过接待对象人数的三分之一。",
        "工作餐每人每餐不得超过120元，不得提供高档菜肴和香烟，不得上酒。",
        "公务用车实行统一管理，严禁公车私用，车辆出行须登记用车事由和里程。",
        "接待费用须在10个工作日内凭公函、审批单和接待清单报销。",
    ],
    "procurement": [
        "政府采购项目单项或批量金额达到100万元以上的，必须公开招标。",
        "采购需求由使用单位提出，采购管理科审核，分管领导审批，三个环节不得由同一人完成。",
        "评标专家从省级专家库中随机抽取，与投标人有利害关系的专家必须回避。",
        "采购合同签订后5个工作日内在指定媒体公开，接受社会监督。",
        "发现围标串标的，立即中止采购程序，并移交有关部门依法处理。",
    ],
    "construction": [
        "工程建设项目必须依法履行招标投标程序，严禁将项目化整为零规避招标。",
        "工程变更金额超过合同价5%的，须经领导班子集体研究，并报财政评审。",
        "工程款支付实行进度审核，监理、审计和业主单位三方签字后方可拨付。",
        "项目竣工后60日内完成结算审计，审计结果向社会公示。",
    ],
    "land_transfer": [
        "经营性用地一律实行招标、拍卖或者挂牌出让，不得协议出让。",
        "出让方案由自然资源部门拟定，经集体审议后报政府批准。",
        "土地出让收入全额缴入国库，实行收支两条线管理。",
        "出让结果在成交后10个工作日内公示，公示期不少于10日。",
    ],
    "resources": [
        "矿产资源开发实行公开竞争出让，出让前须完成资源储量评审。",
        "探矿权、采矿权审批实行分级负责，审批人员与申请人存在利害关系的须回避。",
        "资源开发项目每年接受一次专项检查，检查结果纳入单位考核。",
    ],
    "personnel": [
        "选拔任用干部必须经过民主推荐、考察、讨论决定和任前公示等程序。",
        "任前公示期不少于5个工作日，公示期间收到反映问题的，须查核后再作决定。",
        "严禁突击提拔、超职数配备干部，严禁跑官要官、买官卖官。",
        "干部选拔任用工作实行全程纪实，纪实材料归档保存不少于10年。",
        "违反干部选拔任用规定的，对主要负责人、考察人员实行责任追究。",
    ],
    "other": [
        "Each unit keeps a register of integrity risk points for every post and process, graded high, medium or low.",
        "Risk points in money, procurement, projects and major decisions are graded high.",
        "The register is reviewed every year by 31 March and whenever a post's duties change.",
        "The unit's top leader signs the register and answers for its completeness.",
    ],
}

# code, title, category, issuing unit code, target state, number of versions
RULES = [
    ("IR-2019-001", "领导干部廉洁自律若干规定", "integrity", "cdi", "in_force", 3),
    ("IR-2019-002", "三重一大事项集体决策制度", "three_major", "cdi", "in_force", 2),
    ("IR-2019-003", "公务接待管理办法", "official_consumption", "finance", "in_force", 2),
    ("IR-2020-001", "政府采购内部控制制度", "procurement", "finance", "in_force", 2),
    ("IR-2020-002", "工程建设项目廉政管理规定", "construction", "housing", "in_force", 1),
    ("IR-2020-003", "经营性用地出让监督办法", "land_transfer", "resources", "in_force", 1),
    ("IR-2020-004", "矿产资源开发廉政风险防控办法", "resources", "resources", "in_force", 1),
    ("IR-2020-005", "干部选拔任用工作监督办法", "personnel", "org-dept", "in_force", 2),
    ("IR-2021-001", "Integrity risk register procedure", "other", "cdi", "in_force", 1),
    ("IR-2021-002", "公务用车使用管理规定", "official_consumption", "transport", "in_force", 1),
    ("IR-2021-003", "医疗设备采购监督规定", "procurement", "health", "in_force", 1),
    ("IR-2021-004", "教育系统收费管理廉政规定", "integrity", "education", "in_force", 1),
    ("IR-2021-005", "城投集团大额资金使用管理办法", "three_major", "city-invest", "in_force", 1),
    ("IR-2022-001", "交通工程变更审批规定", "construction", "transport", "in_force", 2),
    ("IR-2022-002", "预算追加审批管理办法", "three_major", "finance", "in_force", 1),
    ("IR-2022-003", "领导干部报告个人有关事项实施细则", "integrity", "org-dept", "in_force", 1),
    ("IR-2018-001", "机关事务接待暂行规定", "official_consumption", "cdi", "abolished", 1),
    ("IR-2018-002", "旧城改造项目临时管理办法", "construction", "housing", "expired", 1),
    ("IR-2018-003", "干部出国（境）审批暂行办法", "personnel", "org-dept", "abolished", 2),
    ("IR-2023-001", "政府投资项目审计监督规定", "construction", "drc", "approved", 1),
    ("IR-2023-002", "国有企业招投标监督办法", "procurement", "city-invest", "pending_approval", 1),
    ("IR-2023-003", "土地储备资金管理办法", "land_transfer", "resources", "pending_approval", 1),
    ("IR-2024-001", "廉政谈话制度", "integrity", "cdi", "consultation", 1),
    ("IR-2024-002", "医疗卫生机构采购廉政规定", "procurement", "health", "consultation", 1),
    ("IR-2024-003", "学校基建项目管理规定", "construction", "education", "draft", 1),
    ("IR-2024-004", "预算单位公务卡使用规定", "official_consumption", "finance", "draft", 1),
    ("IR-2024-005", "干部交流轮岗办法", "personnel", "org-dept", "draft", 1),
    ("IR-2024-006", "乡村振兴资金监管办法", "three_major", "drc", "withdrawn", 1),
    ("IR-2025-001", "政府采购意向公开实施细则", "procurement", "finance-procure", "in_force", 1),
    ("IR-2025-002", "公务接待清单审核实施细则", "official_consumption", "finance-budget", "in_force", 1),
]
# Implementation rules (实施细则) and the rule they implement.
PARENTS = {"IR-2025-001": "IR-2020-001", "IR-2025-002": "IR-2019-003", "IR-2022-003": "IR-2019-001"}

JUSTIFICATION = "“有关部门”指公安、检察等司法机关，已在实施细则中列明。"
VAGUE_EDIT = "有关部门应当原则上及时处理，必要时可以适当延长。"


def _articles(category, version_number):
    texts = list(AREAS[category])
    if version_number >= 2:
        texts[1] = texts[1].replace("须", "必须").replace("10", "7") + f"（第{version_number}版修订）"
        texts.append("本制度由纪委监委负责解释，自印发之日起施行。")
    if version_number >= 3:
        texts.insert(2, "领导干部应当每年向党组织报告一次执行本制度的情况，并在民主生活会上作对照检查。")
    return texts


def _approve(version, officer, approver, today):
    services.version_submit(version=version, actor=officer, justification=JUSTIFICATION)
    services.version_approve(version=version, actor=approver, effective_from=today)


@transaction.atomic
def _seed_rule(spec, officer, approver, cadres, units, today):
    code, title, category, unit_code, target, versions = spec
    parent = Rule.objects.filter(code=PARENTS.get(code)).first()
    complete = target not in ("draft",)
    elements = dict(FULL_ELEMENTS) if complete else dict(list(FULL_ELEMENTS.items())[:6])
    articles = _articles(category, 1)
    if target == "draft":
        articles = articles + [VAGUE_EDIT]
    rule = services.rule_create(
        actor=officer,
        code=code,
        title=title,
        category=category,
        issuing_unit=units[unit_code],
        parent=parent,
        audience_units=[units[unit_code]] if unit_code != "cdi" else [],
        elements=elements,
        articles=articles,
        review_interval_months=24 if category != "other" else 12,
    )
    version = rule.versions.get(number=1)
    if target in ("draft",):
        return rule
    if target == "withdrawn":
        services.version_withdraw(version=version, actor=officer, reason="与上级新出台规定重复，不再制定。")
        return rule
    if target == "consultation" or versions >= 2 or code in ("IR-2019-001", "IR-2023-002"):
        consultation = services.consultation_open(
            version=version,
            actor=officer,
            ends_on=today + timedelta(days=10),
            audience_units=[units[unit_code], units["finance"]],
        )
        article = version.articles.order_by("number")[1]
        for n, cadre in enumerate(cadres[:3]):
            comment = services.comment_add(
                consultation=consultation,
                actor=cadre,
                article=article if n != 2 else None,
                text=[
                    "建议明确“工作日”的计算口径。",
                    "第二条的时限过短，基层难以执行。",
                    "建议增加对一把手的专门要求。",
                ][n],
            )
            if target != "consultation":
                decision = [Decision.ADOPTED, Decision.NOT_ADOPTED, Decision.PARTLY][n]
                services.comment_decide(
                    comment=comment, actor=officer, decision=decision, reason="" if n == 0 else "已在其他条款中体现。"
                )
        if target == "consultation":
            return rule
        services.consultation_close(consultation=consultation, actor=officer)
    if target == "pending_approval":
        services.version_submit(version=version, actor=officer, justification=JUSTIFICATION)
        return rule
    if target == "approved":
        services.version_submit(version=version, actor=officer, justification=JUSTIFICATION)
        services.version_approve(version=version, actor=approver, effective_from=today + timedelta(days=20))
        return rule
    _approve(version, officer, approver, today)
    for number in range(2, versions + 1):
        draft = services.amendment_start(rule=rule, actor=officer)
        services.version_update(
            version=draft,
            actor=officer,
            expected_lock_version=draft.lock_version,
            title=title,
            articles=_articles(category, number),
            elements=FULL_ELEMENTS,
            change_summary=f"根据执行反馈修订第二条时限（第{number}版）。",
        )
        _approve(RuleVersion.objects.get(pk=draft.pk), officer, approver, today)
    if target == "abolished":
        services.rule_abolish(rule=rule, actor=approver, reason="已被上级新规定取代，经评估予以废止。")
    if target == "expired":
        RuleVersion.objects.filter(rule=rule, status=Status.IN_FORCE).update(
            effective_from=today - timedelta(days=730), expires_on=today - timedelta(days=1)
        )
        services.expire_due_rules(today=today)
    return rule


def _date_back(rule, index, today):
    """Spread the versions of a rule over the past years (demo only)."""
    versions = list(RuleVersion.objects.filter(rule=rule, effective_from__isnull=False).order_by("number"))
    if not versions:
        return
    start = today - timedelta(days=365 * 4 + 30 * (index % 12))
    step = timedelta(days=400)
    for i, version in enumerate(versions):
        if version.status == Status.APPROVED:
            continue
        begin = start + step * i
        RuleVersion.objects.filter(pk=version.pk).update(effective_from=begin)
        if i + 1 < len(versions) and versions[i + 1].status != Status.APPROVED:
            RuleVersion.objects.filter(pk=version.pk).update(effective_to=start + step * (i + 1))
        Transition.objects.filter(version=version).update(at=timezone.now() - (today - begin))
    if rule.status in (Status.ABOLISHED, Status.EXPIRED):
        last = versions[-1]
        end = start + step * len(versions)
        RuleVersion.objects.filter(pk=last.pk).update(effective_to=end)
        Rule.objects.filter(pk=rule.pk).update(ended_on=end)
    in_force_since = start
    # Some reviews are overdue, some due soon, most later.
    next_review = (
        [today - timedelta(days=20), today + timedelta(days=5), today + timedelta(days=40)][index % 3]
        if index < 9
        else today + timedelta(days=200 + index)
    )
    Rule.objects.filter(pk=rule.pk).update(
        in_force_since=in_force_since, next_review_on=next_review if rule.status == Status.IN_FORCE else None
    )


def seed_rules(stdout=None, scale=1):
    officer = User.objects.get(username="officer")
    approver = User.objects.get(username="officer2")
    cadres = list(User.objects.filter(unit__code="finance").exclude(username__in=["liaison"]).order_by("username"))
    units = {u.code: u for u in Unit.objects.all()}
    today = timezone.localdate()
    created = 0
    for index, spec in enumerate(RULES):
        if Rule.objects.filter(code=spec[0]).exists():
            continue
        rule = _seed_rule(spec, officer, approver, cadres, units, today)
        _date_back(Rule.objects.get(pk=rule.pk), index, today)
        created += 1
    if stdout:
        stdout.write(f"rules: {Rule.objects.count()} rules ({created} new), {Article.objects.count()} articles")
