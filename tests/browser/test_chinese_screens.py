"""Every screen a school office opens, in a real browser with the interface in Chinese
(zh-hans), shows no English word: the add-on's words, Wagtail's and Django's.

Each role (an editor, a reviewer, a district supervisor, a Party member) logs in and opens
the screens of its day. The visible text of each (``innerText``, button values and
placeholders) is searched for Latin words of two letters or more, once the content is taken
out: what the school typed (page, group, workflow, collection and document names, user
names) and product and format names (Wagtail, XLSX, ...). So is what a screen reader reads
and the eye does not see: text hidden for screen readers (Wagtail's ``w-sr-only``,
``visuallyhidden``, anything clipped to a pixel), ``aria-label`` and ``title`` attributes.
Every word found is listed in test-artifacts/browser/english-words.txt, per role and screen.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import capfirst
from playwright.sync_api import expect

from dangwu_wagtail.models import Catalog, DisclosureRequest, Feedback, Scope
from tests.browser.conftest import ARTIFACTS
from tests.conftest import add_item

pytestmark = pytest.mark.django_db(transaction=True)

SCHOOL_A = "A中学党委"
PASSWORD = "password"
#: Names of products, formats and standards, which are not translated.
PRODUCT_NAMES = {"Wagtail", "Django", "XLSX", "CSV", "PDF", "Excel", "RSS", "Atom", "JSON", "API"}
PRODUCT_NAMES |= {"GMT", "UTC"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
VISIBLE_TEXT = """() => {
    // Text for screen readers only (Wagtail's w-sr-only: 1px, clipped) is not seen.
    for (const element of document.body.querySelectorAll('*')) {
        const box = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        const clipped = style.clip !== 'auto' || style.clipPath !== 'none'
            || style.overflow === 'hidden';
        if (box.width <= 1 && box.height <= 1 && clipped) element.style.display = 'none';
    }
    // A closed list shows its chosen option only.
    for (const select of document.body.querySelectorAll('select:not([multiple])')) {
        const chosen = document.createElement('span');
        chosen.textContent = select.selectedOptions.length ? select.selectedOptions[0].text : '';
        select.after(chosen);
        select.style.display = 'none';
    }
    const shown = (element) => element.offsetParent !== null;
    return [
        document.title,
        document.body.innerText,
        ...Array.from(document.querySelectorAll('input[type=submit], input[type=button]'))
            .filter(shown).map((input) => input.value),
        ...Array.from(document.querySelectorAll('[placeholder]'))
            .filter(shown).map((input) => input.placeholder),
    ].join('\\n');
}"""


#: What a screen reader reads that is not on screen. Run before VISIBLE_TEXT, which hides
#: the clipped elements.
HIDDEN_TEXT = """() => {
    const texts = [];
    const srOnly = '.w-sr-only, .visuallyhidden, .sr-only, .visually-hidden';
    for (const element of document.body.querySelectorAll('*')) {
        if (element.closest('template, script, style, noscript')) continue;
        // Labels are read whenever their element is shown, as a closed menu's are once open.
        for (const name of ['aria-label', 'title', 'aria-description', 'aria-roledescription']) {
            const value = element.getAttribute(name);
            if (value) texts.push(value);
        }
        // Text that is not rendered (display: none, a closed panel) is not read.
        if (!element.getClientRects().length) continue;
        const box = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        const clipped = style.clip !== 'auto' || style.clipPath !== 'none'
            || style.overflow === 'hidden';
        if (element.matches(srOnly) || (box.width <= 1 && box.height <= 1 && clipped)) {
            texts.push(element.textContent);
        }
    }
    return texts.map((text) => text.replace(/\\s+/g, ' ').trim()).join('\\n');
}"""


def content_names():
    """What the school and the test typed: names that are content, not interface."""
    import swapper
    from wagtail.documents.models import Document
    from wagtail.models import Collection, Site, Task, Workflow, get_page_models

    from dangwu_wagtail.models import DisclosureItem

    Page = swapper.load_model("wagtailcore", "Page")

    names = set()
    names |= set(Page.objects.values_list("title", flat=True))
    names |= set(Group.objects.values_list("name", flat=True))
    names |= set(Workflow.objects.values_list("name", flat=True))
    names |= set(Task.objects.values_list("name", flat=True))
    names |= set(Collection.objects.values_list("name", flat=True))
    names |= set(Document.objects.values_list("title", flat=True))
    # Identifiers: requests' references, items' index and document numbers, columns' codes.
    names |= set(DisclosureRequest.objects.values_list("reference", flat=True))
    for fields in DisclosureItem.objects.values_list("index_number", "document_number"):
        names |= set(fields)
    for fields in Catalog.objects.values_list("reference_code", "organisation_code"):
        names |= set(fields)
    for site in Site.objects.all():
        names |= {site.hostname, site.site_name}
    names.add(settings.WAGTAIL_SITE_NAME)
    # The host site's own page types, named by its developers.
    for model in get_page_models():
        if model._meta.app_label not in ("wagtailcore", "dangwu_wagtail"):
            names |= {str(model._meta.verbose_name), str(capfirst(model._meta.verbose_name))}
    for user in get_user_model().objects.all():
        names |= {user.username, user.email, user.get_full_name()}
    return sorted((name for name in names if name), key=len, reverse=True)


def english_lines(text, exempt):
    """The lines of ``text`` with an English word, once content and product names are out."""
    found = []
    for line in text.splitlines():
        bare = line
        for name in exempt:
            bare = bare.replace(name, " ")
        bare = re.sub(r"https?://\S+|\S+@\S+", " ", bare)
        if any(word not in PRODUCT_NAMES for word in LATIN_WORD.findall(bare)):
            found.append(line.strip())
    return list(dict.fromkeys(found))


def english_words(found_lines, exempt):
    """The distinct English words of ``found_lines``."""
    words = set()
    for line in found_lines:
        for name in exempt:
            line = line.replace(name, " ")
        words |= set(LATIN_WORD.findall(re.sub(r"https?://\S+|\S+@\S+", " ", line)))
    return words - PRODUCT_NAMES


def use_chinese(*usernames):
    from wagtail.users.models import UserProfile

    for user in get_user_model().objects.filter(username__in=usernames):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "zh-hans"
        profile.save()


def admin_login(page, username):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form [type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def member_login(page, username):
    page.goto("/members/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form [type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/members/login/"))


def open_action_menu(page):
    """Open the editor footer's menu of actions, where the review's buttons are."""
    page.get_by_role("button", name="更多动作").click()
    # The last step publishes: one phrase, not Wagtail's “通过保密审查 和发布”.
    expect(page.get_by_role("button", name="通过保密审查并发布", exact=True)).to_be_visible()


def open_filters(page):
    """Open the listing's filters and every one of their panels."""
    page.get_by_role("button", name="显示过滤器").click()
    page.evaluate(
        "() => document.querySelectorAll('.w-drilldown__submenu').forEach("
        "(menu) => menu.removeAttribute('hidden'))"
    )


