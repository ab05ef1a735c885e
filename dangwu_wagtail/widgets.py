"""Form widgets of the add-on's editing screens."""

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
