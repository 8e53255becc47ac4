from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import Jobcenter, Land, Membership, Site, User
from .permissions import Role

# Path segments the URL configuration uses before `/<jobcenter code>/`.
RESERVED_CODES = frozenset({"accounts", "admin", "health", "i18n", "static", "media", "network"})


def jobcenter_create(*, code: str, name: str, land: str) -> tuple[Jobcenter, bool]:
    """Create the jobcenter unless one with this code exists. Returns (jobcenter, created)."""
    if code in RESERVED_CODES:
        raise ValidationError(_("The code “%(code)s” is reserved.") % {"code": code})
    if land not in Land.values:
        raise ValidationError(_("Unknown federal state “%(land)s”.") % {"land": land})
    return Jobcenter.objects.get_or_create(code=code, defaults={"name": name, "land": land})


@transaction.atomic
def staff_add(
    *, jobcenter: Jobcenter, email: str, role: str, password: str | None = None
) -> tuple[Membership, bool]:
    """Give the person (created if new) this role in the jobcenter.

    A person has one role per jobcenter: an existing membership takes the new role.
    Returns (membership, changed).
    """
    if role not in Role.values:
        raise ValidationError(_("Unknown role “%(role)s”.") % {"role": role})
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email=email).first()
    changed = False
    if user is None:
        user = User.objects.create_user(email=email, password=password)
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        changed = True
    elif password is not None and not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
        changed = True
    membership, created = Membership.objects.get_or_create(
        user=user, jobcenter=jobcenter, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
        changed = True
    return membership, changed or created


def password_set_link(user: User, base_url: str) -> str:
    """A one-time link to set a password (Django's reset token: invalid once used)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


def named_for(model, *, jobcenter: Jobcenter, name: str, **defaults):
    """The jobcenter's row of `model` with this name (ignoring case and extra blanks),
    created with `defaults` if there is none: how imports and free-text fields refer to
    sites, programmes and employers."""
    name = " ".join(name.split())
    found = model.objects.filter(jobcenter=jobcenter, name__iexact=name).order_by("pk").first()
    if found is None:
        found = model(jobcenter=jobcenter, name=name, **defaults)
        found.full_clean()
        found.save()
    return found


def site_for_name(*, jobcenter: Jobcenter, name: str) -> Site:
    return named_for(Site, jobcenter=jobcenter, name=name)


def only_fields(fields: dict, allowed: tuple[str, ...]) -> dict:
    """Guard for services that take a model's editable fields as keywords."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    return fields
