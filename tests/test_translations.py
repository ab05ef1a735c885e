"""Every message of the add-on is translated into Simplified Chinese, and the pages show it."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import dangwu_wagtail

PACKAGE = Path(dangwu_wagtail.__file__).parent
PO = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_message_is_translated_and_none_is_fuzzy():
    catalog = polib.pofile(str(PO))
    assert not catalog.metadata_is_fuzzy
    assert catalog.metadata["Language"] == "zh_Hans"
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_compiled_catalog_matches_the_source():
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural[0] for e in polib.pofile(str(PO))}
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural[0] for e in polib.mofile(str(MO))}
    assert compiled == source


def test_no_message_in_the_code_is_missing_from_the_catalog(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext (Debian package gettext) is needed to extract messages")
    copy = tmp_path / "dangwu_wagtail"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": ""},
    )
    extracted = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    shipped = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = [
        msgid
        for ctxt, msgid in ((e.msgctxt, e.msgid) for e in extracted)
        if (ctxt, msgid) not in shipped
    ]
    assert missing == [], "run makemessages and translate: " + repr(missing)


def test_catalog_page_in_chinese(client, school_a, items_a):
    response = client.get(school_a.url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    for text in [
        "公开目录",
        "公开范围",
        "党内外",
        "公开时限",
        "定期",
        "定期（每年）",
        "会议、文件、设限平台",
    ]:
        assert text in html, text
    assert "Party members only" not in html


def test_setup_names_page_and_groups_in_the_sites_language(home, settings):
    from dangwu_wagtail.privacy import supervisors_group_name
    from dangwu_wagtail.schools import setup_school

    settings.LANGUAGE_CODE = "zh-hans"
    catalog = setup_school(home, "徐汇中学党委", "committee").catalog
    assert catalog.title == "徐汇中学党委党务公开专栏"
    assert catalog.members_group.name == "徐汇中学党委党员"
    assert supervisors_group_name() == "区监督小组"


def upstream_catalogs():
    """The zh_Hans django.mo of Django, Wagtail and every other installed app but the add-on:
    the catalogs the add-on's own is merged with, where the first app in INSTALLED_APPS
    wins a msgid."""
    import django
    import wagtail
    from django.apps import apps

    roots = {Path(django.__file__).parent, Path(wagtail.__file__).parent}
    roots |= {Path(config.path) for config in apps.get_app_configs()}
    roots.discard(PACKAGE)
    found = set()
    for root in roots:
        found |= set(root.glob("**/locale/zh_Hans/LC_MESSAGES/django.mo"))
    return sorted(found - set(PACKAGE.glob("**/*.mo")))


def test_no_translation_of_the_add_on_changes_a_wagtail_or_django_string():
    """A msgid the add-on shares with Wagtail or Django, without a context, reads as they
    translate it: the add-on comes first in INSTALLED_APPS, so its translation would
    rename theirs everywhere ("Pages" as 分页 renamed Wagtail's main menu item)."""
    catalogs = upstream_catalogs()
    assert any("wagtail/admin" in str(path) for path in catalogs)
    assert any("django/conf" in str(path) for path in catalogs)
    theirs = {}
    for path in catalogs:
        for entry in polib.mofile(str(path)):
            translation = entry.msgstr or (entry.msgstr_plural or {}).get(0, "")
            if translation:
                theirs.setdefault((entry.msgctxt, entry.msgid), {})[str(path)] = translation
    renamed = []
    for entry in polib.pofile(str(PO)):
        if entry.obsolete:
            continue
        ours = entry.msgstr or entry.msgstr_plural[0]
        for path, translation in theirs.get((entry.msgctxt, entry.msgid), {}).items():
            if translation != ours:
                renamed.append((entry.msgctxt, entry.msgid, ours, translation, path))
    assert renamed == [], "give these a context (pgettext): " + repr(renamed)


#: ASCII punctuation touching Chinese text, or a space after a full-width mark.
ASCII_PUNCTUATION = re.compile(
    r"[\u3400-\u9fff][:;,!?]|[:;,!?]\s*[\u3400-\u9fff]|[\u3400-\u9fff]\s*\(|\(\s*[\u3400-\u9fff]"
    r"|[\u3400-\u9fff]\)|[。！？；：，、] "
)


def test_chinese_translations_use_chinese_punctuation():
    wrong = [
        (entry.msgid, translation)
        for entry in polib.pofile(str(PO))
        if not entry.obsolete
        for translation in [entry.msgstr, *entry.msgstr_plural.values()]
        if ASCII_PUNCTUATION.search(translation)
    ]
    assert wrong == []


def test_wagtails_untranslated_strings_are_filled_in_and_no_others():
    """``dangwu_wagtail/wagtail_translations.py`` translates Wagtail's and wagtail-modeladmin's
    strings that their zh_Hans catalogs leave untranslated, and only those."""
    import wagtail
    import wagtail_modeladmin

    sources = set()
    for package in (wagtail, wagtail_modeladmin):
        for path in Path(package.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"):
            sources |= {(e.msgctxt, e.msgid) for e in polib.pofile(str(path))}
    translated = set()
    for path in upstream_catalogs():
        translated |= {(e.msgctxt, e.msgid) for e in polib.mofile(str(path))}
    filled = [
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(str(PO))
        if any(file == "wagtail_translations.py" for file, _line in entry.occurrences)
    ]
    assert len(filled) >= 15
    assert [key for key in filled if key not in sources] == []  # Wagtail's own msgids
    assert [key for key in filled if key in translated] == []  # that nobody translates


def test_wagtails_untranslated_script_strings_are_filled_in_and_no_others():
    """``dangwu_wagtail/wagtail_js_translations.py`` lists strings of Wagtail's admin scripts
    that its zh_Hans script catalog leaves untranslated, and only those."""
    import wagtail

    from dangwu_wagtail.wagtail_js_translations import MESSAGES

    locale = Path(wagtail.__file__).parent / "admin" / "locale"
    sources = {e.msgid for e in polib.pofile(str(locale / "en/LC_MESSAGES/djangojs.po"))}
    translated = {
        e.msgid
        for e in polib.mofile(str(locale / "zh_Hans/LC_MESSAGES/djangojs.mo"))
        if e.msgstr or e.msgstr_plural
    }
    ours = {e.msgid: e.msgstr for e in polib.pofile(str(PO)) if not e.msgctxt}
    assert MESSAGES
    assert [m for m in MESSAGES if m not in sources] == []  # Wagtail's own script msgids
    assert [m for m in MESSAGES if m in translated] == []  # that Wagtail leaves in English
    assert [m for m in MESSAGES if not ours.get(m)] == []  # and the add-on translates


def test_the_admin_gives_wagtails_scripts_the_missing_translations(client, users, settings):
    client.force_login(users["superuser"])

    settings.LANGUAGE_CODE = "zh-hans"
    html = client.get("/admin/").content.decode()
    assert '"(New)": "（新）"' in html
    assert '"Insert a block": "插入区块"' in html
    # Never over a translation Wagtail's script catalog has.
    assert "if (!(key in catalog))" in html

    settings.LANGUAGE_CODE = "en"
    assert '"(New)"' not in client.get("/admin/").content.decode()
