"""The forms readers fill in on the site: a request, a clarification, an opinion."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .conf import dangwu_settings
from .inputs import validate_single_line
from .models import DisclosureRequest, Feedback

PHONE = re.compile(r"^(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8}(?:-\d{1,6})?)$")


def validate_phone(value):
    if not PHONE.match(value.strip()):
        raise ValidationError(
            _("Enter a mobile number (11 digits) or a landline with its area code."),
            code="invalid_phone",
        )


#: What a file of each accepted extension is, by its content (the ``filetype`` library's
#: names); ``None`` for plain text, which has no signature. Office's older formats (doc, xls)
#: share one container (OLE2), so either content is taken for either extension. WPS and OFD
#: files are left out: no maintained detector knows them.
UPLOAD_CONTENT = {
    "pdf": {"pdf"},
    "doc": {"doc", "xls", "ppt"},
    "xls": {"doc", "xls", "ppt"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
    "txt": None,
}


def validate_upload(upload):
    """One message per refused file: too large, of a type not accepted, or not what its
    extension says (a program renamed ``.pdf``), checked by its content with ``filetype``."""
    import filetype

    limit = dangwu_settings.MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; files up to %(limit)s are accepted.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    extensions = [extension.lower() for extension in dangwu_settings.UPLOAD_EXTENSIONS]
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in extensions or extension not in UPLOAD_CONTENT:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted: %(extensions)s.")
            % {"extensions": ", ".join(e for e in extensions if e in UPLOAD_CONTENT)},
            code="file_type",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    expected = UPLOAD_CONTENT[extension]
    if expected is None:
        fits = kind is None and b"\0" not in head
    else:
        fits = kind is not None and kind.extension in expected
    if not fits:
        raise ValidationError(
            _("This file is not a %(extension)s file, whatever its name says.")
            % {"extension": extension.upper()},
            code="file_content",
        )


class SingleLineFieldsMixin:
    """Every one-line text field of the form (a ``CharField`` without a ``Textarea``) refuses
    control characters: a line break typed in a subject or a name could otherwise start a line
    of its own where the text is shown or emailed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
                field.validators.append(validate_single_line)


class DisclosureRequestForm(SingleLineFieldsMixin, forms.ModelForm):
    """A request for information that is not in the catalog."""

    phone = forms.CharField(
        label=_("phone"), max_length=20, required=False, validators=[validate_phone]
    )
    attachment = forms.FileField(
        label=_("attachment"),
        required=False,
        validators=[validate_upload],
        help_text=_("Optional: a document that helps to identify the information."),
    )

    class Meta:
        model = DisclosureRequest
        fields = ["subject", "description", "purpose", "name", "email", "phone", "attachment"]
        widgets = {
            "description": forms.Textarea({"rows": 6}),
            "purpose": forms.Textarea({"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, field in self.fields.items():
            if name in ("subject", "description", "name"):
                field.required = True
        if user is not None and user.is_authenticated:
            self.fields["name"].initial = user.get_full_name() or user.get_username()
            self.fields["email"].initial = user.email

    def clean(self):
        cleaned_data = super().clean()
        for name in ("subject", "description", "name", "purpose"):
            value = cleaned_data.get(name)
            if value is not None:
                cleaned_data[name] = value.strip()
        if not cleaned_data.get("email") and not cleaned_data.get("phone"):
            if "email" not in self.errors and "phone" not in self.errors:
                raise ValidationError(
                    _("Give an email address or a phone number, so that we can answer you."),
                    code="no_contact",
                )
        return cleaned_data


class ClarificationForm(forms.Form):
    answer = forms.CharField(
        label=_("Your clarification"), max_length=5000, widget=forms.Textarea({"rows": 5})
    )

    def clean_answer(self):
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise ValidationError(_("Write your clarification."))
        return answer


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["text"]
        widgets = {"text": forms.Textarea({"rows": 5})}

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write your opinion or suggestion."))
        return text
