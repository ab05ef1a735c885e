"""A disclosure request's reference: a column's code, the year and a number that no two
requests share (``RequestSequence``)."""

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .catalog import Catalog


class RequestSequence(models.Model):
    """The last reference number given to one column's requests in one year.

    A counter row rather than a count of the rows (which gave a deleted request's successor
    the reference of a request still there, and failed every submission after it) or the
    highest reference plus one (which gives a deleted newest request's reference again, to
    someone else): the number only grows, so a reference names one request for good. The row
    is taken with ``select_for_update``, so two submissions at once wait for each other on
    PostgreSQL; on SQLite the writers already wait for each other with ``"transaction_mode":
    "IMMEDIATE"``, as the README advises.
    """

    catalog = models.ForeignKey(
        Catalog, verbose_name=_("column"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        verbose_name=pgettext_lazy("reference sequence", "year")
    )
    last_number = models.PositiveIntegerField(verbose_name=_("last number given"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["catalog", "year"], name="dangwu_request_sequence")
        ]
        verbose_name = _("request reference sequence")
        verbose_name_plural = _("request reference sequences")

    def __str__(self):
        return f"{self.year}-{self.catalog_id}: {self.last_number}"

    @classmethod
    def take_number(cls, catalog, year):
        """The next reference number of ``catalog`` in ``year``; call inside a transaction,
        which holds the counter until it ends."""
        sequence = cls.objects.select_for_update().filter(catalog=catalog, year=year).first()
        if sequence is None:
            try:
                with transaction.atomic():
                    sequence = cls.objects.create(
                        catalog=catalog, year=year, last_number=highest_number(catalog, year)
                    )
            except IntegrityError:
                # Another submission created it at the same moment: wait for it.
                sequence = cls.objects.select_for_update().get(catalog=catalog, year=year)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        return sequence.last_number


def reference_prefix(catalog, year):
    """“AZXDW-2026-”: the column's reference code (``Catalog.reference_code``) and the year,
    which a reader recognises."""
    return f"{catalog.reference_code}-{year}-"


def former_reference_prefix(catalog, year):
    """“2026-4-”, with the column's database id: the form of the references given before
    the reference codes. Those references stay as they were given."""
    return f"{year}-{catalog.pk}-"


def highest_number(catalog, year):
    """The highest number among the references already given (before the counter existed),
    in either form."""
    numbers = []
    for prefix in {former_reference_prefix(catalog, year), reference_prefix(catalog, year)}:
        numbers += [
            reference[len(prefix) :]
            for reference in apps.get_model("dangwu_wagtail", "DisclosureRequest")
            .objects.filter(catalog=catalog, reference__startswith=prefix)
            .values_list("reference", flat=True)
        ]
    return max(
        (int(number) for number in numbers if number.isascii() and number.isdigit()), default=0
    )
