"""Reading a CTF file into the model, from CTF 18 to this year's version.

The XML is parsed with defusedxml: a DOCTYPE, entity declarations and external references
are refused, as is a file over `MAX_BYTES` or nested deeper than any CTF. The reader checks
the format (the root, the version, that dates are dates); what a particular use needs (one
pupil, a destination, a UPN's check letter) is for the caller to check.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from xml.etree.ElementTree import Element  # the type only; parsing is defusedxml

from . import _xml, layout
from .errors import CtfError, CtfProblem
from .model import Address, Block, Contact, CtfFile, Header, Phone, Pupil, School
from .versions import sex_element_for, version_problem

MAX_BYTES = 20 * 1024 * 1024  # a whole year group's CTF is a few megabytes
DOCUMENT_NAME = "Common Transfer File"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"true": True, "1": True, "false": False, "0": False}


def read_ctf(data: bytes, *, today: date, max_bytes: int = MAX_BYTES) -> CtfFile:
    """The file's content; CtfError listing every problem, each with its element path."""
    if len(data) > max_bytes:
        raise CtfError.one(
            "file", f"the file is {_size(len(data))}; a CTF file over {_size(max_bytes)} is refused"
        )
    if not data.strip():
        raise CtfError.one("file", "the file is empty")
    root = _xml.parse(data)
    if root.tag != "CTfile":
        raise CtfError.one(root.tag, "the root element must be CTfile: this is not a CTF")
    reader = _Reader(today)
    file = reader.file(root)
    if reader.problems:
        raise CtfError(reader.problems)
    return file


def _size(count: int) -> str:
    if count >= 1_048_576:
        return f"{count / 1_048_576:.1f} MB"
    return f"{count / 1024:.1f} KB"


class _Children:
    """An element's children, taken one name at a time; what is left is kept as blocks."""

    def __init__(self, element: Element | None) -> None:
        self._left = list(element) if element is not None else []

    def take(self, tag: str) -> Element | None:
        for index, child in enumerate(self._left):
            if child.tag == tag:
                return self._left.pop(index)
        return None

    def take_all(self, tag: str) -> list[Element]:
        found = [c for c in self._left if c.tag == tag]
        self._left = [c for c in self._left if c.tag != tag]
        return found

    def rest(self) -> list[Block]:
        left, self._left = self._left, []
        return [Block.of(_xml.normalise(child)) for child in left]


def _kept(order: tuple[str, ...], blocks: list[Block]) -> tuple[Block, ...]:
    return tuple(layout.in_order(order, blocks, lambda b: b.tag))


