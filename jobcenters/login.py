"""Login details: the e-mail address is the login, and its case does not matter."""

from django.conf import settings


def axes_username(request, credentials=None) -> str | None:
    """The address whose failed logins django-axes counts, in lower case: `Coach@JC.example`
    and `coach@jc.example` share one lockout, as they share one account."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return username.strip().lower() if isinstance(username, str) else username
