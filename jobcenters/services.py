import logging
from datetime import datetime

from auditlog.models import LogEntry
from celery.exceptions import Retry
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from .models import Jobcenter, Land, Membership, Site, User
from .permissions import Role

# Path segments the URL configuration uses before `/<jobcenter code>/`.
RESERVED_CODES = frozenset({"accounts", "admin", "health", "i18n", "static", "media", "network"})

logger = logging.getLogger(__name__)


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


def catalogue_row_save(row, **values):
    """Set a catalogue row's fields (site, programme, module), check it by the model's
    rules and save it; the typed services below and in cohorts and coaching use this."""
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def site_save(*, jobcenter: Jobcenter, site: Site | None = None, name: str, street: str = "",
              postal_code: str = "", town: str = "", is_outreach: bool = False,
              is_active: bool = True) -> Site:
    return catalogue_row_save(site or Site(jobcenter=jobcenter), name=name, street=street,
                              postal_code=postal_code, town=town, is_outreach=is_outreach,
                              is_active=is_active)


class AlreadyStaff(ValidationError):
    """The person already has a membership of this jobcenter: change it instead."""

    def __init__(self, membership: Membership):
        self.membership = membership
        if membership.is_active:
            text = _("%(email)s is already on the staff here, as %(role)s.")
        else:
            text = _("%(email)s is already on the staff here, as %(role)s (deactivated).")
        super().__init__(text % {"email": membership.user.email,
                                 "role": membership.get_role_display()}, code="already_staff")


def _refuse_own(membership: Membership, by: User) -> None:
    if membership.user_id == by.pk:
        raise PermissionDenied(_("Nobody changes their own role or access."))


def _sites_set(membership: Membership, sites) -> None:
    """Set the membership's sites; a change is one entry in the audit trail (old → new)."""
    before = sorted(membership.sites.all(), key=lambda site: site.pk)
    membership.sites.set(sites)
    after = sorted(membership.sites.all(), key=lambda site: site.pk)
    if before != after:
        LogEntry.objects.log_create(
            membership, action=LogEntry.Action.UPDATE,
            changes={"sites": [", ".join(site.name for site in before) or "None",
                               ", ".join(site.name for site in after) or "None"]})


def _user_access_sync(user: User) -> None:
    """An account may log in while it has an active role somewhere."""
    has_access = user.memberships.filter(is_active=True).exists() or user.is_superuser
    if user.is_active != has_access:
        user.is_active = has_access
        user.save(update_fields=["is_active"])


@transaction.atomic
def staff_invite(*, jobcenter: Jobcenter, email: str, role: str, first_name: str = "",
                 last_name: str = "", sites=(), base_url: str) -> Membership:
    """Give a person a role here; a new account gets an e-mail with a one-time link to set
    their password (sent by a task, with retries).

    An existing account (a person working for another jobcenter, say) is left exactly as it
    is: its name, e-mail address and password belong to the person, not to this jobcenter.
    Someone already on this jobcenter's staff is refused (`AlreadyStaff`): their role is
    changed on their own page.
    """
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    email = User.objects.normalize_email(email).lower()
    user = (User.objects.select_for_update().filter(email=email).first()
            or _account_create(email, first_name, last_name))
    existing = (Membership.objects.select_related("user")
                .filter(user=user, jobcenter=jobcenter).first())
    if existing is not None:
        raise AlreadyStaff(existing)
    membership = Membership.objects.create(user=user, jobcenter=jobcenter, role=role)
    _sites_set(membership, sites)
    _user_access_sync(user)
    if not user.has_usable_password():
        _invitation_enqueue(membership, base_url=base_url)
    return membership


def _account_create(email: str, first_name: str, last_name: str) -> User:
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=None, first_name=first_name,
                                            last_name=last_name)
    except IntegrityError:  # the same address was invited at the same moment (committed now)
        return User.objects.select_for_update().get(email=email)


@transaction.atomic
def staff_invitation_resend(*, membership: Membership, base_url: str, by: User) -> Membership:
    """Send the invitation again, with a new one-time link (the person has no password yet)."""
    _refuse_own(membership, by)
    if membership.user.has_usable_password():
        raise ValidationError(_("%(email)s has set a password already; no invitation is "
                                "needed.") % {"email": membership.user.email})
    _invitation_enqueue(membership, base_url=base_url)
    return membership


def _invitation_enqueue(membership: Membership, *, base_url: str) -> None:
    """Record that an invitation is asked for; the task is queued once the transaction
    has committed (a task that ran earlier would not find the membership)."""
    membership.invited_at = timezone.now()
    Membership.objects.filter(pk=membership.pk).update(invited_at=membership.invited_at)
    jobcenter_id, membership_id, invited_at = (membership.jobcenter_id, membership.pk,
                                               membership.invited_at)

    def dispatch():
        _invitation_dispatch(jobcenter_id, membership_id, invited_at, base_url)

    transaction.on_commit(dispatch, robust=True)


def _invitation_dispatch(jobcenter_id: int, membership_id: int, invited_at: datetime,
                         base_url: str) -> None:
    from .tasks import staff_invitation_send_task

    try:
        staff_invitation_send_task.delay(jobcenter=jobcenter_id, membership_id=membership_id,
                                         invited_at=invited_at.isoformat(), base_url=base_url)
    except (BrokerError, OSError, Retry) as error:
        # The broker is unreachable, or the task ran in-process (no broker configured) and
        # its try failed, with nobody to retry it later: the staff list offers to send again.
        logger.warning("invitation %s not sent: %r", membership_id, error)
        staff_invitation_failed(membership_id=membership_id, invited_at=invited_at)


def staff_invitation_deliver(*, membership_id: int, invited_at: datetime, base_url: str) -> bool:
    """Send the invitation asked for at `invited_at`, unless it went out already, a newer one
    replaced it or the person has set a password meanwhile. Returns whether it was sent."""
    membership = (Membership.objects.select_related("user", "jobcenter")
                  .filter(pk=membership_id).first())
    if membership is None or membership.invited_at != invited_at:
        return False
    if membership.invitation_state == "sent" or membership.user.has_usable_password():
        return False
    user, jobcenter = membership.user, membership.jobcenter
    link = password_set_link(user, base_url)
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
    Membership.objects.filter(pk=membership_id).update(invitation_sent_at=timezone.now())
    return True


def staff_invitation_failed(*, membership_id: int, invited_at: datetime) -> None:
    """Every try to send this invitation failed: the staff list offers to send it again."""
    Membership.objects.filter(pk=membership_id, invited_at=invited_at).update(
        invitation_failed_at=timezone.now())


@transaction.atomic
def staff_change(*, membership: Membership, role: str, sites=(), is_active: bool,
                 by: User) -> Membership:
    """Change a person's role, sites or access here (never one's own: an admin does not make
    himself team lead). Deactivating keeps all history; the person can no longer log in once
    they have no active role anywhere. Every change is in the audit trail."""
    _refuse_own(membership, by)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    membership.role, membership.is_active = role, is_active
    membership.save(update_fields=["role", "is_active"])
    _sites_set(membership, sites)
    _user_access_sync(membership.user)
    return membership


@transaction.atomic
def jobcenter_retention_set(*, jobcenter: Jobcenter, months: int) -> Jobcenter:
    """Set the deletion period (6 to 120 months); the change is in the audit trail."""
    jobcenter.retention_months = months
    jobcenter.full_clean(validate_unique=False)
    jobcenter.save(update_fields=["retention_months"])
    return jobcenter
