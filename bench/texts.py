"""Templates for realistic Chinese and English rule text, unit names and people (deterministic)."""

from rules.demo import AREAS, FULL_ELEMENTS

CITIES = [
    "江州", "临川", "云阳", "清河", "安平", "南陵", "西平", "东湖", "北山", "长宁",
    "永安", "丰城", "宁远", "嘉禾", "桐乡", "石门", "青田", "凤台", "龙泉", "怀远",
]  # fmt: skip
DEPARTMENTS = [
    ("财政局", ("key_area_funds",)),
    ("发展和改革委员会", ("key_area_funds",)),
    ("住房和城乡建设局", ("key_area_construction",)),
    ("自然资源和规划局", ("key_area_land_resources",)),
    ("教育局", ()),
    ("卫生健康委员会", ("key_area_procurement",)),
    ("交通运输局", ("key_area_construction",)),
    ("委组织部", ("key_area_personnel",)),
    ("公共资源交易中心", ("key_area_procurement",)),
    ("水利局", ("key_area_construction",)),
    ("农业农村局", ("key_area_funds",)),
    ("审计局", ()),
    ("市场监督管理局", ()),
    ("人力资源和社会保障局", ("key_area_personnel",)),
    ("城市建设投资集团", ("key_area_funds", "key_area_construction")),
    ("国有资产监督管理委员会", ("key_area_funds",)),
    ("生态环境局", ()),
    ("民政局", ("key_area_funds",)),
    ("商务局", ()),
    ("文化广电旅游局", ()),
    ("应急管理局", ()),
    ("统计局", ()),
    ("医疗保障局", ("key_area_funds",)),
    ("退役军人事务局", ()),
    ("机关事务管理局", ("key_area_procurement",)),
]
SECTIONS = [
    "办公室", "预算科", "采购管理科", "综合科", "财务科", "人事科", "法规科", "项目管理科",
    "工程管理科", "审批服务科", "监督检查科", "资产管理科", "信息中心", "第一分局", "第二分局",
]  # fmt: skip

