"""Hypothesis strategies for the CTF model: pupils of every version the reader takes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from xml.etree import ElementTree as ET

from hypothesis import strategies as st

from cme.ctf import (
    OLDEST,
    Address,
    Block,
    Contact,
    CtfFile,
    Header,
    Phone,
    Pupil,
    School,
    sex_element_for,
)

TODAY = date(2026, 12, 2)  # in 2026/27: CTF 18.0 to 26.0 are read

# Any text a CTF can carry: no control characters (the writer refuses them), no surrogates or
# unassigned code points; trimmed, as the reader trims.
_ALPHABET = st.characters(blacklist_categories=("Cc", "Cs", "Cn"))
text = st.text(_ALPHABET, max_size=24).map(str.strip)
some_text = text.filter(bool)
names = st.one_of(
    some_text,
    st.sampled_from(
        ["O'BRIEN", "SMITH-JONES", "ZOË", "Łukasz", "محمد", "李", "D'ARCY & SON", "<b>"]
    ),
)
versions = st.integers(OLDEST, 26).map(lambda n: f"{n:02d}.0")
codes = st.text("0123456789", min_size=7, max_size=7)
destinations = st.one_of(codes, st.sampled_from(["XXXXXXX", "MMMMMMM"]))
moments = st.datetimes(datetime(2018, 8, 1), datetime(2026, 12, 1)).map(
    lambda d: d.replace(microsecond=0)
)
flags = st.one_of(st.none(), st.booleans())


def _leaf_block(tag: str) -> st.SearchStrategy[Block]:
    def build(values: list[tuple[str, str]]) -> Block:
        element = ET.Element(tag)
        for name, value in values:
            ET.SubElement(element, name).text = value or None
        return Block.of(element)

    return st.lists(
        st.tuples(st.sampled_from(["Year", "Code", "Value", "StartDate"]), text), max_size=4
    ).map(build)


def _nested_block(tag: str, child: str) -> st.SearchStrategy[Block]:
    def build(children: list[Block]) -> Block:
        element = ET.Element(tag)
        element.extend(c.element() for c in children)
        return Block.of(element)

    return st.lists(_leaf_block(child), max_size=3).map(build)


pupil_blocks = st.lists(
    st.one_of(
        _nested_block("Attendance", "YearData"),
        _nested_block("SENhistory", "SEN"),
        _nested_block("SchoolHistory", "School"),
        _leaf_block("LookedAfter"),
        _leaf_block("FSMhistory"),
        _leaf_block("ServiceChildren"),  # a name this model does not know
    ),
    max_size=3,
)


def _without_trailing_blanks(lines: list[str]) -> tuple[str, ...]:
    while lines and not lines[-1]:
        lines = lines[:-1]
    return tuple(lines)


addresses = st.builds(
    Address,
    saon=text,
    paon=text,
    street=text,
    locality=text,
    town=text,
    administrative_area=text,
    post_town=text,
    uprn=text,
    # Lines are kept by position: a missing line in the middle stays, trailing ones do not.
    lines=st.lists(text, max_size=5).map(_without_trailing_blanks),
    county=text,
    postcode=text,
    country=text,
    as_pupil=flags,
)
phones = st.lists(st.builds(Phone, number=text, type=text), max_size=2).map(tuple)
contacts = st.lists(
    st.builds(
        Contact,
        order=st.one_of(st.none(), st.integers(1, 9)),
        title=text,
        surname=names,
        forename=names,
        sex=st.sampled_from(["", "M", "F"]),
        sex_element=st.sampled_from(["Sex", "Gender"]),
        relationship=text,
        responsibility=flags,
        address=st.one_of(st.none(), addresses),
        phones=phones,
        email=text,
    ),
    max_size=3,
).map(tuple)


@st.composite
def pupils(draw: st.DrawFn, version: str) -> Pupil:
    sex = draw(st.sampled_from(["M", "F", ""]))
    # An absent sex reads back with the element this version uses.
    element = draw(st.sampled_from(["Sex", "Gender"])) if sex else sex_element_for(version)
    contact_list = draw(contacts)
    # A contact with no sex reads back with the older name, Gender.
    contact_list = tuple(c if c.sex else replace(c, sex_element="Gender") for c in contact_list)
    return Pupil(
        surname=draw(names),
        forename=draw(names),
        date_of_birth=draw(st.one_of(st.none(), st.dates(date(2004, 9, 1), date(2022, 8, 31)))),
        sex=sex,
        sex_element=element,
        upn=draw(text),
        uln=draw(text),
        former_upn=draw(text),
        preferred_surname=draw(text),
        preferred_forename=draw(text),
        former_surnames=tuple(draw(st.lists(some_text, max_size=2))),
        former_forenames=tuple(draw(st.lists(some_text, max_size=1))),
        middle_names=draw(text),
        nc_year=draw(st.sampled_from(["", "R", "1", "6", "11"])),
        ethnicity=draw(text),
        basic_blocks=tuple(draw(st.lists(_leaf_block("Languages"), max_size=1))),
        address=draw(st.one_of(st.none(), addresses)),
        phones=draw(phones),
        email=draw(text),
        contacts=contact_list,
        blocks=_in_convention_order(draw(pupil_blocks)),
    )


_ORDER = ["FSMhistory", "LookedAfter", "SENhistory", "Attendance", "SchoolHistory"]


def _in_convention_order(blocks: list[Block]) -> tuple[Block, ...]:
    return tuple(sorted(blocks, key=lambda b: _ORDER.index(b.tag) if b.tag in _ORDER else 99))


def _school(code: str, *, source: bool, draw: st.DrawFn) -> School:
    return School(
        lea=code[:3],
        estab=code[3:],
        urn=draw(st.sampled_from(["", "104501"])),
        name=draw(text) if source else "",
        academic_year=draw(st.one_of(st.none(), st.integers(2018, 2026))) if source else None,
    )


@st.composite
def ctf_files(draw: st.DrawFn) -> CtfFile:
    version = draw(versions)
    header = Header(
        version=version,
        date_time=draw(st.one_of(st.none(), moments)),
        document_qualifier=draw(st.sampled_from(["", "full", "partial"])),
        data_descriptor=draw(text),
        supplier_id=draw(text),
        source=_school(draw(codes), source=True, draw=draw),
        destination=_school(draw(destinations), source=False, draw=draw),
    )
    return CtfFile(header=header, pupils=tuple(draw(st.lists(pupils(version), max_size=3))))
