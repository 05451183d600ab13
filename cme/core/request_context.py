"""Where a request came from, for the audit trail, without passing `request` into services."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    source: str = "cli"
    ip_address: str | None = None
    anonymous_label: str = "system"


_current: contextvars.ContextVar[RequestMeta] = contextvars.ContextVar(
    "cme_request_meta",
    default=RequestMeta(),  # noqa: B039 - frozen dataclass, so sharing it is safe
)


def current_request_meta() -> RequestMeta:
    return _current.get()


def set_request_meta(meta: RequestMeta) -> contextvars.Token[RequestMeta]:
    return _current.set(meta)


def reset_request_meta(token: contextvars.Token[RequestMeta]) -> None:
    _current.reset(token)
