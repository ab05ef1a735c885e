"""Demo content for the example site: two schools' columns, items of both scopes, demo users.

``load_demo()`` holds the logic. It needs the add-on but not this site's settings, so the test
suite runs it against its own home page; ``manage.py load_demo`` calls it and prints the
accounts. Running it again adds nothing twice: columns are found by organisation name, items by
slug under their column, documents by title in the school's collection and users by username.
The users' passwords are reset on every run, so that they can be printed again.

The school names, titles and bodies below are demo data, in Chinese as a school would write them.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from dangwu_wagtail.models import (
    AnswerType,
    DayKind,
    DisclosureItem,
    DisclosureItemAttachment,
    DisclosureRequest,
    Feedback,
    FeedbackCategory,
    Holiday,
    ReceptionRecord,
    Scope,
    Timing,
)
from dangwu_wagtail.moderation import approvers_group_name
from dangwu_wagtail.privacy import supervisors_group_name
from dangwu_wagtail.schools import setup_school

PASSWORD_LENGTH = 16


@dataclass(frozen=True)
class DemoAttachment:
    title: str
    filename: str
    text: str


@dataclass(frozen=True)
class DemoItem:
    """One disclosure item, filed under the catalog entry numbered ``number``."""

    number: int
    slug: str
    title: str
    scope: str
    formed_on: datetime.date
    body: str
    tags: tuple = ()
    # The period covered, for items under a periodic entry: (start, end).
    period: tuple | None = None
    attachment: DemoAttachment | None = None


@dataclass(frozen=True)
class DemoSchool:
    name: str
    template: str
    title: str
    intro: str
    contact: dict
    items: tuple


def calendar_year(year):
    """The period a yearly item covers: (1 January, 31 December)."""
    return (datetime.date(year, 1, 1), datetime.date(year, 12, 31))


SCHOOLS = (
    DemoSchool(
        name="徐汇实验中学党委",
        template="committee",
        title="徐汇实验中学党委党务公开专栏",
        intro=(
            "<p>根据区教育系统党务公开工作实施方案，本专栏公开校党委党务信息。"
            "党内公开事项仅向本校党员公开，请登录后查看。</p>"
        ),
        contact={
            "contact_person": "王老师（党办主任）",
            "contact_phone": "021-6123 4567",
            "contact_email": "dangban@xuhui-shiyan.example.cn",
            "reception_place": "行政楼三楼党员活动室（305室）",
            "reception_hours": "每周三 14:00–16:00（寒暑假除外）",
            "supervision_phone": "021-6123 4500",
            "guide_intro": (
                "<p>为便于党员和教职工了解、参与、监督校党委的工作，根据区教育系统党务公开"
                "工作实施方案，编制本指南。</p>"
            ),
            "guide_closing": "<p>本指南自发布之日起施行，由校党委办公室负责解释。</p>",
        },
        items=(
            DemoItem(
                number=1,
                slug="district-education-conference",
                title="传达学习区委教育工作会议精神的情况",
                scope=Scope.INTERNAL,
                formed_on=datetime.date(2026, 9, 18),
                tags=("理论学习", "会议精神"),
                body=(
                    "<p>9月18日，校党委召开理论学习中心组（扩大）会议，传达学习区委教育工作"
                    "会议精神。会议要求各党支部结合新学期工作研究落实措施，于10月底前报送"
                    "落实情况。</p>"
                ),
            ),
            DemoItem(
                number=3,
                slug="gymnasium-renovation-decision",
                title="体育馆改造项目“三重一大”集体决策情况",
                scope=Scope.INTERNAL,
                formed_on=datetime.date(2026, 10, 9),
                tags=("三重一大", "集体决策"),
                body=(
                    "<p>10月9日，学校党政联席会议审议体育馆改造项目实施方案及预算，与会人员"
                    "充分讨论后表决通过。会议纪要已存档备查。</p>"
                ),
            ),
            DemoItem(
                number=4,
                slug="work-summary-2025",
                title="2025年度党委工作总结",
                scope=Scope.INTERNAL,
                formed_on=datetime.date(2026, 1, 16),
                period=calendar_year(2025),
                tags=("工作总结",),
                body=(
                    "<p>总结2025年度校党委在思想建设、组织建设、党风廉政建设等方面的主要工作"
                    "和存在的不足，提出2026年度工作思路。</p>"
                ),
            ),
            DemoItem(
                number=5,
                slug="learning-organisation-plan-2026",
                title="2026年度创建学习型党组织计划",
                scope=Scope.PUBLIC,
                formed_on=datetime.date(2026, 2, 27),
                period=calendar_year(2026),
                tags=("学习型党组织", "理论学习"),
                body=(
                    "<p>全年安排理论学习中心组学习12次、党员集中学习10次，开展“读书分享会”"
                    "“青年教师理论沙龙”等活动，学习安排在校园网同步公布。</p>"
                ),
            ),
            DemoItem(
                number=8,
                slug="model-teacher-chemistry",
                title="学习身边榜样：化学教研组党员教师先进事迹",
                scope=Scope.PUBLIC,
                formed_on=datetime.date(2026, 11, 5),
                tags=("先进典型", "师德师风"),
                body=(
                    "<p>化学教研组党员教师李老师扎根教学一线二十年，带领青年教师开展实验教学"
                    "改革，指导的学生课题获市青少年科技创新大赛一等奖。校党委号召全体党员"
                    "向身边榜样学习。</p>"
                ),
            ),
            DemoItem(
                number=15,
                slug="party-dues-2025",
                title="2025年度党费收缴、管理和使用情况",
                scope=Scope.INTERNAL,
                formed_on=datetime.date(2026, 1, 20),
                period=calendar_year(2025),
                tags=("党费",),
                body=(
                    "<p>2025年度全校党员按规定足额交纳党费。党费收缴、管理和使用情况经党委会"
                    "审核，明细见附件。</p>"
                ),
                attachment=DemoAttachment(
                    title="2025年度党费收缴使用明细",
                    filename="party-dues-2025.txt",
                    text=(
                        "2025年度党费收缴使用明细（演示数据）\n\n"
                        "一、收缴：全校在册党员86名，全年应交、实交党费均为51,240.00元。\n"
                        "二、上缴：按规定全额上缴区教育工作党委。\n"
                        "三、下拨使用：党员教育培训12,600.00元，慰问困难党员4,000.00元。\n"
                    ),
                ),
            ),
            DemoItem(
                number=24,
                slug="staff-congress-2025",
                title="第七届教职工代表大会第三次会议情况",
                scope=Scope.PUBLIC,
                formed_on=datetime.date(2025, 12, 19),
                period=calendar_year(2025),
                tags=("教代会", "民主管理"),
                body=(
                    "<p>12月19日，学校召开第七届教职工代表大会第三次会议，审议通过《学校2026年度"
                    "工作要点》和《教职工绩效工资分配方案（修订）》。会议收到代表提案16件，"
                    "均已立案办理。</p>"
                ),
                attachment=DemoAttachment(
                    title="第七届教职工代表大会第三次会议决议",
                    filename="staff-congress-resolution-2025.txt",
                    text=(
                        "徐汇实验中学第七届教职工代表大会第三次会议决议（演示数据）\n\n"
                        "大会审议通过《学校2026年度工作要点》和《教职工绩效工资分配方案"
                        "（修订）》，同意提案工作委员会关于16件代表提案的审查意见。\n"
                    ),
                ),
            ),
            DemoItem(
                number=27,
                slug="summer-volunteer-school",
                title="党员教师参与社区“暑期爱心学堂”志愿服务情况",
                scope=Scope.PUBLIC,
                formed_on=datetime.date(2026, 9, 2),
                tags=("志愿服务",),
                body=(
                    "<p>暑假期间，32名党员教师到所在社区参加“暑期爱心学堂”志愿服务，累计开课"
                    "86课时，服务社区学生400余人次。</p>"
                ),
            ),
        ),
    ),
    DemoSchool(
        name="平江路小学党支部",
        template="branch",
        title="平江路小学党支部党务公开专栏",
        intro="<p>本专栏公开平江路小学党支部党务信息，欢迎党员和教职工监督。</p>",
        contact={
            "contact_person": "陈老师（支部组织委员）",
            "contact_phone": "021-6234 5678",
            "contact_email": "dangzhibu@pingjianglu.example.cn",
            "reception_place": "教学楼一楼党员活动室",
            "reception_hours": "每周五 15:30–16:30",
        },
        items=(
            DemoItem(
                number=1,
                slug="district-plenary-session",
                title="支部党员大会传达学习区委全会精神",
                scope=Scope.INTERNAL,
                formed_on=datetime.date(2026, 10, 15),
                tags=("理论学习",),
                body=(
                    "<p>10月15日，支部召开党员大会，传达学习区委全会精神，结合学校“双减”"
                    "工作交流学习体会。</p>"
                ),
            ),
            DemoItem(
                number=4,
                slug="work-plan-2026",
                title="2026年度支部工作计划",
                scope=Scope.INTERNAL,
                formed_on=datetime.date(2026, 2, 24),
                period=calendar_year(2026),
                tags=("工作计划",),
                body=(
                    "<p>围绕立德树人根本任务，明确2026年度支部在政治学习、组织生活、作风建设"
                    "等方面的重点工作和时间安排。</p>"
                ),
            ),
            DemoItem(
                number=5,
                slug="study-plan-2026",
                title="2026年度党员学习计划及落实情况",
                scope=Scope.PUBLIC,
                formed_on=datetime.date(2026, 3, 6),
                period=calendar_year(2026),
                tags=("学习型党组织",),
                body=(
                    "<p>支部按月安排主题学习，上半年已完成集中学习6次、专题党课2次，学习情况"
                    "在校内公示栏同步公开。</p>"
                ),
            ),
            DemoItem(
                number=10,
                slug="party-dues-2025",
                title="2025年度党费收缴、管理和使用情况",
                scope=Scope.INTERNAL,
                formed_on=datetime.date(2026, 1, 22),
                period=calendar_year(2025),
                tags=("党费",),
                body=(
                    "<p>2025年度支部共有党员27名，均按时足额交纳党费，收缴情况已在党员大会上"
                    "通报。</p>"
                ),
            ),
            DemoItem(
                number=16,
                slug="after-school-feedback",
                title="关于课后服务意见建议的采纳和反馈情况",
                scope=Scope.PUBLIC,
                formed_on=datetime.date(2026, 11, 12),
                tags=("意见建议", "课后服务"),
                body=(
                    "<p>支部通过家长座谈会和教职工问卷收集课后服务意见建议23条，已采纳15条，"
                    "包括增设科技类社团、调整放学接送时间等；其余建议已逐一说明。</p>"
                ),
            ),
            DemoItem(
                number=20,
                slug="tutoring-migrant-children",
                title="党员教师结对帮扶随迁子女学业辅导情况",
                scope=Scope.PUBLIC,
                formed_on=datetime.date(2026, 6, 30),
                tags=("志愿服务", "结对帮扶"),
                body=(
                    "<p>本学期支部12名党员教师与24名随迁子女学生结对，每周开展一次学业辅导和"
                    "谈心活动。</p>"
                ),
            ),
        ),
    ),
)

# Demo accounts, all of the first school except the supervisor and the superuser.
USERNAMES = {
    "member": "demo_member",
    "editor": "demo_editor",
    "reviewer": "demo_reviewer",
    "supervisor": "demo_supervisor",
    "approver": "demo_approver",
    "superuser": "demo_admin",
}


def load_demo(parent_page=None, stdout=None):
    """Create (or refresh) the demo content under ``parent_page``; return what was done.

    ``parent_page`` defaults to this site's home page, created if missing and made the root
    of the default site. ``stdout``, if given, receives a line per step.

    Returns a dict: ``home`` (the parent page), ``catalogs`` (a list of dicts with the
    ``catalog``, whether it was ``created`` and the number of ``items_created`` and
    ``items_existing``) and ``users`` (a list of dicts with ``username``, ``password``,
    ``role`` and ``created``).
    """

    def say(line):
        if stdout is not None:
            stdout.write(f"{line}\n")

    with transaction.atomic():
        if parent_page is None:
            parent_page = ensure_home_page(say)
        catalogs = [_load_school(parent_page, school, say) for school in SCHOOLS]
        users = _load_users(catalogs[0]["catalog"], say)
        _load_registers(catalogs[0]["catalog"], say)
    return {"home": parent_page, "catalogs": catalogs, "users": users}


def ensure_home_page(say=None):
    """This site's home page: created if missing, made the root of the default site."""
    # Imported here: the test suite runs load_demo() without this site's apps installed.
    from .models import HomePage

    say = say or (lambda line: None)
    home = HomePage.objects.order_by("depth", "path").first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(title="首页", slug=find_available_slug(root, "home"))
        )
        say(_("Created the home page “%(title)s”.") % {"title": home.title})

    site = Site.objects.filter(is_default_site=True).first()
    site_name = getattr(settings, "WAGTAIL_SITE_NAME", "")
    if site is None:
        site = Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True, site_name=site_name
        )
        say(_("Created the default site."))
    else:
        if site.root_page_id != home.pk:
            site.root_page = home
            say(_("Made “%(title)s” the root of the default site.") % {"title": home.title})
        site.site_name = site.site_name or site_name
        site.save()
    say(
        _("Home page: “%(title)s” (id %(id)d), root of the default site.")
        % {"title": home.title, "id": home.pk}
    )
    return home


