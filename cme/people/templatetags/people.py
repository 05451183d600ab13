"""Template filters for the child's record pages."""

from __future__ import annotations

from django import template

from ..record_view import ChildRecord

register = template.Library()


@register.filter
def writes_part(record: ChildRecord, part: str) -> bool:
    """May the reader change this part of the record (cme.accounts.record_access)?"""
    return record.writes(part)
