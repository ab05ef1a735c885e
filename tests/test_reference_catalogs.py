"""The shipped reference catalogs match the district plan's appendices, row by row."""

import pytest

from dangwu_wagtail.models import Channel, Scope, Timing
from dangwu_wagtail.reference import reference_catalog, reference_entries
from tests.seed import read_reference_rows

SEED_CHANNELS = {
    "会议": Channel.MEETING,
    "文件": Channel.DOCUMENT,
    "设限平台": Channel.RESTRICTED_PLATFORM,
    "公示栏": Channel.NOTICE_BOARD,
    "媒体": Channel.MEDIA,
    "网站专栏": Channel.WEBSITE,
    "电子办公系统": Channel.OFFICE_SYSTEM,
}
SEED_SCOPES = {"党内": Scope.INTERNAL, "党内外": Scope.PUBLIC, "": ""}
SEED_TIMINGS = {"即时": Timing.IMMEDIATE, "定期": Timing.PERIODIC, "": ""}

SEED = read_reference_rows()


def expected_entry(row):
    """What a row of the plan's table becomes as a catalog entry."""
    subcategory, title = row.get("subcategory", ""), row["title"]
    if not title:
        # 附件二's two "other" rows fill only the second-level column: they are entries
        # directly under their category.
        subcategory, title = "", subcategory
    channels = row["channels"]
    return {
        "category": row["category"],
        "subcategory": subcategory,
        "number": int(row["number"]) if row["number"] else None,
        "title": title,
        # "会议、文件、设限平台等": the plan lists channels, then "等" (etc.).
        "channels": [SEED_CHANNELS[w] for w in channels.removesuffix("等").split("、")]
        if channels
        else [],
        "scope": SEED_SCOPES[row["scope"]],
        "timing": SEED_TIMINGS[row["timing"]],
    }


@pytest.mark.parametrize("template", ["committee", "branch"])
def test_every_row_of_the_appendix_is_shipped_exactly(template):
    shipped = [
        {key: entry[key] for key in expected_entry(SEED[template][0])}
        for entry in reference_catalog(template)["entries"]
    ]
    expected = [expected_entry(row) for row in SEED[template]]
    assert len(shipped) == len(expected)
    for position, (got, want) in enumerate(zip(shipped, expected, strict=True)):
        assert got == want, f"{template} row {position + 1}"


def test_committee_catalog_has_31_numbered_entries_and_two_other_rows():
    entries = reference_catalog("committee")["entries"]
    assert [e["number"] for e in entries] == [*range(1, 32), None, None]
    assert [e["title"] for e in entries[-2:]] == ["人才队伍建设情况", "其他自选公开事项"]
    assert all(e["subcategory"] for e in entries[:31])


def test_branch_catalog_has_25_entries_and_no_subcategories():
    entries = reference_catalog("branch")["entries"]
    assert [e["number"] for e in entries] == list(range(1, 26))
    assert not any(e["subcategory"] for e in entries)
    assert [(e["channels"], e["scope"], e["timing"]) for e in entries[-2:]] == [([], "", "")] * 2


def test_seed_texts_round_trip_for_channels():
    # The plan's own wording is rebuilt from the shipped codes: nothing was re-ordered.
    labels = {value: word for word, value in SEED_CHANNELS.items()}
    for template, rows in SEED.items():
        for row, entry in zip(rows, reference_catalog(template)["entries"], strict=True):
            if row["channels"]:
                assert "、".join(labels[c] for c in entry["channels"]) + "等" == row["channels"]


def test_periodic_entries_get_the_default_period(settings):
    settings.DANGWU_WAGTAIL = {"DEFAULT_PERIOD": "semester"}
    for entry in reference_entries("branch"):
        assert entry["period"] == ("semester" if entry["timing"] == "periodic" else "")


def test_unknown_template_is_refused():
    with pytest.raises(ValueError, match="committee, branch"):
        reference_catalog("party")