def _load_school(parent_page, school, say):
    result = setup_school(parent_page, school.name, school.template, title=school.title)
    catalog = result.catalog
    if result.created:
        say(
            _("%(name)s: created the column “%(title)s” with %(count)d catalog entries.")
            % {"name": school.name, "title": catalog.title, "count": catalog.entries.count()}
        )
    else:
        say(
            _("%(name)s: the column “%(title)s” is already there.")
            % {"name": school.name, "title": catalog.title}
        )

    wanted = {"intro": school.intro, **school.contact}
    if any(getattr(catalog, field) != value for field, value in wanted.items()):
        for field, value in wanted.items():
            setattr(catalog, field, value)
        catalog.save_revision(log_action=True).publish()
        say("  " + _("Contact information published."))
    else:
        say("  " + _("Contact information is up to date."))

    created = existing = 0
    for spec in school.items:
        if _load_item(catalog, spec):
            created += 1
        else:
            existing += 1
    say(
        "  "
        + _("Disclosure items: %(created)d created, %(existing)d already there.")
        % {"created": created, "existing": existing}
    )
    return {
        "catalog": catalog,
        "created": result.created,
        "items_created": created,
        "items_existing": existing,
    }


def _load_item(catalog, spec):
    """File ``spec`` under ``catalog`` and publish it, unless it is there; True if created."""
    if DisclosureItem.objects.descendant_of(catalog).filter(slug=spec.slug).exists():
        return False
    entry = catalog.entries.get(number=spec.number)
    if (entry.timing == Timing.PERIODIC) != (spec.period is not None):
        raise ValueError(
            _("Demo item “%(title)s”: give a period if and only if its entry is periodic.")
            % {"title": spec.title}
        )
    period_start, period_end = spec.period or (None, None)
    item = DisclosureItem(
        title=spec.title,
        slug=spec.slug,
        entry=entry,
        scope=spec.scope,
        formed_on=spec.formed_on,
        period_start=period_start,
        period_end=period_end,
        body=spec.body,
    )
    item.tags.add(*spec.tags)
    if spec.attachment is not None:
        item.attachments = [DisclosureItemAttachment(document=_document(catalog, spec.attachment))]
    catalog.add_item(item)
    item.save_revision(log_action=True).publish()
    return True


