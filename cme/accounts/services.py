"""Writes about the people who sign in: sign-in events, role changes, authenticator set-up.

Each is audited. The username typed at a failed sign-in goes into the audit details only,
never into a log line: it may be a person's name, or a password typed into the wrong box.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cme.audit.models import Verb
from cme.audit.services import audit_record

from .models import EnrolmentLink, Organisation, OrganisationKind, Role, User
from .permissions import Action, can

# Which kinds of organisation each role belongs to. A key worker comes from any agency.
ROLE_ORGANISATIONS: dict[str, frozenset[str]] = {
    Role.CME_OFFICER: frozenset({OrganisationKind.CME_TEAM}),
    Role.CME_MANAGER: frozenset({OrganisationKind.CME_TEAM}),
    Role.PAEWS_OFFICER: frozenset({OrganisationKind.PAEWS}),
    Role.SCHOOL_STAFF: frozenset({OrganisationKind.SCHOOL}),
    Role.KEY_WORKER: frozenset(
        {
            OrganisationKind.AGENCY,
            OrganisationKind.SCHOOL,
            OrganisationKind.PAEWS,
            OrganisationKind.CME_TEAM,
        }
    ),
    Role.PARTNER_AGENCY: frozenset({OrganisationKind.AGENCY}),
    Role.OTHER_LA: frozenset({OrganisationKind.OTHER_LA}),
}
# Set up by the service's operators (`cme create-user --role system_admin`), not on a page.
ASSIGNABLE_ROLES = tuple(Role(role) for role in ROLE_ORGANISATIONS)

MAX_TYPED_USERNAME = 150


def sign_in_record(*, user: User, complete: bool, step: str) -> None:
    """A password or a code was right. `complete` once nothing more is asked for."""
    audit_record(
        actor=user,
        verb=Verb.SIGN_IN,
        subject=user,
        details={"step": step, "complete": complete},
    )
    if complete:
        # Failures are forgiven only by a complete sign-in, never by the password alone.
        AxesProxyHandler.reset_attempts(username=user.get_username())


def sign_in_failure_record(*, request: HttpRequest, username: str, step: str) -> None:
    """A wrong password or code, or a refusal because sign-in is locked."""
    typed = username[:MAX_TYPED_USERNAME]
    account = User.objects.filter(username=typed).only("pk").first()
    locked = bool(getattr(request, "axes_locked_out", False))
    details: dict[str, Any] = {"username": typed, "step": step, "locked": locked}
    audit_record(
        actor=None,
        verb=Verb.SIGN_IN_FAILED,
        subject=account,
        subject_type="user",
        details=details,
    )
    if locked and getattr(request, "axes_failures_since_start", None) == (
        settings.AXES_FAILURE_LIMIT
    ):
        audit_record(
            actor=None, verb=Verb.LOCKED_OUT, subject=account, subject_type="user", details=details
        )


def sign_out_record(*, user: User) -> None:
    audit_record(actor=user, verb=Verb.SIGN_OUT, subject=user)


def _check_role_fits(role: str, organisation: Organisation | None) -> None:
    if role not in ROLE_ORGANISATIONS:
        raise ValidationError({"role": "Choose one of the roles listed"})
    if organisation is None:
        raise ValidationError({"organisation": "Choose the organisation this person works for"})
    if organisation.kind not in ROLE_ORGANISATIONS[role]:
        raise ValidationError(
            {
                "organisation": f"A {Role(role).label.lower()} cannot belong to "
                f"{organisation.name} ({organisation.get_kind_display().lower()}): "
                "choose another role or organisation"
            }
        )


@transaction.atomic
def user_role_change(*, user: User, role: str, organisation: Organisation | None, by: User) -> User:
    """A CME manager sets what someone may see. Never their own: nobody widens their own reach."""
    if not can(by, Action.MANAGE_ACCOUNTS):
        raise PermissionDenied
    if user.pk == by.pk:
        raise ValidationError("You cannot change your own role. Ask another CME manager.")
    if user.role == Role.SYSTEM_ADMIN:
        raise ValidationError(
            "A system administrator's role is set up by the service's operators, not here."
        )
    _check_role_fits(role, organisation)
    before = {"role": user.role, "organisation": user.organisation_id}
    user.role = role
    user.organisation = organisation
    user.full_clean()
    user.save(update_fields=["role", "organisation"])
    audit_record(
        actor=by,
        verb=Verb.ROLE_CHANGED,
        subject=user,
        details={"before": before, "after": {"role": role, "organisation": user.organisation_id}},
    )
    return user


def enrolment_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def may_issue_enrolment_links(user: Any) -> bool:
    return can(user, Action.MANAGE_ACCOUNTS) or bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.role == Role.SYSTEM_ADMIN
    )


@transaction.atomic
def enrolment_link_issue(*, user: User, by: User) -> str:
    """A new one-time link for `user` to set up an authenticator app; returns its token.

    The token is not stored (only its hash), so this is the one chance to pass it on. An
    earlier link for the same person stops working.
    """
    if not may_issue_enrolment_links(by):
        raise PermissionDenied
    if user.pk == by.pk:
        raise ValidationError("You cannot make a set-up link for yourself. Ask a colleague.")
    return _enrolment_link_create(user=user, by=by)


@transaction.atomic
def enrolment_link_issue_by_operator(*, user: User) -> str:
    """The same, from the command line: how the very first accounts get their link."""
    return _enrolment_link_create(user=user, by=None)


def _enrolment_link_create(*, user: User, by: User | None) -> str:
    if not user.is_active:
        raise ValidationError("This account is switched off: switch it on before sending a link.")
    now = timezone.now()
    EnrolmentLink.objects.filter(user=user, used_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    )
    token = secrets.token_urlsafe(32)
    link = EnrolmentLink.objects.create(
        user=user,
        token_hash=enrolment_token_hash(token),
        issued_by=by,
        issued_at=now,
        expires_at=now + timedelta(hours=settings.CME_ENROLMENT_LINK_HOURS),
    )
    audit_record(
        actor=by,
        verb=Verb.ENROLMENT_LINK_ISSUED,
        subject=user,
        details={"link": link.pk, "expires_at": link.expires_at.isoformat()},
    )
    return token


def enrolment_link_find(*, token: str) -> EnrolmentLink:
    """The usable link for this token, or a ValidationError saying what to do instead."""
    link = (
        EnrolmentLink.objects.select_related("user")
        .filter(token_hash=enrolment_token_hash(token))
        .first()
    )
    if link is None or not link.is_usable():
        raise ValidationError(
            "This link has expired or has already been used. Ask a CME manager for a new one."
        )
    return link


def enrolment_link_for_session(*, token_hash: str | None, user: Any) -> EnrolmentLink | None:
    """The link this browser opened, if it is still usable and belongs to the signed-in user."""
    if not token_hash:
        return None
    link = EnrolmentLink.objects.filter(token_hash=token_hash, user_id=user.pk).first()
    return link if link is not None and link.is_usable() else None


@transaction.atomic
def second_factor_enrol(*, user: User, device: TOTPDevice, link: EnrolmentLink) -> None:
    """Confirm the new authenticator and use up the link. It replaces any earlier one."""
    locked = EnrolmentLink.objects.select_for_update().get(pk=link.pk)
    if locked.user_id != user.pk or not locked.is_usable():
        raise ValidationError(
            "This link has expired or has already been used. Ask a CME manager for a new one."
        )
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    replaced = list(
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).values_list("pk", flat=True)
    )
    TOTPDevice.objects.filter(pk__in=replaced).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=user,
        verb=Verb.CREATE,
        subject_type="second_factor",
        details={"device": device.pk, "link": locked.pk, "replaced": replaced},
    )


@transaction.atomic
def second_factor_reset(*, device: TOTPDevice, by: User) -> None:
    """Remove a lost authenticator; its owner sets up a new one from a set-up link."""
    owner = device.user
    device_id = device.pk
    device.delete()
    audit_record(
        actor=by, verb=Verb.SECOND_FACTOR_RESET, subject=owner, details={"device": device_id}
    )


# What a system administrator may do in the admin pages: people and organisations, reference
# data, and resetting a lost authenticator. Never a child's record, never a role.
SYSTEM_ADMIN_GROUP = "System administrators"
SYSTEM_ADMIN_PERMISSIONS = (
    ("accounts", "user", ("add", "change", "view")),
    ("accounts", "organisation", ("add", "change", "view")),
    ("schools", "establishment", ("add", "change", "view")),
    ("calendars", "termdates", ("add", "change", "delete", "view")),
    ("calendars", "closure", ("add", "change", "delete", "view")),
    ("plans", "plantemplate", ("add", "change", "delete", "view")),
    ("plans", "plantemplateitem", ("add", "change", "delete", "view")),
    ("otp_totp", "totpdevice", ("view", "delete")),
    ("api", "apitoken", ("view",)),
)


def system_admin_group() -> Group:
    """The group holding exactly the permissions above, made or brought up to date."""
    group, _ = Group.objects.get_or_create(name=SYSTEM_ADMIN_GROUP)
    wanted = Q(pk__in=[])
    for app_label, model, actions in SYSTEM_ADMIN_PERMISSIONS:
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    group.permissions.set(Permission.objects.filter(wanted))
    return group


def system_admin_access_grant(*, user: User) -> None:
    """Staff access to the admin pages with the system administrator's permissions only.

    Not a superuser: a superuser could read every child's record and grant any role.
    """
    user.is_staff = True
    user.is_superuser = False
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.add(system_admin_group())
