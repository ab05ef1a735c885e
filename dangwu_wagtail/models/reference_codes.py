"""A column's reference code (“AZXDW” for A中学党委), which its requests' references and, when it
has no organisation code, its items' index numbers carry."""

REFERENCE_CODE_LENGTH = 10


def organisation_initials(name):
    """“AZXDW” for “A中学党委”: the initials of ``name`` in pinyin (``pypinyin``), with its
    Latin letters and digits as they are, in capitals; “DW” when nothing is left."""
    from pypinyin import Style, lazy_pinyin

    initials = "".join(lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="default"))
    initials = "".join(c for c in initials.upper() if c.isascii() and c.isalnum())
    return initials[: REFERENCE_CODE_LENGTH - 2] or "DW"


def available_reference_code(catalogs, name, exclude_key=None):
    """The initials of ``name``, with a number after them when another column of
    ``catalogs`` (a queryset) already has them."""
    base = organisation_initials(name)
    taken = set(
        catalogs.exclude(translation_key=exclude_key)
        .filter(reference_code__startswith=base)
        .values_list("reference_code", flat=True)
    )
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}{number}"
    return code