def _document(catalog, attachment):
    """The school's document titled ``attachment.title``, uploaded if missing."""
    Document = get_document_model()
    document = Document.objects.filter(
        collection__in=[catalog.collection, catalog.internal_collection], title=attachment.title
    ).first()
    if document is None:
        content = attachment.text.encode("utf-8")
        document = Document(
            title=attachment.title,
            collection=catalog.collection,
            file=ContentFile(content, name=attachment.filename),
        )
        document.save()
        # Fill in the size and hash as the admin's upload form does.
        document.get_file_size()
        document.get_file_hash()
    return document


#: 2026年国庆节: 1–7 October off, Saturday 10 October worked (国务院办公厅通知).
HOLIDAYS = [
    *((datetime.date(2026, 10, day), DayKind.HOLIDAY, "国庆节") for day in range(1, 8)),
    (datetime.date(2026, 10, 10), DayKind.WORKDAY, "国庆节调休"),
]


def _load_registers(catalog, say):
    """A few rows in each register: holidays, requests, a reception and an opinion."""
    for date, kind, name in HOLIDAYS:
        Holiday.objects.get_or_create(date=date, defaults={"kind": kind, "name": name})
    User = get_user_model()
    member = User.objects.get(username=USERNAMES["member"])
    editor = User.objects.get(username=USERNAMES["editor"])
    if not DisclosureRequest.objects.filter(catalog=catalog).exists():
        answered = DisclosureRequest.objects.receive(
            catalog,
            requester=member,
            name="张老师",
            email=member.email,
            subject="2025年党费收缴情况",
            description="请公开本党委2025年度党费收缴、管理和使用情况。",
            received_at=timezone.now() - datetime.timedelta(days=20),
        )
        answered.accept(editor)
        item = DisclosureItem.objects.live().filter(entry__catalog=catalog, scope=Scope.PUBLIC)
        answered.answer(
            editor,
            AnswerType.ALREADY_DISCLOSED if item.exists() else AnswerType.NOT_HELD,
            explanation="该信息已在本专栏公开，请点击链接查阅。",
            item=item.first(),
        )
        open_request = DisclosureRequest.objects.receive(
            catalog,
            requester=member,
            name="张老师",
            email=member.email,
            subject="党员发展工作计划",
            description="请公开本学年党员发展工作计划。",
        )
        ReceptionRecord.objects.create(
            catalog=catalog,
            visitor_name="王同志",
            visitor_contact="13800000000",
            place=catalog.reception_place or "党员活动室",
            question="询问党费缴纳标准。",
            received_by="组织委员",
            outcome="已当场解答，并告知可依申请公开。",
            disclosure_request=open_request,
        )
        Feedback.objects.create(
            catalog=catalog,
            author=member,
            author_name="张老师",
            text="建议在专栏中增加党员活动照片。",
            category=FeedbackCategory.SUGGESTION,
            answer="感谢建议，我们将在下次活动后补充。",
            answered_at=timezone.now(),
            answered_by=editor,
            in_report=True,
        )
    say(_("Registers: holidays, two requests, a reception record and an opinion."))