class _Reader:
    def __init__(self, today: date) -> None:
        self.today = today
        self.problems: list[CtfProblem] = []
        self.version = ""

    def problem(self, where: str, message: str) -> None:
        self.problems.append(CtfProblem(where, message))

    # -- leaves ------------------------------------------------------------------------

    def text(self, element: Element | None, where: str) -> str:
        if element is None:
            return ""
        if len(element):
            self.problem(where, f"{element.tag} should hold text, not other elements")
        return (element.text or "").strip()

    def leaf(self, children: _Children, tag: str, where: str) -> str:
        return self.text(children.take(tag), f"{where}/{tag}")

    def day(self, children: _Children, tag: str, where: str) -> date | None:
        text = self.leaf(children, tag, where)
        if not text:
            return None
        try:
            if not _DATE.match(text):
                raise ValueError("not in the form 2015-03-14")
            return date.fromisoformat(text)
        except ValueError as exc:
            self.problem(f"{where}/{tag}", f"{text!r} is not a real date ({exc})")
            return None

    def moment(self, children: _Children, tag: str, where: str) -> datetime | None:
        text = self.leaf(children, tag, where)
        if not text:
            return None
        try:
            # CTF gives the producer's wall-clock time with no zone; a zone, if any, is dropped.
            return datetime.fromisoformat(text).replace(tzinfo=None)
        except ValueError:
            self.problem(
                f"{where}/{tag}",
                f"{text!r} is not a date and time in the form 2026-12-02T09:30:00",
            )
            return None

    def flag(self, children: _Children, tag: str, where: str) -> bool | None:
        text = self.leaf(children, tag, where)
        if not text:
            return None
        if text.lower() not in _TRUE:
            self.problem(f"{where}/{tag}", f"{text!r} should be true or false")
            return None
        return _TRUE[text.lower()]

    def whole(self, children: _Children, tag: str, where: str, digits: int = 0) -> int | None:
        text = self.leaf(children, tag, where)
        if not text:
            return None
        if not text.isascii() or not text.isdigit() or (digits and len(text) != digits):
            wanted = f"a {digits}-digit year" if digits else "a whole number"
            self.problem(f"{where}/{tag}", f"{text!r} should be {wanted}")
            return None
        return int(text)

    # -- the file ----------------------------------------------------------------------

    def file(self, root: Element) -> CtfFile:
        children = _Children(root)
        header = self.header(children.take("Header"))
        data = children.take("CTFpupilData")
        pupil_elements = [] if data is None else [p for p in data if p.tag == "Pupil"]
        if data is None:
            self.problem("CTfile", "the file has no CTFpupilData element")
        many = len(pupil_elements) > 1
        pupils = tuple(
            self.pupil(element, "CTFpupilData/Pupil" + (f"[{n}]" if many else ""))
            for n, element in enumerate(pupil_elements, start=1)
        )
        others = [] if data is None else [c for c in data if c.tag != "Pupil"]
        blocks = children.rest() + [Block.of(_xml.normalise(c)) for c in others]
        return CtfFile(header=header, pupils=pupils, blocks=_kept(layout.ROOT, blocks))

    def header(self, element: Element | None) -> Header:
        if element is None:
            self.problem("CTfile", "the file has no Header element")
            return Header(version="")
        children = _Children(element)
        where = "Header"
        version_element = children.take("CTFversion")
        if version_element is None and element.find("CTFVersion") is not None:
            self.problem(
                f"{where}/CTFversion",
                "the file has CTFVersion, not CTFversion: element names are case-sensitive",
            )
        else:
            self.version = self.text(version_element, f"{where}/CTFversion")
            wrong = version_problem(self.version, self.today)
            if wrong:
                self.problem(f"{where}/CTFversion", wrong)
        name = self.leaf(children, "DocumentName", where)
        if name and name != DOCUMENT_NAME:
            self.problem(f"{where}/DocumentName", f"the file is a {name!r}, not a CTF")
        return Header(
            version=self.version,
            document_name=name,
            date_time=self.moment(children, "DateTime", where),
            document_qualifier=self.leaf(children, "DocumentQualifier", where),
            data_qualifier=self.leaf(children, "DataQualifier", where),
            data_descriptor=self.leaf(children, "DataDescriptor", where),
            supplier_id=self.leaf(children, "SupplierID", where),
            source=self.school(children.take("SourceSchool"), f"{where}/SourceSchool"),
            destination=self.school(children.take("DestSchool"), f"{where}/DestSchool"),
            blocks=_kept(layout.HEADER, children.rest()),
        )

    def school(self, element: Element | None, where: str) -> School:
        if element is None:
            return School()
        children = _Children(element)
        return School(
            lea=self.leaf(children, "LEA", where),
            estab=self.leaf(children, "Estab", where),
            urn=self.leaf(children, "URN", where),
            name=self.leaf(children, "SchoolName", where),
            academic_year=self.whole(children, "AcademicYear", where, digits=4),
            blocks=_kept(layout.SCHOOL, children.rest()),
        )

    # -- a pupil -----------------------------------------------------------------------

    def sex(self, children: _Children, where: str, default: str) -> tuple[str, str]:
        for tag in ("Sex", "Gender"):
            found = children.take(tag)
            if found is not None:
                return self.text(found, f"{where}/{tag}"), tag
        return "", default

    def pupil(self, element: Element, where: str) -> Pupil:
        children = _Children(element)
        upn = self.leaf(children, "UPN", where)
        uln = self.leaf(children, "UniqueLearnerNumber", where)
        uci = self.leaf(children, "UCI", where)
        surname = self.leaf(children, "Surname", where)
        forename = self.leaf(children, "Forename", where)
        dob = self.day(children, "DOB", where)
        sex, sex_element = self.sex(children, where, sex_element_for(self.version))
        basic = _Children(children.take("BasicDetails"))
        bwhere = f"{where}/BasicDetails"
        address = children.take("Address")
        return Pupil(
            upn=upn,
            uln=uln,
            uci=uci,
            surname=surname,
            forename=forename,
            date_of_birth=dob,
            sex=sex,
            sex_element=sex_element,
            former_upn=self.leaf(basic, "FormerUPN", bwhere),
            preferred_surname=self.leaf(basic, "PreferredSurname", bwhere),
            preferred_forename=self.leaf(basic, "PreferredForename", bwhere),
            former_surnames=self.texts(basic, "FormerSurname", bwhere),
            former_forenames=self.texts(basic, "FormerForename", bwhere),
            middle_names=self.leaf(basic, "MiddleNames", bwhere),
            nc_year=self.leaf(basic, "NCyearActual", bwhere),
            ethnicity=self.leaf(basic, "Ethnicity", bwhere),
            basic_blocks=_kept(layout.BASIC_DETAILS, basic.rest()),
            address=None if address is None else self.address(address, f"{where}/Address"),
            phones=self.phones(children, where),
            email=self.leaf(children, "Email", where),
            contacts=self.contacts(children, where),
            blocks=_kept(layout.PUPIL, children.rest()),
        )

    def texts(self, children: _Children, tag: str, where: str) -> tuple[str, ...]:
        found = (self.text(e, f"{where}/{tag}") for e in children.take_all(tag))
        return tuple(t for t in found if t)

    def address(self, element: Element, where: str) -> Address:
        children = _Children(element)
        as_pupil = self.flag(children, "AddressAsPupil", where)
        bs = _Children(children.take("BS7666Address"))
        bwhere = f"{where}/BS7666Address"
        part = {tag: self.leaf(bs, tag, bwhere) for tag in layout.BS7666}
        lines_children = _Children(children.take("AddressLines"))
        lines = [
            self.leaf(lines_children, t, f"{where}/AddressLines") for t in layout.ADDRESS_LINES
        ]
        while lines and not lines[-1]:
            lines.pop()
        return Address(
            saon=part["SAON"],
            paon=part["PAON"],
            street=part["Street"],
            locality=part["Locality"],
            town=part["Town"],
            administrative_area=part["AdministrativeArea"],
            post_town=part["PostTown"],
            uprn=part["UniquePropertyReferenceNumber"],
            lines=tuple(lines),
            county=self.leaf(children, "County", where),
            postcode=self.leaf(children, "PostCode", where),
            zip=self.leaf(children, "Zip", where),
            country=self.leaf(children, "Country", where),
            easting=self.leaf(children, "Easting", where),
            northing=self.leaf(children, "Northing", where),
            as_pupil=as_pupil,
            blocks=_kept(layout.ADDRESS, children.rest() + bs.rest() + lines_children.rest()),
        )

    def phones(self, owner: _Children, where: str) -> tuple[Phone, ...]:
        element = owner.take("Phones")
        if element is None:
            return ()
        phones = []
        for n, child in enumerate(element, start=1):
            children = _Children(child)
            pwhere = f"{where}/Phones/Phone[{n}]"
            if child.tag != "Phone":
                self.problem(f"{where}/Phones", f"{child.tag} is not a Phone")
                continue
            phones.append(
                Phone(
                    type=self.leaf(children, "TelephoneType", pwhere),
                    number=self.leaf(children, "PhoneNo", pwhere),
                    blocks=_kept(layout.PHONE, children.rest()),
                )
            )
        return tuple(phones)

    def contacts(self, owner: _Children, where: str) -> tuple[Contact, ...]:
        element = owner.take("Contacts")
        if element is None:
            return ()
        contacts = []
        for n, child in enumerate(element, start=1):
            cwhere = f"{where}/Contacts/Contact[{n}]"
            if child.tag != "Contact":
                self.problem(f"{where}/Contacts", f"{child.tag} is not a Contact")
                continue
            contacts.append(self.contact(child, cwhere))
        return tuple(contacts)

    def contact(self, element: Element, where: str) -> Contact:
        children = _Children(element)
        order = self.whole(children, "Order", where)
        title = self.leaf(children, "Title", where)
        surname = self.leaf(children, "Surname", where)
        forename = self.leaf(children, "Forename", where)
        sex, sex_element = self.sex(children, where, "Gender")
        relationship = self.leaf(children, "Relationship", where)
        responsibility = self.flag(children, "Responsibility", where)
        address = children.take("Address")
        return Contact(
            order=order,
            title=title,
            surname=surname,
            forename=forename,
            sex=sex,
            sex_element=sex_element,
            relationship=relationship,
            responsibility=responsibility,
            address=None if address is None else self.address(address, f"{where}/Address"),
            phones=self.phones(children, where),
            email=self.leaf(children, "Email", where),
            blocks=_kept(layout.CONTACT, children.rest()),
        )
