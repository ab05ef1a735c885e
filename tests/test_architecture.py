"""The package's layers point one way (docs/architecture.md).

``lint-imports`` checks the contracts in ``pyproject.toml`` in CI; these tests say the same
with grimp, so the suite fails too when a cycle comes back.
"""

import ast
from pathlib import Path

import grimp
import pytest

import dangwu_wagtail

#: A page dispatches to its own views, as Wagtail's ``FormPage`` does: the only imports from
#: the models up to the views, made inside the page's methods.
DISPATCH = {
    ("dangwu_wagtail.models.catalog_routes", "dangwu_wagtail.views"),
    ("dangwu_wagtail.models.items", "dangwu_wagtail.views"),
}
#: What the models may import of the rest of the package: the modules below them.
BELOW_THE_MODELS = {
    "dangwu_wagtail.attachment_text",
    "dangwu_wagtail.conf",
    "dangwu_wagtail.inputs",
    "dangwu_wagtail.search",
    "dangwu_wagtail.widgets",
}


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("dangwu_wagtail")


def cycles(graph, ignored=frozenset()):
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if (module, imported) in ignored:
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = set()
            while module not in component:
                component.add(stack.pop())
            on_stack.difference_update(component)
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_but_a_page_dispatching_to_its_views(graph):
    assert cycles(graph, ignored=DISPATCH) == []
    # The dispatch is the one way back up: with it, the pages reach their views.
    assert any("dangwu_wagtail.views" in component for component in cycles(graph))


def test_the_models_import_only_what_is_below_them(graph):
    upwards = {
        (importer, imported)
        for importer in graph.find_descendants("dangwu_wagtail.models")
        for imported in graph.find_modules_directly_imported_by(importer)
        if not imported.startswith("dangwu_wagtail.models") and imported not in BELOW_THE_MODELS
    }
    assert upwards == DISPATCH


def test_the_package_loads_the_page_model_that_the_site_swapped_in():
    """A host site may swap Wagtail's base page (``WAGTAIL_PAGE_MODEL``): the package loads it
    with ``swapper`` and never imports ``wagtail.models.Page`` itself."""
    package = Path(dangwu_wagtail.__file__).parent
    direct = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module == "wagtail.models":
                if any(alias.name == "Page" for alias in node.names):
                    direct.append(f"{path.relative_to(package)}:{node.lineno}")
    assert direct == []


def test_each_module_is_one_job_of_at_most_400_lines():
    package = Path(dangwu_wagtail.__file__).parent
    long = {
        str(path.relative_to(package)): length
        for path in package.rglob("*.py")
        if "migrations" not in path.parts and (length := len(path.read_text().splitlines())) > 400
    }
    assert long == {}


def test_wagtail_modeladmin_is_known_to_the_registers_package_only():
    """The registers are the one package that imports wagtail-modeladmin, so that moving them
    to Wagtail's viewsets touches it alone."""
    package = Path(dangwu_wagtail.__file__).parent
    importers = set()
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            if any(name.split(".")[0] == "wagtail_modeladmin" for name in names):
                importers.add(str(path.relative_to(package).parent))
    assert importers == {"registers"}