def _load_users(catalog, say):
    supervisors = Group.objects.get(name=supervisors_group_name())
    school = catalog.organisation_name
    accounts = [
        (
            USERNAMES["member"],
            _("Party member of %(school)s: reads its internal items") % {"school": school},
            [catalog.members_group],
            False,
        ),
        (
            USERNAMES["editor"],
            _("Editor of %(school)s: drafts items in the admin") % {"school": school},
            [catalog.editors_group],
            False,
        ),
        (
            USERNAMES["reviewer"],
            _("Reviewer of %(school)s: passes the confidentiality review, which publishes")
            % {"school": school},
            [catalog.reviewers_group],
            False,
        ),
        (
            USERNAMES["supervisor"],
            _("District supervisor: reads every school's column"),
            [supervisors],
            False,
        ),
        (
            USERNAMES["approver"],
            _("Superior Party organisation: approves catalog adjustments"),
            [Group.objects.get(name=approvers_group_name())],
            False,
        ),
        (
            USERNAMES["superuser"],
            _("Superuser: the webmaster"),
            [],
            True,
        ),
    ]
    User = get_user_model()
    users = []
    for username, role, groups, is_superuser in accounts:
        password = get_random_string(PASSWORD_LENGTH)
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        user.is_active = True
        user.is_superuser = user.is_staff = is_superuser
        user.set_password(password)
        user.save()
        user.groups.set(groups)
        users.append({"username": username, "password": password, "role": role, "created": created})
    created_count = sum(user["created"] for user in users)
    say(
        _("Demo users: %(created)d created, %(reset)d passwords reset.")
        % {"created": created_count, "reset": len(users) - created_count}
    )
    return users
