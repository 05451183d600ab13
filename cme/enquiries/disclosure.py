"""What the recipient of an enquiry is told: the details it needs to search its own records,
as cme.accounts.record_access decides for each kind of enquiry (`recipient_sees`), and
nothing else. The inbox, the secure link page, the letter and the API all render this view,
so none of them can show more. An address marked "do not share" is never in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from cme.accounts.record_access import SearchDetail, recipient_sees

from .models import Enquiry


@dataclass(frozen=True)
class SearchDetails:
    """The child as the recipient needs them; a detail not disclosed is None."""

    reference: str
    case_reference: str
    kind_display: str
    due_on: date
    name: str | None = None
    former_names: list[str] | None = None
    date_of_birth: date | None = None
    sex: str | None = None
    upn: str | None = None
    last_school: str | None = None
    last_address: str | None = None
    officer: str | None = None

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs for a page or a letter, in a fixed order."""
        shown: list[tuple[str, str]] = []
        if self.name is not None:
            shown.append(("Name", self.name))
        if self.former_names:
            shown.append(("Former names", ", ".join(self.former_names)))
        if self.date_of_birth is not None:
            shown.append(("Date of birth", f"{self.date_of_birth:%-d %B %Y}"))
        if self.sex is not None:
            shown.append(("Sex", self.sex))
        if self.upn:
            shown.append(("UPN", self.upn))
        if self.last_school:
            shown.append(("Last school", self.last_school))
        if self.last_address:
            shown.append(("Last known address", self.last_address))
        if self.officer:
            shown.append(("CME officer", self.officer))
        return shown


def _address(enquiry: Enquiry) -> str:
    addresses = [a for a in enquiry.case.child.addresses.all() if not a.do_not_share]
    if not addresses:
        return ""
    current = [a for a in addresses if a.lived_until is None] or addresses
    chosen = max(current, key=lambda a: (a.lived_from or date.min, a.pk))
    return ", ".join(p for p in (chosen.line_1, chosen.line_2, chosen.town, chosen.postcode) if p)


def _officer(enquiry: Enquiry) -> str:
    officer = enquiry.sent_by
    parts = [
        str(officer),
        officer.phone or settings.CME_CONTACT_PHONE,
        officer.email or settings.CME_CONTACT_EMAIL,
    ]
    return ", ".join(p for p in parts if p)


def search_details(enquiry: Enquiry) -> SearchDetails:
    sees = recipient_sees(enquiry.kind)
    child = enquiry.case.child
    base = SearchDetails(
        reference=enquiry.reference,
        case_reference=f"Case {enquiry.case_id}",
        kind_display=enquiry.get_kind_display(),
        due_on=enquiry.due_on,
    )
    values: dict[str, object] = {}
    if SearchDetail.NAME in sees:
        values["name"] = " ".join(
            p for p in (child.forename, child.middle_names, child.surname) if p
        )
    if SearchDetail.FORMER_NAMES in sees:
        values["former_names"] = [
            " ".join(p for p in (f.forename, f.surname) if p) for f in child.former_names.all()
        ]
    if SearchDetail.DATE_OF_BIRTH in sees:
        values["date_of_birth"] = child.date_of_birth
    if SearchDetail.SEX in sees:
        values["sex"] = child.get_sex_display()
    if SearchDetail.UPN in sees:
        values["upn"] = child.upn
    if SearchDetail.LAST_SCHOOL in sees:
        values["last_school"] = enquiry.case.school.name if enquiry.case.school else ""
    if SearchDetail.LAST_ADDRESS in sees:
        values["last_address"] = _address(enquiry)
    if SearchDetail.OFFICER in sees:
        values["officer"] = _officer(enquiry)
    return SearchDetails(**{**base.__dict__, **values})
