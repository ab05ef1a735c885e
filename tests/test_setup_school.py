"""``dangwu_setup_school`` and ``setup_school()``: what a webmaster runs to add a school."""

from io import StringIO

import pytest
import swapper
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from dangwu_wagtail.models import Catalog, CatalogEntry, OrganisationType, Period, Timing
from dangwu_wagtail.privacy import supervisors_group_name
from dangwu_wagtail.schools import SchoolSetupError, setup_school
from tests.conftest import add_item

Page = swapper.load_model("wagtailcore", "Page")
#: The base page model's name in its permissions' codenames ("add_page").
PAGE = Page._meta.model_name


def run_setup(*args):
    out = StringIO()
    call_command("dangwu_setup_school", *args, stdout=out)
    return out.getvalue()


def footprint():
    """Counts of everything setting up a school creates."""
    return (
        Page.objects.count(),
        CatalogEntry.objects.count(),
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Collection.objects.count(),
    )


def test_command_creates_the_column_with_reference_entries_and_groups(home):
    output = run_setup(
        "--parent", str(home.pk), "--name", "徐汇中学党委", "--template", "committee"
    )

    catalog = Catalog.objects.get(organisation_name="徐汇中学党委")
    assert f"Catalog id: {catalog.pk}" in output
    assert catalog.live and catalog.get_parent().pk == home.pk
    assert catalog.organisation_type == OrganisationType.COMMITTEE
    assert catalog.title == "徐汇中学党委 Party affairs disclosure"
    assert catalog.entries.count() == 33
    first = catalog.entries.first()
    assert (first.number, first.scope, first.timing) == (1, "internal", "immediate")
    periodic = catalog.entries.filter(timing=Timing.PERIODIC)
    assert periodic.exists() and set(periodic.values_list("period", flat=True)) == {Period.YEAR}
    assert [
        catalog.members_group.name,
        catalog.editors_group.name,
        catalog.reviewers_group.name,
    ] == [
        "徐汇中学党委 members",
        "徐汇中学党委 editors",
        "徐汇中学党委 reviewers",
    ]
    for group in (catalog.members_group, catalog.editors_group, catalog.reviewers_group):
        assert group.name in output
    assert Group.objects.filter(name=supervisors_group_name()).exists()
    assert catalog.collection.name == "徐汇中学党委"


def test_branch_template_has_no_subcategories(home):
    catalog = setup_school(home, "某小学党支部", "branch").catalog
    assert catalog.organisation_type == OrganisationType.BRANCH
    assert catalog.entries.count() == 25
    assert not catalog.entries.exclude(subcategory="").exists()


def test_general_branch_uses_the_branch_template(home):
    catalog = setup_school(
        home, "某中学党总支", "branch", organisation_type="general_branch"
    ).catalog
    assert catalog.organisation_type == OrganisationType.GENERAL_BRANCH
    assert catalog.entries.count() == 25


def test_groups_get_permissions_on_their_own_subtree_only(school_a, school_b):
    for catalog in (school_a, school_b):
        perms = GroupPagePermission.objects.filter(
            group__in=[catalog.editors_group, catalog.reviewers_group, catalog.members_group]
        )
        assert {p.page_id for p in perms} == {catalog.pk}
        assert set(
            perms.filter(group=catalog.editors_group).values_list("permission__codename", flat=True)
        ) == {f"add_{PAGE}", f"change_{PAGE}"}
        assert f"publish_{PAGE}" in perms.filter(group=catalog.reviewers_group).values_list(
            "permission__codename", flat=True
        )
        assert not perms.filter(group=catalog.members_group).exists()
        collection_perms = GroupCollectionPermission.objects.filter(
            group__in=[catalog.editors_group, catalog.reviewers_group]
        )
        assert {p.collection_id for p in collection_perms} == {catalog.collection_id}
        # Members read on the site; they have no admin access and nobody manages users.
        assert not catalog.members_group.permissions.exists()
        # Editors and reviewers reach the admin and keep their school's registers, whose
        # rows of other schools the registers filter out.
        for group in (catalog.editors_group, catalog.reviewers_group):
            assert set(group.permissions.values_list("codename", flat=True)) == {
                "access_admin",
                "add_disclosurerequest",
                "change_disclosurerequest",
                "view_disclosurerequest",
                "add_receptionrecord",
                "change_receptionrecord",
                "view_receptionrecord",
                "change_feedback",
                "view_feedback",
                "view_holiday",
            }


def test_rerun_changes_nothing_and_says_so(home):
    run_setup("--parent", str(home.pk), "--name", "徐汇中学党委", "--template", "committee")
    before = footprint()
    catalog = Catalog.objects.get(organisation_name="徐汇中学党委")

    output = run_setup(
        "--parent", str(home.pk), "--name", "徐汇中学党委", "--template", "committee"
    )

    assert footprint() == before
    assert "already has a disclosure column" in output and "Nothing changed" in output
    assert f"Catalog id: {catalog.pk}" in output


