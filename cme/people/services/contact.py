"""Addresses and carers: added, corrected and ended, never deleted.

An address is future, current or previous by its dates (the 2024 regulations' reg 8(3) keeps
the address a child will move to, the parent they will live with there and from when). Adding
an address from a date ends the addresses the child lived at until then, the day before, so
the old one becomes previous on the day of the move. A "do not share" address is the CME
team's alone: anyone else who may write addresses cannot open or change it. A carer who no
longer cares for the child is ended with the date, and kept.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from cme.accounts.record_access import Part
from cme.core.errors import NotAllowed

from ..models import Address, Carer, ChangeAction, Child, RecordChange
from ..record_view import child_access
from ._shared import child_locked, differences, record_change, values_of
from .checks import (
    Problems,
    not_before,
    not_in_future,
    phone_normalised,
    phone_problem,
    postcode_normalised,
    postcode_problem,
    too_long,
)

ADDRESS_FIELDS = (
    "line_1",
    "line_2",
    "town",
    "postcode",
    "lived_from",
    "lived_until",
    "lives_with",
    "do_not_share",
)
CARER_FIELDS = (
    "name",
    "relationship",
    "parental_responsibility",
    "lives_with_child",
    "phone",
    "emergency_phone",
    "email",
    "address",
)


@dataclass(frozen=True)
class AddressDetails:
    """An address as it should now read (every field, not only those changed)."""

    line_1: str
    line_2: str = ""
    town: str = ""
    postcode: str = ""
    lived_from: date | None = None
    lived_until: date | None = None
    lives_with: str = ""
    do_not_share: bool = False

    @classmethod
    def of(cls, address: Address, **changes: Any) -> AddressDetails:
        """The address as it is, with `changes` made (the API's PATCH)."""
        return cls(**{**{f.name: getattr(address, f.name) for f in fields(cls)}, **changes})

    def tidied(self) -> AddressDetails:
        return replace(
            self,
            line_1=self.line_1.strip(),
            line_2=self.line_2.strip(),
            town=self.town.strip(),
            postcode=postcode_normalised(self.postcode),
            lives_with=self.lives_with.strip(),
        )


@dataclass(frozen=True)
class CarerDetails:
    """A parent or carer as they should now read. `address` None: leave it as it is (a writer
    outside the CME team while the child has a "do not share" address does not see it)."""

    name: str
    relationship: str = ""
    parental_responsibility: bool = True
    lives_with_child: bool = True
    phone: str = ""
    emergency_phone: str = ""
    email: str = ""
    address: str | None = ""

    @classmethod
    def of(cls, carer: Carer, **changes: Any) -> CarerDetails:
        return cls(**{**{f.name: getattr(carer, f.name) for f in fields(cls)}, **changes})

    def tidied(self) -> CarerDetails:
        return replace(
            self,
            name=self.name.strip(),
            relationship=self.relationship.strip(),
            phone=phone_normalised(self.phone),
            emergency_phone=phone_normalised(self.emergency_phone),
            email=self.email.strip(),
            address=None if self.address is None else self.address.strip(),
        )


def address_problems(details: AddressDetails) -> Problems:
    problems: Problems = {}
    if not details.line_1:
        problems["line_1"] = ["Enter the first line of the address, like 1 Example Street"]
    too_long(problems, "line_1", details.line_1, 200, "Address line 1")
    too_long(problems, "line_2", details.line_2, 200, "Address line 2")
    too_long(problems, "town", details.town, 100, "Town or city")
    too_long(problems, "lives_with", details.lives_with, 200, "Who the child lives with")
    found = postcode_problem(details.postcode)
    if found:
        problems["postcode"] = [found]
    not_before(
        problems,
        "lived_until",
        details.lived_until,
        details.lived_from,
        "The date the child left",
        "the date they moved in",
    )
    return problems


def carer_problems(details: CarerDetails) -> Problems:
    problems: Problems = {}
    if not details.name:
        problems["name"] = ["Enter the parent's or carer's name"]
    too_long(problems, "name", details.name, 200, "Name")
    too_long(problems, "relationship", details.relationship, 60, "Relationship to the child")
    too_long(problems, "address", details.address or "", 300, "Address")
    too_long(problems, "email", details.email, 254, "Email address")
    for name, words in (
        ("phone", "the telephone number"),
        ("emergency_phone", "the emergency telephone number"),
    ):
        value = getattr(details, name)
        too_long(problems, name, value, 40, words[4].upper() + words[5:])
        found = phone_problem(value, words=words)
        if found:
            problems.setdefault(name, []).append(found)
    if details.email:
        try:
            validate_email(details.email)
        except ValidationError:
            problems["email"] = [
                "Enter an email address in the correct format, like name@example.com"
            ]
    return problems


def _address_of(child: Child, address_id: int, by: Any) -> Address:
    """One of the child's addresses, locked. A 'do not share' address is refused to anyone
    outside the CME team, as if it were not there (they see it only as "Withheld")."""
    address = Address.objects.select_for_update().filter(child=child, pk=address_id).first()
    if address is None:
        raise Address.DoesNotExist
    if address.do_not_share and not child_access(by, child).whole_record:
        raise NotAllowed
    return address


def _moves_out(child: Child, new: Address, by: Any) -> None:
    """The addresses the child lived at until the new one's start end the day before it, so
    on the day of the move the old one is previous (and a future address leaves the current
    one current until then)."""
    if new.lived_from is None and new.lived_until is None:
        start = timezone.localdate()
    elif new.lived_until is None and new.lived_from is not None:
        start = new.lived_from
    else:
        return  # a previous address being recorded: it ends nothing
    for old in (
        Address.objects.select_for_update()
        .filter(child=child, lived_until__isnull=True)
        .exclude(pk=new.pk)
    ):
        if old.lived_from is not None and old.lived_from >= start:
            continue  # began on or after the new one: not the address being moved out of
        until = start - timedelta(days=1)
        old.lived_until = until if old.lived_from is None else max(until, old.lived_from)
        old.save(update_fields=["lived_until"])
        record_change(
            child=child,
            part=Part.CONTACT,
            subject=old,
            action=ChangeAction.ENDED,
            before={"lived_until": None},
            after={"lived_until": old.lived_until.isoformat()},
            by=by,
            reason="Moved to a new address",
        )


@transaction.atomic
def address_add(
    *, child: Child, details: AddressDetails, by: Any, expected_version: int | None
) -> RecordChange:
    """Add an address. A current or future one (no end date) ends the one the child lives at
    now the day before it starts."""
    child = child_locked(child, by=by, part=Part.CONTACT, expected_version=expected_version)
    details = details.tidied()
    problems = address_problems(details)
    if problems:
        raise ValidationError(problems)
    address = Address(child=child, **asdict(details))
    address.full_clean()
    address.save()
    change = record_change(
        child=child,
        part=Part.CONTACT,
        subject=address,
        action=ChangeAction.ADDED,
        before={},
        after=values_of(address, ADDRESS_FIELDS),
        by=by,
    )
    _moves_out(child, address, by)
    return change


def _correct_row(
    child: Child,
    row: Address | Carer,
    details: AddressDetails | CarerDetails,
    fields: tuple[str, ...] | list[str],
    problems: Problems,
    part: Part,
    by: Any,
) -> RecordChange | None:
    """The correction step addresses and carers share: nothing recorded when nothing differs,
    the problems refused before anything is written, then one change with before and after."""
    before, after = differences(values_of(row, fields), values_of(details, fields))
    if not after:
        return None
    if problems:
        raise ValidationError(problems)
    for name, value in asdict(details).items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return record_change(
        child=child,
        part=part,
        subject=row,
        action=ChangeAction.CHANGED,
        before=before,
        after=after,
        by=by,
    )


@transaction.atomic
def address_correct(
    *,
    child: Child,
    address_id: int,
    details: AddressDetails,
    by: Any,
    expected_version: int | None,
) -> RecordChange | None:
    """Correct an address, its dates or who the child lives with there. None if nothing
    differs."""
    child = child_locked(child, by=by, part=Part.CONTACT, expected_version=expected_version)
    address = _address_of(child, address_id, by)
    details = details.tidied()
    return _correct_row(
        child, address, details, ADDRESS_FIELDS, address_problems(details), Part.CONTACT, by
    )


@transaction.atomic
def address_end(
    *, child: Child, address_id: int, ended_on: date | None, by: Any, expected_version: int | None
) -> RecordChange:
    """The child no longer lives at this address, from the day after `ended_on`."""
    child = child_locked(child, by=by, part=Part.CONTACT, expected_version=expected_version)
    address = _address_of(child, address_id, by)
    problems: Problems = {}
    if ended_on is None:
        problems["ended_on"] = ["Enter the last date the child lived at this address"]
    elif address.lived_until is not None:
        problems["ended_on"] = [
            f"This address already ended on {address.lived_until:%-d %B %Y}: correct the "
            "address to change the date"
        ]
    else:
        not_in_future(problems, "ended_on", ended_on, "The last date the child lived here")
        if problems:
            problems["ended_on"].append(
                "For a move that has not happened yet, add the new address with the date "
                "the child will move"
            )
        not_before(
            problems,
            "ended_on",
            ended_on,
            address.lived_from,
            "The last date the child lived here",
            "the date they moved in",
        )
    if problems:
        raise ValidationError(problems)
    address.lived_until = ended_on
    address.save(update_fields=["lived_until"])
    return record_change(
        child=child,
        part=Part.CONTACT,
        subject=address,
        action=ChangeAction.ENDED,
        before={"lived_until": None},
        after={"lived_until": ended_on.isoformat() if ended_on else None},
        by=by,
    )


def _hides_carer_addresses(child: Child, by: Any) -> bool:
    """Carers' addresses are withheld outside the CME team while the child has a "do not
    share" address (cme.people.record_view.carers_of); such a writer cannot change them."""
    return (
        not child_access(by, child).whole_record
        and Address.objects.filter(child=child, do_not_share=True).exists()
    )


@transaction.atomic
def carer_add(
    *, child: Child, details: CarerDetails, by: Any, expected_version: int | None
) -> RecordChange:
    child = child_locked(child, by=by, part=Part.CARERS, expected_version=expected_version)
    details = details.tidied()
    problems = carer_problems(details)
    if problems:
        raise ValidationError(problems)
    carer = Carer(child=child, **{**asdict(details), "address": details.address or ""})
    carer.full_clean()
    carer.save()
    return record_change(
        child=child,
        part=Part.CARERS,
        subject=carer,
        action=ChangeAction.ADDED,
        before={},
        after=values_of(carer, CARER_FIELDS),
        by=by,
    )


def _carer_of(child: Child, carer_id: int) -> Carer:
    carer = Carer.objects.select_for_update().filter(child=child, pk=carer_id).first()
    if carer is None:
        raise Carer.DoesNotExist
    return carer


@transaction.atomic
def carer_correct(
    *, child: Child, carer_id: int, details: CarerDetails, by: Any, expected_version: int | None
) -> RecordChange | None:
    child = child_locked(child, by=by, part=Part.CARERS, expected_version=expected_version)
    carer = _carer_of(child, carer_id)
    details = details.tidied()
    changes_address = details.address is not None and details.address != carer.address
    if changes_address and _hides_carer_addresses(child, by):
        raise ValidationError(
            {
                "address": [
                    "Only the CME team can change a carer's address while the child has an "
                    "address that is not to be shared"
                ]
            }
        )
    if details.address is None:
        details = replace(details, address=carer.address)
    return _correct_row(
        child, carer, details, CARER_FIELDS, carer_problems(details), Part.CARERS, by
    )


@transaction.atomic
def carer_end(
    *, child: Child, carer_id: int, ended_on: date | None, by: Any, expected_version: int | None
) -> RecordChange:
    """The parent or carer no longer cares for the child: kept, with the date."""
    child = child_locked(child, by=by, part=Part.CARERS, expected_version=expected_version)
    carer = _carer_of(child, carer_id)
    problems: Problems = {}
    if ended_on is None:
        problems["ended_on"] = ["Enter the date they stopped caring for the child"]
    elif carer.ended_on is not None:
        problems["ended_on"] = [
            f"They stopped caring for the child on {carer.ended_on:%-d %B %Y} already"
        ]
    else:
        not_in_future(problems, "ended_on", ended_on, "The date they stopped caring")
        not_before(
            problems,
            "ended_on",
            ended_on,
            child.date_of_birth,
            "The date they stopped caring",
            "the child's date of birth",
        )
    if problems:
        raise ValidationError(problems)
    carer.ended_on = ended_on
    carer.save(update_fields=["ended_on"])
    return record_change(
        child=child,
        part=Part.CARERS,
        subject=carer,
        action=ChangeAction.ENDED,
        before={"ended_on": None},
        after={"ended_on": ended_on.isoformat() if ended_on else None},
        by=by,
    )
