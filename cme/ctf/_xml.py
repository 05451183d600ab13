"""Safe parsing and canonical serialising of XML, shared by the reader, writer and blocks."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET  # building and serialising only; parsing is defusedxml

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import ParseError, fromstring

from .errors import CtfError

MAX_DEPTH = 50  # a CTF is about 7 deep; deeper input is refused before anything recurses

# Characters XML 1.0 cannot carry, and the carriage return, which a parser turns into a newline.
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def parse(data: bytes | str, where: str = "file") -> ET.Element:
    """Parse with DTDs, entities and external references refused; CtfError otherwise."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except DTDForbidden:
        raise CtfError.one(
            where,
            "unsafe XML refused: the file has a DOCTYPE (DTD), which a CTF never needs "
            "and which can be used to attack the reader",
        ) from None
    except EntitiesForbidden:
        raise CtfError.one(
            where, "unsafe XML refused: the file declares entities, which a CTF never needs"
        ) from None
    except DefusedXmlException as exc:
        raise CtfError.one(where, f"unsafe XML refused ({exc})") from None
    except ParseError as exc:
        raise CtfError.one(
            where, f"not well-formed XML: it may be truncated or damaged ({exc})"
        ) from None
    depth = deepest(root)
    if depth > MAX_DEPTH:
        raise CtfError.one(
            where, f"elements are nested {depth} deep; a CTF is never more than {MAX_DEPTH}"
        )
    return root


def deepest(root: ET.Element) -> int:
    """How deep the tree goes, counted without recursion so a hostile file cannot exhaust it."""
    stack = [(root, 1)]
    most = 0
    while stack:
        element, depth = stack.pop()
        most = max(most, depth)
        if depth <= MAX_DEPTH:
            stack.extend((child, depth + 1) for child in element)
    return most


def normalise(element: ET.Element) -> ET.Element:
    """Drop layout whitespace (text between child elements, and tails) in place.

    CTF has no mixed content, so whitespace between elements carries nothing; dropping it
    makes a block read from an indented file equal to the same block read from a compact one.
    """
    element.tail = None
    for node in element.iter():
        if len(node) and node.text is not None and not node.text.strip():
            node.text = None
        for child in node:
            if child.tail is not None and not child.tail.strip():
                child.tail = None
    return element


def canonical(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode")


def illegal_character(text: str) -> str | None:
    """The first character in `text` that a well-formed file cannot carry, as U+XXXX."""
    match = ILLEGAL.search(text)
    return f"U+{ord(match.group()):04X}" if match else None
