"""Writing the model as a CTF file: UTF-8, no namespace, no attributes, the convention's order.

Empty values are omitted (the convention sends no empty elements); kept-whole blocks go back
at their place in the order. A value holding a character XML cannot carry (a control
character, or a carriage return, which a reader would turn into a newline) is refused rather
than written into a file that would not read back the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from xml.etree import ElementTree as ET  # building only

from . import _xml, layout
from .errors import CtfError, CtfProblem
from .model import Address, Block, Contact, CtfFile, Header, Phone, Pupil, School

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

Value = str | int | bool | date | datetime | None


def write_ctf(file: CtfFile) -> bytes:
    """The file as bytes; CtfError naming each value that cannot be written."""
    writer = _Writer()
    root = writer.file(file)
    if writer.problems:
        raise CtfError(writer.problems)
    ET.indent(root, space="  ")
    return DECLARATION + ET.tostring(root, encoding="utf-8") + b"\n"


def _format(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Writer:
    def __init__(self) -> None:
        self.problems: list[CtfProblem] = []

    def leaf(self, tag: str, value: Value, where: str) -> ET.Element | None:
        text = _format(value)
        if not text:
            return None
        bad = _xml.illegal_character(text)
        if bad:
            self.problem(f"{where}/{tag}", f"the value holds {bad}, which a CTF cannot carry")
        element = ET.Element(tag)
        element.text = text
        return element

    def problem(self, where: str, message: str) -> None:
        self.problems.append(CtfProblem(where, message))

    def element(
        self,
        tag: str,
        order: tuple[str, ...],
        where: str,
        leaves: Iterable[tuple[str, Value]] = (),
        children: Iterable[ET.Element | None] = (),
        blocks: Iterable[Block] = (),
    ) -> ET.Element:
        """An element from its leaf values, built children and blocks, in the given order."""
        items = [self.leaf(name, value, where) for name, value in leaves]
        items += children
        items += [b.element() for b in blocks]
        element = ET.Element(tag)
        element.extend(layout.in_order(order, (i for i in items if i is not None), _tag))
        return element

    def file(self, file: CtfFile) -> ET.Element:
        data = ET.Element("CTFpupilData")
        many = len(file.pupils) > 1
        for n, pupil in enumerate(file.pupils, start=1):
            data.append(self.pupil(pupil, "CTFpupilData/Pupil" + (f"[{n}]" if many else "")))
        return self.element(
            "CTfile",
            layout.ROOT,
            "CTfile",
            children=[self.header(file.header), data],
            blocks=file.blocks,
        )

    def header(self, header: Header) -> ET.Element:
        where = "Header"
        return self.element(
            "Header",
            layout.HEADER,
            where,
            leaves=[
                ("DocumentName", header.document_name),
                ("CTFversion", header.version),
                ("DateTime", header.date_time),
                ("DocumentQualifier", header.document_qualifier),
                ("DataQualifier", header.data_qualifier),
                ("DataDescriptor", header.data_descriptor),
                ("SupplierID", header.supplier_id),
            ],
            children=[
                self.school("SourceSchool", header.source, f"{where}/SourceSchool"),
                self.school("DestSchool", header.destination, f"{where}/DestSchool"),
            ],
            blocks=header.blocks,
        )

    def school(self, tag: str, school: School, where: str) -> ET.Element:
        return self.element(
            tag,
            layout.SCHOOL,
            where,
            leaves=[
                ("LEA", school.lea),
                ("Estab", school.estab),
                ("URN", school.urn),
                ("SchoolName", school.name),
                ("AcademicYear", school.academic_year),
            ],
            blocks=school.blocks,
        )

    def sex_element(self, name: str, where: str) -> str:
        if name not in ("Sex", "Gender"):
            self.problem(where, f"the sex is written as Sex or Gender, not {name!r}")
            return "Sex"
        return name

    def pupil(self, pupil: Pupil, where: str) -> ET.Element:
        basic = self.element(
            "BasicDetails",
            layout.BASIC_DETAILS,
            f"{where}/BasicDetails",
            leaves=[
                ("FormerUPN", pupil.former_upn),
                ("PreferredSurname", pupil.preferred_surname),
                ("PreferredForename", pupil.preferred_forename),
                *(("FormerSurname", name) for name in pupil.former_surnames),
                *(("FormerForename", name) for name in pupil.former_forenames),
                ("MiddleNames", pupil.middle_names),
                ("NCyearActual", pupil.nc_year),
                ("Ethnicity", pupil.ethnicity),
            ],
            blocks=pupil.basic_blocks,
        )
        return self.element(
            "Pupil",
            layout.PUPIL,
            where,
            leaves=[
                ("UPN", pupil.upn),
                ("UniqueLearnerNumber", pupil.uln),
                ("UCI", pupil.uci),
                ("Surname", pupil.surname),
                ("Forename", pupil.forename),
                ("DOB", pupil.date_of_birth),
                (self.sex_element(pupil.sex_element, where), pupil.sex),
                ("Email", pupil.email),
            ],
            children=[
                basic if len(basic) else None,
                self.address(pupil.address, f"{where}/Address"),
                self.phones(pupil.phones, where),
                self.contacts(pupil.contacts, where),
            ],
            blocks=pupil.blocks,
        )

    def address(self, address: Address | None, where: str) -> ET.Element | None:
        if address is None:
            return None
        bs = self.element(
            "BS7666Address",
            layout.BS7666,
            f"{where}/BS7666Address",
            leaves=zip(layout.BS7666, address.bs7666, strict=True),
        )
        lines = self.element(
            "AddressLines",
            layout.ADDRESS_LINES,
            f"{where}/AddressLines",
            leaves=zip(layout.ADDRESS_LINES, address.lines, strict=False),
        )
        if len(address.lines) > len(layout.ADDRESS_LINES):
            self.problem(f"{where}/AddressLines", "an address has at most five lines")
        return self.element(
            "Address",
            layout.ADDRESS,
            where,
            leaves=[
                ("AddressAsPupil", address.as_pupil),
                ("County", address.county),
                ("PostCode", address.postcode),
                ("Zip", address.zip),
                ("Country", address.country),
                ("Easting", address.easting),
                ("Northing", address.northing),
            ],
            children=[bs if len(bs) else None, lines if len(lines) else None],
            blocks=address.blocks,
        )

    def phones(self, phones: tuple[Phone, ...], where: str) -> ET.Element | None:
        if not phones:
            return None
        element = ET.Element("Phones")
        for n, phone in enumerate(phones, start=1):
            element.append(
                self.element(
                    "Phone",
                    layout.PHONE,
                    f"{where}/Phones/Phone[{n}]",
                    leaves=[("TelephoneType", phone.type), ("PhoneNo", phone.number)],
                    blocks=phone.blocks,
                )
            )
        return element

    def contacts(self, contacts: tuple[Contact, ...], where: str) -> ET.Element | None:
        if not contacts:
            return None
        element = ET.Element("Contacts")
        for n, contact in enumerate(contacts, start=1):
            element.append(self.contact(contact, f"{where}/Contacts/Contact[{n}]"))
        return element

    def contact(self, contact: Contact, where: str) -> ET.Element:
        return self.element(
            "Contact",
            layout.CONTACT,
            where,
            leaves=[
                ("Order", contact.order),
                ("Title", contact.title),
                ("Surname", contact.surname),
                ("Forename", contact.forename),
                (self.sex_element(contact.sex_element, where), contact.sex),
                ("Relationship", contact.relationship),
                ("Responsibility", contact.responsibility),
                ("Email", contact.email),
            ],
            children=[
                self.address(contact.address, f"{where}/Address"),
                self.phones(contact.phones, where),
            ],
            blocks=contact.blocks,
        )


def _tag(element: ET.Element) -> str:
    return str(element.tag)
