"""Simplified Chinese for strings of Wagtail's admin scripts (its ``djangojs`` catalog) that
its zh_Hans catalog leaves untranslated, read out by screen readers on every admin screen:
the sidebar's “(New)” and “(2 new items in this menu)”, the rich text editor's “Insert a
block”.

Nothing here is called: the messages are listed so that ``makemessages`` puts them in the
add-on's (``django``) catalog. Wagtail's script catalog is built from its own package only,
so ``wagtail_gaps.script_translations()`` hands these to the admin's scripts, for the
strings Wagtail's catalog has no translation of and never over one it has.
``tests/test_translations.py`` fails if one of them is not a msgid of Wagtail's scripts or
if Wagtail's zh_Hans script catalog translates it. Remove an entry once Wagtail does.
"""

from django.utils.translation import gettext_noop

#: Wagtail's script msgids, exactly as in its ``djangojs`` catalog.
MESSAGES = [
    gettext_noop("(New)"),
    gettext_noop("(1 new item in this menu)"),
    gettext_noop("(%(number)s new items in this menu)"),
    gettext_noop("Insert a block"),
]