def open_editor_menu(page):
    page.get_by_role("button", name="更多动作").click()


def office_day():
    """An item in review, a published one, a request and an opinion: what an office has."""
    User = get_user_model()
    catalog = Catalog.objects.get(organisation_name=SCHOOL_A)
    editor = User.objects.get(username="editor_a")
    in_review = add_item(
        catalog, "党委会议纪要（送审）", number=5, scope=Scope.PUBLIC, live=False, body="<p>审</p>"
    )
    in_review.save_revision(user=editor)
    in_review.get_workflow().start(in_review, editor)
    published = add_item(catalog, "年度工作计划", number=5, body="<p>计划全文。</p>")
    disclosure_request = DisclosureRequest.objects.receive(
        catalog, name="张三", phone="13812345678", subject="食堂账目", description="请公开。"
    )
    feedback = Feedback.objects.create(
        catalog=catalog,
        item=published,
        author=User.objects.get(username="member_a"),
        author_name="李四",
        text="建议增加照片。",
    )
    return catalog, in_review, published, disclosure_request, feedback


def admin_screens(catalog, in_review, published, disclosure_request, feedback):
    register = "/admin/dangwu_wagtail/{}/"
    editor = [
        "/admin/",
        (f"/admin/pages/{catalog.pk}/", open_filters),
        f"/admin/pages/{catalog.internal_section.pk}/",
        f"/admin/pages/{in_review.pk}/edit/",
        (f"/admin/pages/{published.pk}/edit/", open_editor_menu),
        f"/admin/pages/{published.pk}/history/",
        f"/admin/pages/{in_review.pk}/workflow_history/",
        f"/admin/pages/add/dangwu_wagtail/disclosureitem/{catalog.internal_section.pk}/",
        "/admin/pages/search/?q=计划",
        register.format("disclosurerequest"),
        register.format("disclosurerequest") + f"edit/{disclosure_request.pk}/",
        register.format("feedback"),
        register.format("feedback") + f"edit/{feedback.pk}/",
        register.format("receptionrecord"),
        register.format("receptionrecord") + "create/",
        ("/admin/documents/", open_filters),
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/locked/",
        "/admin/account/",
        "/admin/dangwu/members/import/",
    ]
    reviewer = [
        "/admin/",
        (f"/admin/pages/{in_review.pk}/edit/", open_action_menu),
        f"/admin/pages/{catalog.internal_section.pk}/",
        "/admin/reports/workflow/",
    ]
    supervisor = [
        "/admin/",
        "/admin/dangwu/columns/",
        f"/admin/dangwu/columns/{catalog.pk}/",
        f"/admin/dangwu/columns/{catalog.pk}/summary/",
        f"/admin/pages/{catalog.internal_section.pk}/",
        register.format("disclosurerequest"),
        register.format("feedback"),
    ]
    return {"editor_a": editor, "reviewer_a": reviewer, "supervisor": supervisor}


