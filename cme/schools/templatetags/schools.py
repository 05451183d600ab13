"""`{% paews_contact %}`: the school's PAEWS officer, on any page a school uses."""

from __future__ import annotations

from typing import Any

from django import template

from cme.schools.selectors import school_paews_contact

register = template.Library()


@register.inclusion_tag("schools/includes/paews_contact.html", takes_context=True)
def paews_contact(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "paews_contact": school_paews_contact(user=user),
        "council_contact": context.get("council_contact"),
    }
