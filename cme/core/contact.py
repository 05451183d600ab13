"""The CME team's public contact details (policy FAQ 6: "What are the CME contact details?").

Decided: a CME manager keeps them on the "public contact details" page, since the team's
email or telephone changes more often than the service is deployed; the settings
(CME_CONTACT_EMAIL, _PHONE, _HOURS, _ADDRESS, CME_DPO_EMAIL) are the defaults until a manager
first saves them, and remain what a page shows if the database cannot be read (an error
page). Every change is audited with the values before and after: they are the council's
published details, not anyone's personal data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record

from .errors import NotAllowed, StaleEdit
from .models import CouncilContact


@dataclass(frozen=True)
class ContactDetails:
    email: str
    phone: str
    hours: str
    address: tuple[str, ...]
    dpo_email: str
    version: int = 0  # 0: not saved yet, the settings' defaults
    from_settings: bool = True

    def __getitem__(self, key: str) -> Any:
        # Templates read council_contact.email through a dict lookup first.
        return getattr(self, key)


def _from_settings() -> ContactDetails:
    return ContactDetails(
        email=settings.CME_CONTACT_EMAIL,
        phone=settings.CME_CONTACT_PHONE,
        hours=settings.CME_CONTACT_HOURS,
        address=tuple(settings.CME_CONTACT_ADDRESS),
        dpo_email=settings.CME_DPO_EMAIL,
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def council_contact() -> ContactDetails:
    """The details every page shows: as saved by a manager, else the settings."""
    try:
        row = CouncilContact.objects.filter(pk=1).first()
    except DatabaseError:
        return _from_settings()
    if row is None:
        return _from_settings()
    return ContactDetails(
        email=row.email,
        phone=row.phone,
        hours=row.hours,
        address=_lines(row.address),
        dpo_email=row.dpo_email,
        version=row.version,
        from_settings=False,
    )


@transaction.atomic
def council_contact_update(
    *,
    email: str,
    phone: str,
    hours: str,
    address: str,
    dpo_email: str,
    version: int,
    by: Any,
) -> ContactDetails:
    """Save the details. `version` is the one the form showed; a save made since is refused
    (StaleEdit), so two managers never overwrite each other unseen."""
    if not can(by, Action.MANAGE_REFERENCE_DATA):
        raise NotAllowed
    before = council_contact()
    row = CouncilContact.objects.select_for_update().filter(pk=1).first()
    if (row.version if row else 0) != version:
        raise StaleEdit(
            "Someone else changed the contact details while you were on this page. The form "
            "now shows what they saved: check it and make your change again."
        )
    row = row or CouncilContact(pk=1, version=0)
    row.email, row.phone, row.hours, row.dpo_email = email, phone, hours, dpo_email
    row.address = "\n".join(_lines(address))
    row.version += 1
    row.full_clean()
    row.save()
    after = council_contact()
    changed = {
        key: {"before": list(value) if isinstance(value, tuple) else value, "after": new}
        for key, value in asdict(before).items()
        if key in {"email", "phone", "hours", "address", "dpo_email"}
        and value != (new := getattr(after, key))
    }
    for change in changed.values():
        if isinstance(change["after"], tuple):
            change["after"] = list(change["after"])
    audit_record(actor=by, verb=Verb.UPDATE, subject=row, details={"changed": changed})
    return after
