"""The district plan's reference catalogs (附件二 for committees, 附件三 for branches).

Each is a JSON file beside this module, transcribed from 徐教委（2011）11号: category,
subcategory, number, title, channels, scope and timing exactly as the plan gives them. The plan
gives no period for periodic entries; they get ``DANGWU_WAGTAIL["DEFAULT_PERIOD"]``. The rows the
plan leaves without number, channel, scope or timing (其他应公开事项) keep them empty: the
school fills them in.
"""

import json
from functools import cache
from pathlib import Path

from ..conf import dangwu_settings

TEMPLATES = ("committee", "branch")

_HERE = Path(__file__).resolve().parent


@cache
def _load(template):
    with open(_HERE / f"{template}.json", encoding="utf-8") as f:
        return json.load(f)


def reference_catalog(template):
    """The reference catalog ``template`` as a dict with ``title``, ``source`` and ``entries``.

    Raises ``ValueError`` for an unknown template.
    """
    if template not in TEMPLATES:
        raise ValueError(
            f"Unknown reference catalog {template!r}; choose one of: {', '.join(TEMPLATES)}."
        )
    return _load(template)


def reference_entries(template):
    """The entries of the reference catalog ``template``, as a list of field dicts."""
    entries = []
    for row in reference_catalog(template)["entries"]:
        period = dangwu_settings.DEFAULT_PERIOD if row["timing"] == "periodic" else ""
        entries.append({**row, "period": period})
    return entries
