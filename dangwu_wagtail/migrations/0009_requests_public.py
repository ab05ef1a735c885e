import django.core.validators
from django.db import migrations, models


def give_reference_codes(apps, schema_editor):
    """Every column gets the code its new requests' references begin with. The references
    already given are left as they are: no accepted request is renumbered."""
    from dangwu_wagtail.models.reference_codes import organisation_initials

    Catalog = apps.get_model("dangwu_wagtail", "Catalog")
    codes = {}
    for catalog in Catalog.objects.order_by("pk"):
        if catalog.translation_key in codes:
            code = codes[catalog.translation_key]
        else:
            base = organisation_initials(catalog.organisation_name)
            code, number = base, 1
            while code in codes.values():
                number += 1
                code = f"{base}{number}"
            codes[catalog.translation_key] = code
        Catalog.objects.filter(pk=catalog.pk).update(reference_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("dangwu_wagtail", "0008_notice_board"),
    ]

    operations = [
        migrations.AddField(
            model_name="catalog",
            name="public_requests",
            field=models.BooleanField(
                default=False,
                help_text="Let people who are not members ask for information (依申请公开), leaving their name and an email address or phone number. Off: only logged-in readers may ask.",
                verbose_name="accept requests from the public",
            ),
        ),
        migrations.AddField(
            model_name="catalog",
            name="reference_code",
            field=models.CharField(
                blank=True,
                help_text="Begins the reference of each request to this column, as in “AZXDW-2026-0003”. Made from the initials of the organisation's name when left empty.",
                max_length=10,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Z0-9]{2,10}$", "Use 2 to 10 capital letters and digits, e.g. “AZXDW”."
                    )
                ],
                verbose_name="reference code",
            ),
        ),
        migrations.RunPython(give_reference_codes, migrations.RunPython.noop),
    ]