TITLE_TOPICS = {
    "integrity": ["领导干部廉洁自律规定", "廉政谈话制度", "礼品礼金登记上交办法", "个人有关事项报告实施细则"],
    "three_major": ["三重一大事项集体决策制度", "大额资金使用管理办法", "重大项目安排议事规则"],
    "official_consumption": ["公务接待管理办法", "公务用车使用管理规定", "差旅费管理办法", "公务卡使用规定"],
    "procurement": ["政府采购内部控制制度", "采购需求审核办法", "评标专家回避规定", "采购合同公开办法"],
    "construction": ["工程建设项目廉政管理规定", "工程变更审批规定", "工程款支付审核办法"],
    "land_transfer": ["经营性用地出让监督办法", "土地出让收支管理办法"],
    "resources": ["矿产资源开发廉政风险防控办法", "探矿权采矿权审批监督办法"],
    "personnel": ["干部选拔任用工作监督办法", "干部交流轮岗办法", "任前公示实施细则"],
    "other": ["廉政风险点登记办法", "执纪监督工作规程"],
}
EN_TITLES = {
    "integrity": ["Integrity and self-discipline code for leading cadres", "Gift registration procedure"],
    "three_major": ["Collective decision procedure for major matters", "Large-sum spending procedure"],
    "official_consumption": ["Official reception rules", "Official vehicle use rules"],
    "procurement": ["Procurement internal control procedure", "Tender evaluation recusal rules"],
    "construction": ["Construction project integrity rules", "Contract variation approval procedure"],
    "land_transfer": ["Land transfer supervision procedure"],
    "resources": ["Mineral resource development risk controls"],
    "personnel": ["Cadre selection supervision procedure", "Pre-appointment publicity rules"],
    "other": ["Integrity risk register procedure", "Inspection work procedure"],
}
EN_ARTICLES = {
    "integrity": [
        "Leading cadres shall not use their office to seek benefits for themselves, their spouses or children.",
        "Gifts, cash gifts and shopping cards that could affect official duties are refused; any that cannot "
        "be refused are registered and handed in within {n} working days.",
        "Leading cadres report personal matters, including investments and property, by 31 January each year.",
        "Relatives running businesses in the unit's field of work are reported within {n} working days.",
        "A violation is handled by criticism and education, admonishment or a disciplinary sanction.",
    ],
    "three_major": [
        "Major decisions, important appointments, major projects and large sums are decided collectively.",
        "In collective discussion the top leader speaks last, and the minutes record every member's stance.",
        "A large sum means a single payment of {n}0,000 yuan or more, or an unbudgeted addition above that.",
        "The execution of each decision is reported to the leadership within {n} days.",
    ],
    "official_consumption": [
        "Official receptions require prior approval and an official letter from the visiting unit.",
        "A working meal costs no more than {n}0 yuan per person and serves no alcohol.",
        "Official vehicles are used only for official business and every trip is logged.",
        "Reception expenses are reimbursed within {n} working days with the approval form and the list.",
    ],
    "procurement": [
        "Procurement of {n}00,000 yuan or more is put out to public tender.",
        "Requirements, review and approval of a purchase are done by three different people.",
        "Evaluation experts are drawn at random; an expert with an interest in a bidder withdraws.",
        "Contracts are published within {n} working days of signature for public supervision.",
        "Suspected bid rigging stops the procedure at once and is referred to the competent authority.",
    ],
    "construction": [
        "Construction projects follow the tendering procedure; splitting a project to avoid tender is forbidden.",
        "A variation above {n} per cent of the contract price is decided collectively and reviewed.",
        "Payments follow verified progress, signed by the supervisor, the auditor and the owner.",
    ],
    "land_transfer": [
        "Land for commercial use is transferred only by tender, auction or listing.",
        "Transfer results are published within {n} working days for no less than ten days.",
    ],
    "resources": [
        "Mining rights are granted by open competition after the reserves have been assessed.",
        "Officials with an interest in an applicant withdraw from the approval of mining rights.",
    ],
    "personnel": [
        "Cadre selection follows democratic recommendation, inspection, collective decision and publicity.",
        "Publicity before appointment lasts no less than {n} working days.",
        "Promotion in haste, over-staffing and buying or selling office are strictly forbidden.",
    ],
    "other": [
        "Each unit keeps a register of integrity risk points per post and per process.",
        "Risk points are graded high, medium or low and reviewed every year by 31 March.",
    ],
}
ZH_EXTRA = [
    "各单位应当在每季度结束后{n}个工作日内，将本制度执行情况报送纪检监察机构。",
    "纪检监察机构对本制度执行情况开展日常监督和专项检查，检查结果纳入年度考核。",
    "对执行本制度不力、搞变通、打折扣的，依规依纪追究有关人员责任。",
    "本制度涉及的台账和记录保存不少于{n}年，供监督检查调阅。",
    "领导干部和一把手应当带头执行本制度，不搞特殊、不搞例外。",
]
EN_ELEMENTS = {
    "element_who": "All party members and cadres of the unit; leading cadres and the top leader first.",
    "element_when": "From the date of issue; a self-inspection every year before 31 December.",
    "element_where": "All activities of the unit and the units below it.",
    "element_tasks": "Keep a register, record every item, report monthly to the discipline body.",
    "element_conditions": "Matters involving 500,000 yuan or more or the adjustment of three people or more.",
    "element_goals": "Prevent integrity risks and keep power exercised in the open.",
    "element_standards": "Register 100% complete; reports no more than 3 working days late.",
    "element_responsibilities": "The top leader bears primary responsibility; the discipline body supervises.",
    "element_measures": "Violations are handled under the disciplinary regulations.",
}
ZH_ELEMENTS = FULL_ELEMENTS
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜敏静强磊军洋勇艳杰涛明超英华平刚桂兰秀霞丽辉鹏林燕玲斌波宇浩凯健俊帆帅旭宁龙"
POSITIONS = ["科员", "副科长", "科长", "主任科员", "副处长", "处长", "一级主任科员", "四级调研员"]
TASK_TEXTS = [
    "建立本单位执行台账，逐项登记并按月报送。",
    "组织全体干部专题学习，形成学习记录。",
    "开展一次执行情况自查，形成自查报告。",
    "修订内部工作流程，明确审批环节和责任人。",
    "对照第{n}条要求，完成整改并报送佐证材料。",
]
FEEDBACK_TEXTS = [
    "第{n}条规定的时限过短，基层单位难以按时完成，建议调整为15个工作日。",
    "“有关部门”所指不明确，执行中无法确定责任单位。",
    "本制度与上级新出台的规定存在冲突，建议尽快修订。",
    "建议增加对一把手的专门要求，并明确监督方式。",
    "某单位在采购中存在化整为零规避招标的情况，请核查。",
    "The deadline in article {n} cannot be met by small units; please clarify.",
    "The rule does not say which unit keeps the register.",
]
NOTIFICATION_SUBJECTS = [
    "Reminder: {code} is due on {date}",
    "Overdue: {code} was due on {date}",
    "提醒：{code} 将于 {date} 到期",
    "待确认：请学习并确认 {code}",
]


def person_name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + ("" if i % 3 else GIVEN[(i * 13) % len(GIVEN)])


def zh_article(category: str, k: int, n: int) -> str:
    pool = AREAS.get(category, AREAS["other"]) + ZH_EXTRA
    return pool[k % len(pool)].replace("{n}", str(n))


def en_article(category: str, k: int, n: int) -> str:
    pool = EN_ARTICLES.get(category, EN_ARTICLES["other"])
    return pool[k % len(pool)].replace("{n}", str(n))
