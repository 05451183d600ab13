"""Log records as JSON lines that carry a request id and no personal data.

Only what the code itself chose to say goes out: the message, the logger, the level, the
request id, numeric extras and the request line's method, path and page name. A record's
other attributes (Django attaches the whole request to some) are never written, so neither is
a request body, a header or a cookie. Exception messages are left out too: a database error
quotes the row that failed, names and all, so an error is logged as its type and where it
happened. Paths are written without query strings, which can carry search terms.

Plain Python (no Django import) so that gunicorn's master process can use it before the app
loads.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from cme.core.request_id import current_request_id

_QUERY_STRING = re.compile(r"\?[^\s\"']*")
# Text extras the code may pass (the request line's parts); other text extras are left out.
TEXT_FIELDS = ("method", "path", "view")
# The attributes every LogRecord has; anything else came from `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


# Paths that carry a one-time secret (an enquiry's answer link, an authenticator set-up link):
# the token is a credential until used, so it is written as "(token)".
_SECRET_IN_PATH = re.compile(r"(/enquiry-reply/|/sign-in/set-up/)[^/\s\"'?]+")


def without_query_string(text: str) -> str:
    return _SECRET_IN_PATH.sub(r"\1(token)", _QUERY_STRING.sub("", text))


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on each record, for handlers that do not format JSON."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry.update(_access_fields(record.args))
        else:
            entry["message"] = _message(record)
            request_id = getattr(record, "request_id", None) or current_request_id()
            if request_id and request_id != "-":
                entry["request_id"] = request_id
        for name in TEXT_FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, str):
                entry[name] = without_query_string(value)
        entry.update(_numeric_extras(record))
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            entry["exception"] = exc_type.__qualname__
            entry["stack"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(tb)
            ]
        return json.dumps(entry, ensure_ascii=False, default=str)


def _message(record: logging.LogRecord) -> str:
    message = record.getMessage()
    # Django's development server and request loggers quote the request line or path.
    if record.name.startswith(("django.server", "django.request", "gunicorn")):
        message = without_query_string(message)
    return message


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """gunicorn's access record: the path alone (PATH_INFO), never the request line or query."""
    fields: dict[str, Any] = {
        "message": "request",
        "method": atoms.get("m"),
        "path": without_query_string(str(atoms.get("U") or "")),
        "status": _as_int(atoms.get("s")),
        "duration_ms": round(int(atoms.get("D") or 0) / 1000, 1),
        "bytes": _as_int(atoms.get("B")),
    }
    request_id = atoms.get("{x-request-id}o")
    if request_id and request_id != "-":
        fields["request_id"] = request_id
    return fields


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _numeric_extras(record: logging.LogRecord) -> dict[str, Any]:
    """Counts and durations passed as `extra=`; text could hold anything, so it stays out."""
    return {
        key: value
        for key, value in vars(record).items()
        if key not in _STANDARD and isinstance(value, int | float) and not key.startswith("_")
    }
