"""Members' accounts on the site (log in, log out, password reset) and the members import."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from dangwu_wagtail.members import import_members, read_rows

User = get_user_model()


def logs_in(username, password, client=None, url=None, address="10.1.0.1"):
    """Whether ``username`` logs in with ``password`` on a login page, from ``address``."""
    client = client or Client(REMOTE_ADDR=address)
    response = client.post(
        url or reverse("dangwu_wagtail:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_an_internal_item_sends_a_reader_to_the_member_login_and_back(items_a, users):
    item = items_a["internal"]
    client = Client()
    response = client.get(item.url)
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith(reverse("dangwu_wagtail:login") + "?next=")

    page = client.get(login_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<html" in text and "Log in" in text and 'name="username"' in text
    assert page.templates[0].name == "dangwu_wagtail/account/login.html"
    assert "base.html" in [template.name for template in page.templates]  # the host's design

    response = client.post(
        login_url, {"username": "member_a", "password": "password", "next": item.url}
    )
    assert response.status_code == 302 and response["Location"] == item.url
    assert "SECRETWORD" in client.get(item.url).content.decode()


def test_without_next_a_member_lands_on_their_schools_column(school_a, users):
    response = Client().post(
        reverse("dangwu_wagtail:login"), {"username": "member_a", "password": "password"}
    )
    assert response.status_code == 302 and response["Location"] == school_a.url
    response = Client().post(
        reverse("dangwu_wagtail:login"), {"username": "supervisor", "password": "password"}
    )
    assert response["Location"] == "/"


def test_wrong_password_is_refused_clearly(users):
    response = Client().post(
        reverse("dangwu_wagtail:login"), {"username": "member_a", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_log_out(items_a, users):
    client = Client()
    client.force_login(users["member_a"])
    assert client.get(reverse("dangwu_wagtail:logout")).status_code == 405  # POST only
    response = client.post(reverse("dangwu_wagtail:logout"))
    assert response.status_code == 200
    assert "You are logged out" in response.content.decode()
    assert client.get(items_a["internal"].url).status_code == 302


def test_password_reset_by_email(items_a, users):
    client = Client()
    response = client.post(
        reverse("dangwu_wagtail:password_reset"), {"email": "member_a@example.com"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dangwu_wagtail:password_reset_done")
    [message] = mail.outbox
    assert message.to == ["member_a@example.com"]
    link = re.search(r"https?://[^/]+(/members/password-reset/\S+/)", message.body)[1]
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-pass-2026", "new_password2": "a-new-pass-2026"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dangwu_wagtail:password_reset_complete")
    assert logs_in("member_a", "a-new-pass-2026")
    # The link works once.
    assert "has been used or has expired" in client.get(link, follow=True).content.decode()


def test_unknown_address_gets_the_same_answer(users):
    response = Client().post(
        reverse("dangwu_wagtail:password_reset"), {"email": "nobody@example.com"}
    )
    assert response.status_code == 302
    assert mail.outbox == []


# Throttling ------------------------------------------------------------------------------------

LOGIN_PAGES = ["dangwu_wagtail:login", "wagtailadmin_login"]


@pytest.fixture
def fresh_throttles():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_wrong_passwords_lock_out_that_user_from_that_address_for_a_while(
    users, fresh_throttles, page
):
    url = reverse(page)
    client = Client(REMOTE_ADDR="10.1.0.1")
    for _attempt in range(25):
        client.post(url, {"username": "editor_a", "password": "wrong"}, REMOTE_ADDR="10.1.0.1")
    response = client.post(
        url, {"username": "editor_a", "password": "password"}, REMOTE_ADDR="10.1.0.1"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "Too many failed attempts" in text and "15 minutes" in text
    assert "base.html" in [template.name for template in response.templates]  # the host's design
    chinese = Client(REMOTE_ADDR="10.1.0.1").post(
        url,
        {"username": "editor_a", "password": "password"},
        REMOTE_ADDR="10.1.0.1",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "登录失败次数过多" in chinese.content.decode()

    # One person's mistakes lock out nobody else behind the same address (a school's NAT),
    # nor the same person from elsewhere.
    assert logs_in("reviewer_a", "password", url=url, address="10.1.0.1")
    assert logs_in("editor_a", "password", url=url, address="10.9.9.9")

    # After the cool-off the right password works again.
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert logs_in("editor_a", "password", url=url, address="10.1.0.1")


def ask_for_resets(url, done, email, address, times=12):
    """Ask ``times`` times for ``email``'s password reset from ``address``; each answer is
    the same redirect to ``done``. Returns the client."""
    client = Client(REMOTE_ADDR=address)
    for _attempt in range(times):
        response = client.post(url, {"email": email}, REMOTE_ADDR=address)
        assert response.status_code == 302 and response["Location"] == done
    return client


def test_password_resets_are_throttled_per_address_and_per_email(users, fresh_throttles):
    url = reverse("dangwu_wagtail:password_reset")
    done = reverse("dangwu_wagtail:password_reset_done")
    client = ask_for_resets(url, done, "member_a@example.com", "10.2.0.1")
    assert len(mail.outbox) == 3  # RATE_LIMITS["password_reset"], per email address

    # From other addresses too: the address being asked for is limited.
    response = Client().post(url, {"email": "member_a@example.com"}, REMOTE_ADDR="10.2.0.2")
    assert response["Location"] == done and len(mail.outbox) == 3

    # Per client address: asking for many accounts from one address sends no more than the
    # limit, and the answer is the same whether or not an account has the address.
    mail.outbox.clear()
    emails = [f"{name}@example.com" for name in ("editor_a", "reviewer_a", "member_b")]
    emails += [f"nobody{number}@example.com" for number in range(40)]
    for email in emails:
        response = client.post(url, {"email": email}, REMOTE_ADDR="10.2.0.9")
        assert response.status_code == 302 and response["Location"] == done, email
    assert len(mail.outbox) == 3
    client.post(url, {"email": "editor_b@example.com"}, REMOTE_ADDR="10.2.0.9")
    assert len(mail.outbox) == 3  # the address's limit is reached


def test_login_throttling_is_checked(settings):
    from django.core import checks

    def warnings():
        return [
            message.id
            for message in checks.run_checks(tags=["security"])
            if message.id.startswith("dangwu_wagtail")
        ]

    assert "dangwu_wagtail.W002" not in warnings()
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    assert "dangwu_wagtail.W002" in warnings()
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.AXES_LOCKOUT_PARAMETERS = ["ip_address"]
    assert "dangwu_wagtail.W003" in warnings()


# Importing members --------------------------------------------------------------------------------

GOOD_AND_BAD = (
    "姓名,用户名,电子邮箱\n"
    "王芳,wangfang,wangfang@example.com\n"
    "李强,liqiang,\n"
    "无名,,x@example.com\n"
    "坏邮箱,bademail,not-an-email\n"
    "重复,wangfang,other@example.com\n"
    "空格,has space,s@example.com\n"
    "已有,member_b,wrong@example.com\n"
    "编辑,editor_b,editor_b@example.com\n"
    "占用,newname,member_a@example.com\n"
    "管理员,superuser,superuser@example.com\n"
)


def test_import_good_and_bad_rows(school_a, users):
    rows = read_rows(GOOD_AND_BAD.encode("utf-8"), "members.csv")
    report = import_members(school_a, rows)

    assert report.created == ["wangfang", "liqiang"]
    assert report.added == ["editor_b"]
    refused = {line: reason for line, _username, reason in report.refused}
    assert refused == {
        4: "The username is missing.",
        5: "The email address is not valid.",
        6: "The username appears twice in the file.",
        7: "The username may have at most 150 letters, digits and @/./+/-/_ characters.",
        8: "An account with this username has another email address.",
        10: "The email address belongs to another account.",
        11: "Administrators' accounts are not changed by an import.",
    }
    wangfang = User.objects.get(username="wangfang")
    assert wangfang.first_name == "王芳"
    assert not logs_in("wangfang", "")
    assert list(wangfang.groups.all()) == [school_a.members_group]
    assert school_a.members_group in users["editor_b"].groups.all()
    assert school_a.members_group not in users["member_b"].groups.all()

    # A rerun duplicates nobody.
    again = import_members(school_a, read_rows(GOOD_AND_BAD.encode("utf-8"), "members.csv"))
    assert again.created == [] and again.added == []
    assert again.unchanged == ["wangfang", "liqiang", "editor_b"]
    assert User.objects.filter(username="wangfang").count() == 1


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_an_imported_member_chooses_a_password_by_email(school_a, items_a):
    import_members(school_a, read_rows(GOOD_AND_BAD.encode("utf-8"), "members.csv"))
    client = Client()
    client.post(reverse("dangwu_wagtail:password_reset"), {"email": "wangfang@example.com"})
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/members/password-reset/\S+/)", message.body)[1]
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "wang-fang-2026", "new_password2": "wang-fang-2026"},
    )
    member = Client()
    assert logs_in("wangfang", "wang-fang-2026", member)
    assert "SECRETWORD" in member.get(items_a["internal"].url).content.decode()


def test_import_reads_xlsx_and_gbk_csv_and_headerless_files(school_a):
    data = xlsx([("name", "username", "email"), ("张三", "zhangsan", "zs@example.com")])
    assert import_members(school_a, read_rows(data, "m.xlsx")).created == ["zhangsan"]
    data = "李四,lisi,ls@example.com\n".encode("gb18030")
    assert import_members(school_a, read_rows(data, "m.csv")).created == ["lisi"]


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "m.csv", "The file has no rows."),
        (b"name,username\n", "m.txt", "Give a .csv or .xlsx file."),
        (b"not a zip", "m.xlsx", "The XLSX file cannot be read"),
    ],
)
def test_unreadable_files_import_nobody(school_a, data, name, message):
    from dangwu_wagtail.members import MemberFileError

    with pytest.raises(MemberFileError, match=message):
        read_rows(data, name)


def test_import_command(school_a, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    out = io.StringIO()
    call_command("dangwu_import_members", "--catalog", str(school_a.pk), str(path), stdout=out)
    text = out.getvalue()
    assert (
        "2 accounts created, 1 added to the members group, 0 already members, 7 rows refused"
        in text
    )
    assert "Line 5 (bademail): The email address is not valid." in text
    with pytest.raises(CommandError, match="There is no file"):
        call_command("dangwu_import_members", "--catalog", str(school_a.pk), "/nonexistent.csv")
    with pytest.raises(CommandError, match="no disclosure column with id 999999"):
        call_command("dangwu_import_members", "--catalog", "999999", str(path))


def test_import_in_the_admin(school_a, school_b, users):
    url = reverse("dangwu_wagtail_admin:member_import")
    editor = Client()
    editor.force_login(users["editor_a"])
    page = editor.get(url)
    assert page.status_code == 200
    assert list(page.context["form"].fields["catalog"].queryset) == [school_a]

    upload = SimpleUploadedFile("members.csv", GOOD_AND_BAD.encode("utf-8"))
    response = editor.post(url, {"catalog": school_a.pk, "file": upload})
    assert response.status_code == 200
    text = response.content.decode()
    # An editor creates accounts; editor_b, of another school, is not added (the webmaster
    # or the command line may add it).
    assert "2 accounts created" in text and "0 accounts added" in text
    assert "8 rows refused" in text
    assert "The username appears twice in the file." in text
    assert school_a.members_group not in users["editor_b"].groups.all()

    # Not into another school's group.
    upload = SimpleUploadedFile("members.csv", b"x,intruder,i@example.com\n")
    response = editor.post(url, {"catalog": school_b.pk, "file": upload})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(username="intruder").exists()

    member = Client()
    member.force_login(users["member_a"])
    assert member.get(url).status_code == 302  # no admin access
    supervisor = Client()
    supervisor.force_login(users["supervisor"])
    assert supervisor.get(url).status_code in (302, 403)


#: Rows that meet existing accounts: of school A (member_a already a member, reviewer_a
#: in its reviewers group), of school B, of an administrator, or an existing email address.
EXISTING = (
    "name,username,email\n"
    "新人,newcomer,newcomer@example.com\n"
    "甲,member_a,member_a@example.com\n"
    "乙,reviewer_a,reviewer_a@example.com\n"
    "丙,MEMBER_B,member_b@example.com\n"
    "丁,someone,Member_B@example.com\n"
    "戊,editor_b,wrong@example.com\n"
    "己,freshname,editor_b@example.com\n"
    "庚,superuser,superuser@example.com\n"
)


def test_an_editors_import_adds_no_account_of_elsewhere_and_says_nothing_about_it(school_a, users):
    editor = Client()
    editor.force_login(users["editor_a"])
    upload = SimpleUploadedFile("members.csv", EXISTING.encode("utf-8"))
    response = editor.post(
        reverse("dangwu_wagtail_admin:member_import"), {"catalog": school_a.pk, "file": upload}
    )
    report = response.context["report"]
    assert report.created == ["newcomer"]
    assert report.added == ["reviewer_a"]
    assert report.unchanged == ["member_a"]
    assert [line for line, _username, _reason in report.refused] == [5, 6, 7, 8, 9]
    # One reason for every collision: which account exists, and where, stays unsaid.
    assert len({reason for _line, _username, reason in report.refused}) == 1
    text = response.content.decode()
    for telling in ("another email", "belongs to another account", "Administrators"):
        assert telling not in text
    for username in ("member_b", "editor_b", "superuser"):
        assert school_a.members_group not in User.objects.get(username=username).groups.all()
    assert not User.objects.filter(username="freshname").exists()


def test_the_webmasters_import_adds_existing_accounts(school_a, users):
    superuser = Client()
    superuser.force_login(users["superuser"])
    upload = SimpleUploadedFile("members.csv", EXISTING.encode("utf-8"))
    response = superuser.post(
        reverse("dangwu_wagtail_admin:member_import"), {"catalog": school_a.pk, "file": upload}
    )
    report = response.context["report"]
    assert report.added == ["reviewer_a", "MEMBER_B"]
    refused = {line: reason for line, _username, reason in report.refused}
    assert refused == {
        6: "The email address belongs to another account.",
        7: "An account with this username has another email address.",
        8: "The email address belongs to another account.",
        9: "Administrators' accounts are not changed by an import.",
    }


def test_a_row_with_a_nul_or_a_line_break_is_refused_and_the_rest_imported(school_a, tmp_path):
    data = (
        "name,username,email\n"
        "王\x00芳,wangfang,wangfang@example.com\n"
        '"李\r\n强",liqiang,liqiang@example.com\n'
        "张三,zhangsan,zs@example.com\n"
        "赵四,zhao\x00si,zhaosi@example.com\n"
        "钱五,qianwu,qian\x00wu@example.com\n"
    ).encode()
    report = import_members(school_a, read_rows(data, "members.csv"))
    assert report.created == ["zhangsan"]
    refused = {line: reason for line, _username, reason in report.refused}
    assert refused[2] == "The name holds a control character (a line break, a tab, NUL)."
    assert refused[3] == "The name holds a control character (a line break, a tab, NUL)."
    assert set(refused) == {2, 3, 5, 6}  # records: the quoted line break is in record 3
    assert User.objects.filter(username="zhangsan").exists()

    path = tmp_path / "members.csv"
    path.write_bytes(data.replace(b"zhangsan,zs@", b"sunliu,sl@"))
    out = io.StringIO()
    call_command("dangwu_import_members", "--catalog", str(school_a.pk), str(path), stdout=out)
    assert "1 accounts created" in out.getvalue() and "Line 2 (wangfang)" in out.getvalue()


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_import_reads_what_excel_writes_on_chinese_windows(school_a, delimiter, encoding):
    for header in (["姓名", "用户名", "电子邮箱"], None):
        rows = [["王芳", f"wf{ord(delimiter)}{encoding[:3]}{bool(header)}", "wf@example.com"]]
        rows[0][2] = f"{rows[0][1]}@example.com"
        rows += [["李强", f"lq{ord(delimiter)}{encoding[:3]}{bool(header)}", ""]]
        lines = ([header] if header else []) + rows
        data = "\r\n".join(delimiter.join(line) for line in lines).encode(encoding)
        report = import_members(school_a, read_rows(data, "members.csv"))
        assert report.created == [rows[0][1], rows[1][1]], (delimiter, encoding, header)
        assert report.refused == []


def test_member_pages_speak_chinese(db):
    # db: the page's canonical address names the Wagtail site's host.
    response = Client().get(reverse("dangwu_wagtail:login"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = response.content.decode()
    assert "登录" in text and "忘记密码？" in text


def test_the_admins_password_resets_are_throttled_too(users, fresh_throttles):
    url = reverse("wagtailadmin_password_reset")
    done = reverse("wagtailadmin_password_reset_done")
    ask_for_resets(url, done, "editor_a@example.com", "10.3.0.1")
    assert len(mail.outbox) == 3  # RATE_LIMITS["password_reset"], per email address


def test_a_host_that_changes_one_limit_keeps_the_others(settings):
    from django.core.exceptions import ImproperlyConfigured

    from dangwu_wagtail.conf import dangwu_settings

    settings.DANGWU_WAGTAIL = {"RATE_LIMITS": {"request": "10/h", "feedback": None}}
    limits = dangwu_settings.RATE_LIMITS
    assert limits["request"] == "10/h" and limits["feedback"] is None
    assert limits["password_reset"] == "3/h" and limits["password_reset_address"] == "20/h"

    settings.DANGWU_WAGTAIL = {"RATE_LIMITS": {"password_rest": "1/h"}}
    with pytest.raises(ImproperlyConfigured, match="password_rest"):
        _ = dangwu_settings.RATE_LIMITS
    settings.DANGWU_WAGTAIL = {"RATE_LIMITS": "5/h"}
    with pytest.raises(ImproperlyConfigured, match="must be a dict"):
        _ = dangwu_settings.RATE_LIMITS
