"""The data model of a Common Transfer File: frozen dataclasses, one per part of the file.

What the register uses is typed: the header, the source and destination schools, each pupil's
identifiers, names, date of birth and sex, address, phones and contacts. Everything else (the
attendance, SEN, FSM, looked-after, assessment and school history blocks, Welsh details, and any
element this model does not know) is kept whole as a `Block`, an opaque XML subtree, so a file
read and written again keeps all its data. Element names and order: shared/reference/ctf.md.

Text is kept as written with surrounding space trimmed; an absent element is `""` (or None,
or an empty tuple), and the writer omits it, as the convention says (optional data is omitted,
not sent empty).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from xml.etree.ElementTree import Element

from . import _xml


@dataclass(frozen=True)
class Block:
    """An XML subtree kept whole, e.g. `<Attendance>...</Attendance>`.

    Held as canonical XML text (layout whitespace dropped), so two blocks with the same content
    are equal however the file was indented. Built from text, the text is parsed safely.
    """

    xml: str
    tag: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        element = _xml.normalise(_xml.parse(self.xml, where="block"))
        object.__setattr__(self, "xml", _xml.canonical(element))
        object.__setattr__(self, "tag", element.tag)

    @classmethod
    def of(cls, element: Element) -> Block:
        return cls(_xml.canonical(element))

    def element(self) -> Element:
        """A fresh parsed copy of the subtree, for a caller that wants to look inside."""
        return _xml.parse(self.xml, where="block")


@dataclass(frozen=True)
class School:
    """`SourceSchool` or `DestSchool`: LA number and establishment number (the LAESTAB).

    `lea`/`estab` are `XXX`/`XXXX` for an unknown destination and `MMM`/`MMMM` for an
    independent school or one outside England and Wales. `name` and `academic_year` are only
    written for the source school.
    """

    lea: str = ""
    estab: str = ""
    urn: str = ""
    name: str = ""
    academic_year: int | None = None
    blocks: tuple[Block, ...] = ()

    @property
    def laestab(self) -> str:
        return self.lea + self.estab


@dataclass(frozen=True)
class Header:
    version: str  # `CTFversion`, e.g. "26.0"
    date_time: datetime | None = None  # wall-clock time of the producer; CTF has no zone
    document_name: str = "Common Transfer File"
    document_qualifier: str = ""  # "full" (a leaver's file) or "partial"
    data_qualifier: str = ""
    data_descriptor: str = ""
    supplier_id: str = ""
    source: School = School()
    destination: School = School()
    blocks: tuple[Block, ...] = ()  # e.g. SuppInfo


@dataclass(frozen=True)
class Address:
    """A pupil's or contact's address: BS7666 parts and/or free lines, then the rest."""

    saon: str = ""
    paon: str = ""
    street: str = ""
    locality: str = ""
    town: str = ""
    administrative_area: str = ""
    post_town: str = ""
    uprn: str = ""  # UniquePropertyReferenceNumber
    lines: tuple[str, ...] = ()  # AddressLine1..5, in order
    county: str = ""
    postcode: str = ""
    zip: str = ""
    country: str = ""
    easting: str = ""
    northing: str = ""
    as_pupil: bool | None = None  # a contact's `AddressAsPupil`
    # Unknown elements under Address, and under its BS7666Address or AddressLines (those are
    # written back directly under Address, after the known parts).
    blocks: tuple[Block, ...] = ()

    @property
    def bs7666(self) -> tuple[str, ...]:
        return (
            self.saon,
            self.paon,
            self.street,
            self.locality,
            self.town,
            self.administrative_area,
            self.post_town,
            self.uprn,
        )

    def one_line(self) -> str:
        """The address as one line (without the postcode), for a person to read."""
        parts = [*self.bs7666[:7], *self.lines]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Phone:
    number: str = ""  # PhoneNo
    type: str = ""  # TelephoneType, a DfE code
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Contact:
    order: int | None = None  # 1 is the first contact
    title: str = ""
    surname: str = ""
    forename: str = ""
    sex: str = ""
    sex_element: str = "Gender"  # which element carried it; current versions unverified
    relationship: str = ""
    responsibility: bool | None = None  # parental responsibility
    address: Address | None = None
    phones: tuple[Phone, ...] = ()
    email: str = ""
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Pupil:
    surname: str = ""
    forename: str = ""
    date_of_birth: date | None = None
    sex: str = ""  # as written: M or F (some files O or U)
    sex_element: str = "Sex"  # `Sex` (current) or `Gender` (older files)
    upn: str = ""
    uln: str = ""  # UniqueLearnerNumber
    uci: str = ""
    # BasicDetails
    former_upn: str = ""
    preferred_surname: str = ""
    preferred_forename: str = ""
    former_surnames: tuple[str, ...] = ()
    former_forenames: tuple[str, ...] = ()
    middle_names: str = ""
    nc_year: str = ""  # NCyearActual
    ethnicity: str = ""
    basic_blocks: tuple[Block, ...] = ()  # the rest of BasicDetails (languages, medical flag...)
    address: Address | None = None
    phones: tuple[Phone, ...] = ()
    email: str = ""
    contacts: tuple[Contact, ...] = ()
    blocks: tuple[Block, ...] = ()  # Attendance, SENhistory, FSMhistory, SchoolHistory...

    def block(self, tag: str) -> Block | None:
        """The pupil's block with this element name (e.g. "Attendance"), if the file has one."""
        return next((b for b in self.blocks if b.tag == tag), None)


@dataclass(frozen=True)
class CtfFile:
    header: Header
    pupils: tuple[Pupil, ...] = ()
    blocks: tuple[Block, ...] = ()  # anything under CTfile besides Header and CTFpupilData
