"""The customer number: the jobcenter's identifier of a person, stored normalised.

`888d873087 ` and `888D873087` are the same person: every number is stored trimmed and in
upper case, whichever way it is written (forms, services, import, admin, bulk writes), so
the unique constraint on (jobcenter, customer number) holds whatever the case, and an
exact lookup finds the number however it is typed. Only printable letters A–Z, digits and
a few separators are allowed: no control characters, no emoji.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_ALLOWED = re.compile(r"[A-Z0-9][A-Z0-9 ./_-]*", re.ASCII)
INVALID_MESSAGE = _(
    "A customer number consists of letters (A–Z), digits and the separators - / . _ "
    "or a blank, and starts with a letter or digit."
)


def normalise_customer_number(value):
    """Trimmed and in upper case; other values (None, expressions) unchanged."""
    return value.strip().upper() if isinstance(value, str) else value


def customer_number_error(value: str) -> str | None:
    """The message for a customer number that is not allowed, else None."""
    value = normalise_customer_number(value)
    if value and not _ALLOWED.fullmatch(value):
        return str(INVALID_MESSAGE)
    return None


def validate_customer_number(value) -> None:
    if message := customer_number_error(value):
        raise ValidationError(message, code="invalid_customer_number")


class CustomerNumberField(models.CharField):
    """A CharField that normalises what it saves and what it is compared with."""

    default_validators = [validate_customer_number]

    def to_python(self, value):
        return normalise_customer_number(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = normalise_customer_number(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        return normalise_customer_number(super().get_prep_value(value))
