"""Importing a school's members (党员) from a CSV or XLSX file into its members group.

Columns: name, username, email (a header row names them, in English or Chinese: 姓名, 用户名,
电子邮箱), separated by commas, semicolons or tabs (Excel on a Chinese Windows writes the
latter two), in UTF-8 or GB18030. A new account gets a random password nobody knows: the
member chooses theirs with the password-reset page. A rerun adds nobody twice. Every refused
row is reported with its line number and the reason, and the other rows are imported.

Who imports decides what happens to an existing account (``import_members``'s ``actor``):

- the command line, a superuser, or a webmaster who manages users (``auth.change_user``)
  adds any existing account whose email matches, and is told why a row was refused;
- a school's editor or reviewer re-adds only accounts already in one of their own school's
  groups. Any other existing account is not added, and every row that meets one (by username
  or by email) is refused with one and the same reason, so that an editor learns nothing
  about which accounts exist on the site, or where.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from .inputs import is_control_character
from .isolation import staff_catalogs

HEADERS = {
    "name": "name",
    "姓名": "name",
    "username": "username",
    "用户名": "username",
    "email": "email",
    "e-mail": "email",
    "邮箱": "email",
    "电子邮箱": "email",
    "电子邮件": "email",
}
MAX_ROWS = 5000


class MemberFileError(ValueError):
    """The file cannot be read as a members list; nothing was imported."""


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    added: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (line, username, reason)

    @property
    def accepted(self):
        return len(self.created) + len(self.added) + len(self.unchanged)


def read_rows(data, filename):
    """``(line, {"name", "username", "email"})`` pairs from a CSV or XLSX file's bytes."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        table = _xlsx_rows(data)
    elif extension == "csv":
        table = _csv_rows(data)
    else:
        raise MemberFileError(_("Give a .csv or .xlsx file."))
    table = [
        (line, ["" if cell is None else str(cell).strip() for cell in row])
        for line, row in table
        if any(cell not in (None, "") for cell in row)
    ]
    if not table:
        raise MemberFileError(_("The file has no rows."))
    header_line, header = table[0]
    columns = {HEADERS.get(cell.lower()): index for index, cell in enumerate(header)}
    columns.pop(None, None)
    if "username" in columns:
        table = table[1:]
    else:
        columns = {"name": 0, "username": 1, "email": 2}  # no header: name, username, email
    if len(table) > MAX_ROWS:
        raise MemberFileError(
            _("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS}
        )
    return [
        (
            line,
            {name: row[index] if index < len(row) else "" for name, index in columns.items()},
        )
        for line, row in table
    ]


def _csv_rows(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise MemberFileError(_("The CSV file is neither UTF-8 nor GB18030 text."))
    try:
        return list(enumerate(csv.reader(io.StringIO(text), dialect=_dialect(text)), start=1))
    except csv.Error as error:
        raise MemberFileError(
            _("The CSV file cannot be read: %(error)s") % {"error": error}
        ) from None


def _dialect(text):
    """The CSV dialect of ``text``: its delimiter (comma, semicolon or tab) sniffed from the
    first lines, a comma when they do not tell."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _xlsx_rows(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise MemberFileError(
            _("The XLSX file cannot be read: %(error)s") % {"error": error}
        ) from None
    sheet = workbook.worksheets[0]
    return list(enumerate(sheet.iter_rows(values_only=True), start=1))


def may_add_any_account(actor):
    """Whether ``actor`` may put any existing account of the site into a school's members
    group: the command line (``None``), superusers and those who manage users do."""
    return actor is None or actor.is_superuser or actor.has_perm("auth.change_user")


def own_school_groups(actor):
    """The ids of the groups of the schools ``actor`` works on (members, editors, reviewers)."""
    ids = set()
    for catalog in staff_catalogs(actor):
        ids |= {catalog.members_group_id, catalog.editors_group_id, catalog.reviewers_group_id}
    ids.discard(None)
    return ids


def import_members(catalog, rows, actor=None):
    """Put each row's account into ``catalog``'s members group; return an ``ImportReport``.

    ``actor`` is who imports (``None``: the command line); see the module's docstring for
    what each may do with an existing account. Each row is saved in a savepoint of its own,
    so a row the database refuses is reported and the others are kept.
    """
    User = get_user_model()
    group = catalog.members_group
    if group is None:
        raise MemberFileError(_("This column has no members group."))
    report = ImportReport()
    seen = set()
    username_field = User._meta.get_field(User.USERNAME_FIELD)
    name_field = User._meta.get_field("first_name")
    anywhere = may_add_any_account(actor)
    readdable = None if anywhere else own_school_groups(actor)
    # One reason for every row that meets an account an editor may not add.
    collides = _(
        "An account with this username or email address exists already; the site's "
        "webmaster can add it."
    )
    with transaction.atomic():
        for line, row in rows:
            username, email, name = (
                row.get("username", ""),
                row.get("email", ""),
                row.get("name", ""),
            )
            reason = _row_problem(username, email, name, username_field, name_field, seen)
            if reason is None:
                seen.add(username.lower())
                try:
                    with transaction.atomic():
                        outcome, reason = _import_row(
                            User, group, username, email, name, readdable, collides
                        )
                except DatabaseError:
                    outcome, reason = None, _("The database refused this row.")
                if outcome is not None:
                    getattr(report, outcome).append(username)
                    continue
            report.refused.append((line, username, reason))
    return report


def _import_row(User, group, username, email, name, readdable, collides):
    """``(outcome, None)`` with outcome one of the report's lists, or ``(None, reason)``.

    ``readdable``: ``None`` when any existing account may be added, else the ids of the
    groups whose accounts may be; any other existing account is refused with ``collides``.
    """
    user = User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).first()
    if readdable is not None:
        existing = User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username})
        if email:
            existing = User.objects.filter(
                Q(**{f"{User.USERNAME_FIELD}__iexact": username}) | Q(email__iexact=email)
            )
        met = list(existing)
        if met and not (
            len(met) == 1
            and user is not None
            and (not email or user.email.lower() == email.lower())
            and not (user.is_superuser or user.is_staff)
            and set(user.groups.values_list("pk", flat=True)) & readdable
        ):
            return None, collides
    if user is None:
        if email and User.objects.filter(email__iexact=email).exists():
            return None, _("The email address belongs to another account.")
        user = User(**{User.USERNAME_FIELD: username}, email=email, first_name=name)
        # A password nobody knows: Django's reset page serves only accounts with a usable
        # one, and the member chooses theirs there.
        user.set_password(get_random_string(40))
        user.save()
        user.groups.add(group)
        return "created", None
    if user.is_superuser or user.is_staff:
        return None, _("Administrators' accounts are not changed by an import.")
    if email and user.email.lower() != email.lower():
        return None, _("An account with this username has another email address.")
    if user.groups.filter(pk=group.pk).exists():
        return "unchanged", None
    user.groups.add(group)
    return "added", None


def _row_problem(username, email, name, username_field, name_field, seen):
    if not username:
        return _("The username is missing.")
    try:
        username_field.run_validators(username)
        if len(username) > username_field.max_length:
            raise ValidationError("")
    except ValidationError:
        return _(
            "The username may have at most %(max)d letters, digits and @/./+/-/_ characters."
        ) % {"max": username_field.max_length}
    if username.lower() in seen:
        return _("The username appears twice in the file.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return _("The email address is not valid.")
    if len(name) > name_field.max_length:
        return _("The name is longer than %(max)d characters.") % {"max": name_field.max_length}
    if any(is_control_character(character) for character in name):
        return _("The name holds a control character (a line break, a tab, NUL).")
    return None