def test_python_function_reruns_without_creating(home):
    first = setup_school(home, "C中学党委", "committee")
    again = setup_school(home, "C中学党委", "committee")
    assert first.created and not again.created
    assert again.catalog.pk == first.catalog.pk


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--parent", "999999", "--name", "X党委", "--template", "committee"],
            "no page with id 999999",
        ),
        (["--parent", "{home}", "--name", "   ", "--template", "committee"], "name is empty"),
        (
            ["--parent", "{home}", "--name", "长" * 101, "--template", "committee"],
            "longer than 100",
        ),
        (
            [
                "--parent",
                "{home}",
                "--name",
                "X党委",
                "--template",
                "committee",
                "--organisation-type",
                "branch",
            ],
            "uses the “branch” template",
        ),
        (
            ["--parent", "{catalog}", "--name", "X党委", "--template", "branch"],
            "cannot be placed under",
        ),
        (
            ["--parent", "{item}", "--name", "X党委", "--template", "branch"],
            "cannot be placed under",
        ),
        (
            ["--parent", "{home}", "--name", "A中学党委", "--template", "branch"],
            "already has a disclosure column",
        ),
    ],
)
def test_bad_arguments_exit_with_a_clear_message_and_create_nothing(school_a, home, args, message):
    item = add_item(school_a, "An item", number=5)
    before = footprint()
    ids = {"home": home.pk, "catalog": school_a.pk, "item": item.pk}
    with pytest.raises(CommandError, match=message) as raised:
        run_setup(*[a.format(**ids) for a in args])
    assert "Nothing was created" in str(raised.value)
    assert footprint() == before


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--parent", "2", "--name", "X党委"],
        ["--parent", "two", "--name", "X党委", "--template", "committee"],
        ["--parent", "2", "--name", "X党委", "--template", "party"],
        ["--parent", "2", "--name", "X党委", "--template", "branch", "--organisation-type", "club"],
    ],
)
def test_malformed_command_lines_are_refused(db, args):
    before = footprint()
    with pytest.raises(CommandError):
        run_setup(*args)
    assert footprint() == before


def test_function_errors_are_school_setup_errors(home):
    before = footprint()
    with pytest.raises(SchoolSetupError, match="Unknown template"):
        setup_school(home, "X党委", "party")
    with pytest.raises(SchoolSetupError, match="Unknown organisation type"):
        setup_school(home, "X党委", "branch", organisation_type="club")
    assert footprint() == before


def test_help_lists_the_arguments():
    from dangwu_wagtail.management.commands.dangwu_setup_school import Command

    text = Command().create_parser("manage.py", "dangwu_setup_school").format_help()
    for argument in ["--parent", "--name", "--template", "--organisation-type", "--title"]:
        assert argument in text


def test_each_school_gets_its_workflows(school_a, school_b):
    from dangwu_wagtail.models import ConfidentialityReviewTask, SuperiorApprovalTask

    for catalog in (school_a, school_b):
        name = catalog.organisation_name
        publishing = catalog.internal_section.get_workflow()
        assert publishing.name == f"{name} publishing"
        [review] = [task.specific for task in publishing.tasks]
        assert isinstance(review, ConfidentialityReviewTask)
        assert list(review.groups.all()) == [catalog.reviewers_group]
        adjustment = catalog.get_workflow()
        assert adjustment.name == f"{name} catalog adjustment"
        first, last = [task.specific for task in adjustment.tasks]
        assert first == review
        assert isinstance(last, SuperiorApprovalTask)
        assert [group.name for group in last.groups.all()] == ["Superior Party organisation"]
    # One superior approval step for the whole district.
    assert SuperiorApprovalTask.objects.count() == 1


def test_rerun_completes_a_column_set_up_before_moderation(school_a):
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage

    # As version 0.1 left it: a plain group approval, no catalog adjustment workflow.
    old_task = GroupApprovalTask.objects.create(name="old review")
    old = Workflow.objects.create(name="old publishing")
    old.workflow_tasks.create(task=old_task, sort_order=0)
    WorkflowPage.objects.filter(page=school_a).update(workflow=old)
    Catalog.objects.filter(pk=school_a.pk).update(adjustment_workflow=None)

    again = setup_school(school_a.get_parent(), school_a.organisation_name, "committee")

    assert not again.created
    catalog = Catalog.objects.get(pk=school_a.pk)
    assert catalog.adjustment_workflow.name == "A中学党委 catalog adjustment"
    assert catalog.internal_section.get_workflow().name == "A中学党委 publishing"


def test_generate_a_small_district(home):
    # The benchmarks' generator (benchmarks/generate_district.py), on the test database.
    from benchmarks.generate_district import GenerationError, generate_district
    from dangwu_wagtail.models import DisclosureItem

    out = StringIO()
    generate_district(home.pk, schools=3, items=60, years=2, out=out)
    assert "3 schools set up" in out.getvalue() and "60 items loaded" in out.getvalue()
    generated = Catalog.objects.filter(organisation_name__startswith="第0")
    assert generated.count() == 3
    items = DisclosureItem.objects.filter(entry__catalog__in=generated)
    assert items.count() == 60 and items.filter(scope="public").count() == 30
    assert not Page.find_problems()[0]
    with pytest.raises(GenerationError, match="no page with id 999999"):
        generate_district(999999)
