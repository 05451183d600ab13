"""The order of the elements in each part of a CTF, as the convention writes them.

From shared/reference/ctf.md (ASPEN's export order, with GIAP and MTC agreeing where they
overlap). Names listed here that the model does not type (e.g. `FSMhistory`) are the places
where a kept-whole block of that name goes; a block whose name is not listed goes last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

ROOT = ("Header", "CTFpupilData")
HEADER = (
    "DocumentName",
    "CTFversion",
    "DateTime",
    "DocumentQualifier",
    "DataQualifier",
    "DataDescriptor",
    "SupplierID",
    "SourceSchool",
    "DestSchool",
    "SuppInfo",
)
SCHOOL = ("LEA", "Estab", "URN", "SchoolName", "AcademicYear")
PUPIL = (
    "UPN",
    "UniqueLearnerNumber",
    "UCI",
    "Surname",
    "Forename",
    "DOB",
    "Sex|Gender",  # one place, either name
    "BasicDetails",
    "FSMhistory",
    "NAWdetails",
    "LookedAfter",
    "SENhistory",
    "Address",
    "Phones",
    "Email",
    "Contacts",
    "Attendance",
    "StageAssessments",
    "SchoolHistory",
)
BASIC_DETAILS = (
    "FormerUPN",
    "PreferredSurname",
    "PreferredForename",
    "FormerSurname",
    "FormerForename",
    "MiddleNames",
    "NCyearActual",
    "Ethnicity",
    "EthnicitySource",
    "Languages",
    "MedicalFlag",
    "Disabilities",
    "EnrolStatus",
)
ADDRESS = (
    "AddressAsPupil",
    "BS7666Address",
    "AddressLines",
    "County",
    "PostCode",
    "Zip",
    "Country",
    "Easting",
    "Northing",
)
BS7666 = (
    "SAON",
    "PAON",
    "Street",
    "Locality",
    "Town",
    "AdministrativeArea",
    "PostTown",
    "UniquePropertyReferenceNumber",
)
ADDRESS_LINES = tuple(f"AddressLine{n}" for n in range(1, 6))
PHONE = ("TelephoneType", "PhoneNo")
CONTACT = (
    "Order",
    "Title",
    "Surname",
    "Forename",
    "MiddleNames",  # ASPEN defines it for contacts but does not export it: place unverified
    "Sex|Gender",
    "Relationship",
    "Responsibility",
    "Address",
    "Phones",
    "Email",
)

T = TypeVar("T")


def slot(order: Sequence[str], tag: str) -> int:
    for index, names in enumerate(order):
        if tag in names.split("|"):
            return index
    return len(order)


def in_order(order: Sequence[str], items: Iterable[T], tag: Callable[[T], str]) -> list[T]:
    """Items sorted into the convention's order; ties (and unknown names) keep their order."""
    return sorted(items, key=lambda item: slot(order, tag(item)))
