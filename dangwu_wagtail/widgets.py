"""Form widgets and panels of the add-on's editing screens."""

from wagtail.admin.panels import InlinePanel
from wagtail.admin.widgets import AdminDateInput


class TypedDateInput(AdminDateInput):
    """Wagtail's date picker that keeps what was typed.

    The picker (jQuery datetimepicker) replaces a date it cannot read, such as 2026-13-45,
    with today's when the field loses focus, and the wrong date is saved without a word.
    With ``validateOnBlur`` off, the typed text reaches the form, which refuses it with a
    message and shows it back.
    """

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


class TitledInlinePanel(InlinePanel):
    """Wagtail's ``InlinePanel`` whose children are headed by what they hold.

    Wagtail heads every child with the panel's label and its position (“Entry 1” … “Entry
    33”), which says nothing of which is which. Here each child the page already has is
    headed by ``child_heading(form)``, from the child's form (what is saved, or what was
    typed when the page is shown back with errors); a child added in the editor, still
    empty, keeps Wagtail's label and position, which Wagtail's script keeps up to date.
    """

    def __init__(self, *args, child_heading=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.child_heading = child_heading

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "child_heading": self.child_heading}

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "dangwu_wagtail/admin/panels/titled_inline_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.form is None or self.panel.child_heading is None:
                return
            for child in self.children:
                child.child_heading = self.panel.child_heading(child.form)