def member_screens(catalog, published):
    return [
        catalog.url,
        published.url,
        catalog.subpage_url("search") + "?q=计划",
        catalog.subpage_url("request"),
        catalog.subpage_url("feedback") + f"?item={published.pk}",
        catalog.subpage_url("mine"),
        catalog.subpage_url("entry", published.entry_id),
    ]


def test_every_roles_screens_are_chinese(committed_district, live_server, new_context, shot):
    catalog, in_review, published, disclosure_request, feedback = office_day()
    use_chinese("editor_a", "reviewer_a", "supervisor")
    exempt = content_names()
    found = {}
    screens = admin_screens(catalog, in_review, published, disclosure_request, feedback)
    for username, urls in screens.items():
        page = new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-hans"})
        page = page.new_page()
        admin_login(page, username)
        for url in urls:
            url, action = url if isinstance(url, tuple) else (url, None)
            response = page.goto(url)
            if action is not None:
                action(page)
            assert response.status == 200, (username, url, response.status)
            hidden_words = english_lines(page.evaluate(HIDDEN_TEXT), exempt)
            if hidden_words:
                found[(username, url + " (screen reader)")] = hidden_words
            words = english_lines(page.evaluate(VISIBLE_TEXT), exempt)
            if words:
                found[(username, url)] = words
                shot(page, f"{username}-{len(found)}")
    member = new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-hans"})
    member = member.new_page()
    member_login(member, "member_a")
    for url in member_screens(catalog, published):
        response = member.goto(url)
        assert response.status == 200, ("member_a", url, response.status)
        hidden_words = english_lines(member.evaluate(HIDDEN_TEXT), exempt)
        if hidden_words:
            found[("member_a", url + " (screen reader)")] = hidden_words
        words = english_lines(member.evaluate(VISIBLE_TEXT), exempt)
        if words:
            found[("member_a", url)] = words

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lines = []
    for username in [*screens, "member_a"]:
        role = {key: words for key, words in found.items() if key[0] == username}
        total = sum(len(english_words(found_lines, exempt)) for found_lines in role.values())
        lines.append(f"{username}: {total} English word(s) on {len(role)} screen(s)")
        for (_user, url), found_lines in role.items():
            lines.append(f"  {url}")
            lines += [f"    {line}" for line in found_lines]
    (ARTIFACTS / "english-words.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert found == {}, "\n".join(lines)
