"""What a disclosure catalog says of each item besides its content: the index number (索引号).

An item's index number is ``<organisation code>-<year>-<entry number>-<sequence>``, e.g.
``AZXDW-2026-05-0003``: the column's ``organisation_code`` (its reference code, which its
requests' references carry too, when it has none), the year the information was formed, the
entry's number (``00`` for an entry without one) and the item's place among that column's
items of that year and entry.

It is given when the item is first published, not when it is created: a draft that is
deleted, or moved to another entry before it is published, uses up no number, and a reader
never meets a gap for an item that was never disclosed. Once given it never changes, whatever
happens to the item's entry, date or column code, so that a number quoted in a letter always
finds the same item.
"""

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IndexSequence(models.Model):
    """The last sequence number given to one column's items of one year and entry number.

    A counter rather than the highest number plus one: a deleted newest item's number is never
    given again, to another item. It is locked (``SELECT ... FOR UPDATE``) while it is taken,
    so two items published at once on PostgreSQL never get the same number.
    """

    catalog = models.ForeignKey(
        "dangwu_wagtail.Catalog",
        verbose_name=_("disclosure column"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(verbose_name=pgettext_lazy("index sequence", "year"))
    entry_code = models.CharField(verbose_name=_("entry code"), max_length=10)
    last_number = models.PositiveIntegerField(verbose_name=_("last number given"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "year", "entry_code"], name="dangwu_index_sequence"
            )
        ]
        verbose_name = _("index number sequence")
        verbose_name_plural = _("index number sequences")

    def __str__(self):
        return f"{self.catalog_id}-{self.year}-{self.entry_code}: {self.last_number}"

    @classmethod
    def take_number(cls, catalog_id, year, entry_code):
        """The next sequence number; call inside a transaction, which holds its row's lock."""
        lookup = {"catalog_id": catalog_id, "year": year, "entry_code": entry_code}
        sequence = cls.objects.select_for_update().filter(**lookup).first()
        if sequence is None:
            try:
                with transaction.atomic():
                    sequence = cls.objects.create(**lookup)
            except IntegrityError:
                # Created at the same moment by another transaction: wait for its lock.
                sequence = cls.objects.select_for_update().get(**lookup)
            else:
                sequence = cls.objects.select_for_update().get(pk=sequence.pk)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        return sequence.last_number


def entry_code(entry):
    """The entry's part of an index number: its number in two digits, ``00`` without one."""
    return f"{entry.number:02d}" if entry.number is not None else "00"


def organisation_code(catalog):
    """The column's part of an index number: its ``organisation_code``, or else the reference
    code its requests' references carry (``Catalog.reference_code``, always set on save)."""
    return catalog.organisation_code or catalog.reference_code or f"{catalog.pk:04d}"


def new_index_number(item):
    """Give ``item`` (being published, inside a transaction) its index number."""
    entry = item.entry
    catalog = entry.catalog
    code = entry_code(entry)
    year = item.formed_on.year
    number = IndexSequence.take_number(catalog.pk, year, code)
    return f"{organisation_code(catalog)}-{year}-{code}-{number:04d}"
