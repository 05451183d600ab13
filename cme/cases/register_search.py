"""The register's searches, held in the session so that no name or UPN is ever in a URL.

A search is posted, kept here under a random id, and the browser is sent to
``/register/?search=<id>``: the address bar, the server's access log, browser history, the
Referer header, pagination links and a sign-in's ``next=`` then carry only that id. The id
means nothing outside the session that made it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping

from django.contrib.sessions.backends.base import SessionBase

_SESSION_KEY = "cme_register_searches"
# Enough for the back button across a working session; older ones fall away first.
KEEP = 20


def register_search_save(
    *, session: SessionBase, data: Mapping[str, str], fields: Iterable[str]
) -> str:
    """Keep what was typed into the named fields; returns the id to put in the URL."""
    searches: dict[str, dict[str, str]] = dict(session.get(_SESSION_KEY) or {})
    search_id = secrets.token_urlsafe(12)
    searches[search_id] = {name: str(data.get(name) or "") for name in fields}
    # dicts keep insertion order, so the first keys are the oldest searches.
    for old in list(searches)[:-KEEP]:
        del searches[old]
    session[_SESSION_KEY] = searches
    return search_id


def register_search_get(*, session: SessionBase, search_id: str) -> dict[str, str] | None:
    """What was typed for this search, or None if this session never made it (or let it go)."""
    found = (session.get(_SESSION_KEY) or {}).get(search_id)
    return dict(found) if isinstance(found, dict) else None
