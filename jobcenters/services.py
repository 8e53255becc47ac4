from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
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


@transaction.atomic
def staff_invite(*, jobcenter: Jobcenter, email: str, role: str, first_name: str = "",
                 last_name: str = "", sites=(), base_url: str) -> Membership:
    """Give a person a role here and e-mail them a one-time link to set their password.

    An existing user (of another jobcenter, say) keeps their password and gets no link.
    """
    membership, _changed = staff_add(jobcenter=jobcenter, email=email, role=role)
    user = membership.user
    if first_name or last_name:
        user.first_name, user.last_name = first_name or user.first_name, last_name or user.last_name
        user.save(update_fields=["first_name", "last_name"])
    membership.sites.set(sites)
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    if not user.has_usable_password():
        link = password_set_link(user, base_url)
        transaction.on_commit(lambda: _send_invitation(user, jobcenter, link))
    return membership


def _send_invitation(user: User, jobcenter: Jobcenter, link: str):
    with translation.override("de"):
        send_mail(
            subject=_("Your access to Werkakademie – %(jobcenter)s") % {
                "jobcenter": jobcenter.name},
            message=_(
                "Good day,\n\nyou have been given access to Werkakademie for %(jobcenter)s. "
                "Please set your password with this link (it works once):\n\n%(link)s\n\n"
                "Your login is your e-mail address: %(email)s"
            ) % {"jobcenter": jobcenter.name, "link": link, "email": user.email},
            from_email=None, recipient_list=[user.email],
        )


@transaction.atomic
def staff_change(*, membership: Membership, role: str, sites=(), is_active: bool) -> Membership:
    """Change a person's role, sites or access here. Deactivating keeps all history; the
    person can no longer log in once they have no active role anywhere."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    membership.role, membership.is_active = role, is_active
    membership.save(update_fields=["role", "is_active"])
    membership.sites.set(sites)
    user = membership.user
    has_access = user.memberships.filter(is_active=True).exists() or user.is_superuser
    if user.is_active != has_access:
        user.is_active = has_access
        user.save(update_fields=["is_active"])
    return membership
