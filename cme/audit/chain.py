"""The hash chain over the audit trail: each event's hash covers its own fields and the hash of
the event before it, and events are numbered from 1 with no gaps (docs/audit.md).

This serialisation is fixed for good: changing it would make every stored hash fail to
verify. A new field added to AuditEvent is not covered unless a new chain version is designed.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

# The hash the first event follows.
GENESIS = "0" * 64

# The fields each hash covers, in the order values_list() reads them for verification.
FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "verb",
    "subject_type",
    "subject_id",
    "child_id",
    "source",
    "ip_address",
    "details",
)


def normalise_ip(value: str | None) -> str | None:
    """The address as PostgreSQL's inet type gives it back, so the hash survives the round trip.
    Something that is not an address could not be stored in the column anyway."""
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def normalise_json(value: Any) -> Any:
    """Details as the database gives them back: JSON types only, whole-number floats as ints
    (PostgreSQL's jsonb prints 1e20 as 100000000000000000000, which reads back as an int)."""
    if isinstance(value, Mapping):
        return {str(k): normalise_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise_json(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _timestamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(prev_hash: str, values: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and a canonical JSON form of the event's fields."""
    canonical = {name: values[name] for name in FIELDS}
    canonical["at"] = _timestamp(values["at"])
    canonical["details"] = normalise_json(values["details"] or {})
    body = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()
