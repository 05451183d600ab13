"""Checking the audit trail's hash chain from the first event to the newest.

Reads the events in chain order in batches (a server-side cursor on PostgreSQL), so a trail
of millions of events is checked in one pass without holding it in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from .chain import FIELDS, GENESIS, event_hash
from .models import AuditEvent

BATCH = 5000


@dataclass(frozen=True)
class ChainCheck:
    count: int
    head_seq: int
    head_hash: str
    # The first fault, in words an operator can act on; empty when the chain is whole.
    fault: str = ""

    @property
    def whole(self) -> bool:
        return not self.fault


def audit_chain_verify(*, expect: tuple[int, str] | None = None) -> ChainCheck:
    """Walk the chain. `expect` is a (seq, hash) recorded earlier outside the database: it
    must still be on the chain, which catches the newest events being removed or the whole
    chain being rewritten from some event onwards."""
    rows = AuditEvent.objects.order_by("seq").values_list("id", "prev_hash", "hash", *FIELDS)
    count, prev_seq, prev_hash = 0, 0, GENESIS
    expect_found = expect is None
    for pk, stored_prev, stored_hash, *values in rows.iterator(chunk_size=BATCH):
        event = dict(zip(FIELDS, values, strict=True))
        seq = event["seq"]
        fault = _fault(pk, seq, prev_seq, prev_hash, stored_prev, stored_hash, event)
        if fault:
            return ChainCheck(count, prev_seq, prev_hash, fault)
        if expect is not None and seq == expect[0]:
            if stored_hash != expect[1]:
                return ChainCheck(
                    count,
                    prev_seq,
                    prev_hash,
                    f"Event {seq} (id {pk}) is not the one recorded earlier: its hash differs, "
                    "so the trail has been rewritten from that event or before it.",
                )
            expect_found = True
        count, prev_seq, prev_hash = count + 1, seq, stored_hash
    if not expect_found and expect is not None:
        return ChainCheck(
            count,
            prev_seq,
            prev_hash,
            f"Event {expect[0]}, recorded earlier, is missing: the newest events after "
            f"event {prev_seq} have been removed.",
        )
    return ChainCheck(count, prev_seq, prev_hash)


def _fault(
    pk: int,
    seq: int,
    prev_seq: int,
    prev_hash: str,
    stored_prev: str,
    stored_hash: str,
    event: dict[str, object],
) -> str:
    if seq != prev_seq + 1:
        missing = f"event {prev_seq + 1}" if seq == prev_seq + 2 else f"events {prev_seq + 1}"
        if seq > prev_seq + 2:
            missing += f" to {seq - 1}"
        return (
            f"{missing.capitalize()} missing: the chain jumps from {prev_seq} to {seq} (id {pk})."
        )
    if stored_prev != prev_hash:
        return (
            f"Event {seq} (id {pk}) does not follow event {prev_seq}: it names a different "
            f"previous hash, so event {prev_seq} was changed and given a new hash, or events "
            "were removed or inserted here and renumbered."
        )
    if event_hash(prev_hash, event) != stored_hash:
        return f"Event {seq} (id {pk}) has been changed: its contents no longer match its hash."
    return ""
