"""The secure store of Common Transfer Files: kept in the database, read by the CME team only.

Every read writes an audit event naming the child (when known), so who took a copy of a
pupil's file is on the trail. Nothing here decides what a file must contain: the callers
(the lost pupil import, a school's upload on a transfer duty) check it with `cme.ctf` first.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import WHOLE_REGISTER, is_staff_user
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed

from .models import Child, StoredCtf


def ctf_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ctf_already_stored(data: bytes) -> StoredCtf | None:
    return StoredCtf.objects.filter(sha256=ctf_hash(data)).first()


def already_loaded_message(stored: StoredCtf) -> str:
    when = timezone.localtime(stored.stored_at)
    return f"This file was already loaded on {when:%-d %B %Y at %H:%M} (as {stored.name})."


@transaction.atomic
def ctf_store(
    *,
    data: bytes,
    name: str,
    origin: str,
    by: Any,
    child: Child | None = None,
    source_laestab: str = "",
    destination: str = "",
) -> StoredCtf:
    """Keep a file's bytes; the same bytes twice are refused with when they were loaded."""
    if not data:
        raise ValidationError("The file is empty.")
    earlier = ctf_already_stored(data)
    if earlier is not None:
        raise ValidationError(already_loaded_message(earlier), code="already_loaded")
    stored = StoredCtf(
        child=child,
        origin=origin,
        name=name[:255] or "unnamed.xml",
        sha256=ctf_hash(data),
        size=len(data),
        data=data,
        source_laestab=source_laestab[:7],
        destination=destination[:7],
        stored_at=timezone.now(),
    )
    stored.full_clean()
    stored.save()
    audit_record(
        actor=by,
        verb=Verb.CREATE,
        subject=stored,
        child_id=child.pk if child else None,
        details={"origin": origin, "size": len(data)},
    )
    return stored


@transaction.atomic
def ctf_link_child(*, stored: StoredCtf, child: Child, by: Any) -> StoredCtf:
    """Name the child a stored file is about, once an officer has confirmed it."""
    StoredCtf.objects.filter(pk=stored.pk).update(child=child)
    stored.child = child
    audit_record(actor=by, verb=Verb.UPDATE, subject=stored, child_id=child.pk)
    return stored


def may_read_ctf(user: Any) -> bool:
    return is_staff_user(user) and user.role in WHOLE_REGISTER


def ctf_read(*, user: Any, stored: StoredCtf, purpose: str) -> bytes:
    """The file's bytes, for the CME team only; the read is audited with its purpose.

    `user` None is the command line (`cme export-ctf`), run by someone with the server's shell.
    """
    if user is not None and not may_read_ctf(user):
        raise NotAllowed
    audit_record(
        actor=user,
        verb=Verb.EXPORT,
        subject=stored,
        child_id=stored.child_id,
        details={"purpose": purpose},
    )
    return bytes(stored.data)


def child_ctf_latest(*, child: Child) -> StoredCtf | None:
    """The newest original file held for a child (no bytes read, nothing audited)."""
    return StoredCtf.objects.filter(child=child).defer("data").first()
