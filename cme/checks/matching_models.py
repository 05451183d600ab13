"""Which matching model every search uses, the models a manager can switch to, and the switch.

The model in use is recorded in the database (`MatchingModelSwitch`, append-only: the latest
row wins; none, or one naming no model, means the model shipped with the code), so every web
worker and job uses the same one. A process looks again at most every
`CME_MATCHING_MODEL_CHECK_SECONDS` (a switch made in this process is seen at once); the
indexes keep their records and change only the model that scores them. docs/matching.md,
"Learning from the officers".
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed, StaleEdit
from cme.matching.errors import ModelError
from cme.matching.model import Model, default_model, model_from_dict

from .models import MatchingModel, MatchingModelSwitch

logger = logging.getLogger(__name__)

SHIPPED = "shipped"  # the name a manager types for the model that comes with the code

_lock = threading.Lock()
_state: dict[str, Any] = {"looked_at": None, "switch": None, "model": None}


def parse_model(content: str) -> Model:
    """The model in a file's text; ValidationError in plain words when it cannot be used."""
    try:
        return model_from_dict(json.loads(content))
    except ModelError as exc:
        raise ValidationError(
            f"This model file cannot be used with this version of the register: {exc}. "
            "It was probably made for other comparison levels; retrain it with "
            "`cme match retrain`. The current model is kept."
        ) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError(
            'This is not a matching model file (Splink\'s model JSON with a "cme" block): '
            f"{exc}. The current model is kept."
        ) from exc


def _latest_switch() -> MatchingModelSwitch | None:
    return MatchingModelSwitch.objects.select_related("model").order_by("-number").first()


def _resolve(switch: MatchingModelSwitch | None) -> Model:
    if switch is None or switch.model is None:
        return default_model()
    try:
        return parse_model(switch.model.content)
    except ValidationError:
        # The code changed under a stored model (new levels): search with the shipped one
        # rather than not at all; the manager's page says so (matching_overview).
        logger.warning(
            "matching model %s does not fit this code; using the shipped model",
            switch.model.version,
        )
        return default_model()


def active_model() -> Model:
    """The model every index scores with (installed as cme.matching's model provider)."""
    now = time.monotonic()
    with _lock:
        looked = _state["looked_at"]
        if looked is not None and now - looked < settings.CME_MATCHING_MODEL_CHECK_SECONDS:
            return _state["model"]
    switch = _latest_switch()
    key = (switch.pk if switch else None, switch.model_id if switch else None)
    with _lock:
        if _state["model"] is None or _state["switch"] != key:
            _state["model"] = _resolve(switch)
            _state["switch"] = key
        _state["looked_at"] = now
        return _state["model"]


def forget_active_model() -> None:
    """Look in the database at the next search (after a switch, and between tests)."""
    with _lock:
        _state.update(looked_at=None, switch=None, model=None)


def in_use() -> tuple[str, MatchingModel | None]:
    """The version in use and its row (None: the shipped model)."""
    switch = _latest_switch()
    if switch is None or switch.model is None:
        return default_model().version, None
    return switch.model.version, switch.model


def _manager(user: Any) -> None:
    if not can(user, Action.MANAGE_MATCHING):
        raise NotAllowed


@transaction.atomic
def matching_model_add(
    *, content: str, by: Any, report: dict[str, Any] | None = None, version: str | None = None
) -> MatchingModel:
    """Keep a model file a manager can switch to; refused if it does not fit this code."""
    _manager(by)
    model = parse_model(content)
    version = (version or model.version).strip()
    if version == SHIPPED or version == default_model().version:
        raise ValidationError(
            f"“{version}” is the name of the shipped model. Give the new model another "
            "version (--version). The current model is kept."
        )
    if MatchingModel.objects.filter(version=version).exists():
        raise ValidationError(
            f"There is already a model called “{version}”. Give this one another version "
            "(--version); models are kept, never replaced. The current model is kept."
        )
    row = MatchingModel(
        version=version,
        content=content,
        sha256=hashlib.sha256(content.encode()).hexdigest(),
        note=str(model.meta.get("trained_on", ""))[:1000],
        report=report or {},
        added_by=by,
        added_at=timezone.now(),
    )
    row.full_clean()
    row.save()
    audit_record(
        actor=by,
        verb=Verb.MATCHING_MODEL_ADDED,
        subject=row,
        details={"version": version, "sha256": row.sha256},
    )
    return row


def _changed_meanwhile(now_in_use: str) -> StaleEdit:
    return StaleEdit(
        f"The model in use changed while you were choosing: it is now {now_in_use}. "
        "Check the models again before switching. Nothing else was changed."
    )


@transaction.atomic
def matching_model_switch(
    *, version: str, by: Any, reason: str = "", expected: str | None = None
) -> MatchingModelSwitch:
    """Use another model for every search from now on; the switch is audited and kept.

    `expected`: the version the manager saw in use (the page's form); StaleEdit if another
    switch came first, so a form sent twice, or by two managers at once, switches once."""
    _manager(by)
    version = version.strip()
    row: MatchingModel | None = None
    if version not in (SHIPPED, default_model().version):
        row = MatchingModel.objects.filter(version=version).first()
        if row is None:
            known = ", ".join(MatchingModel.objects.values_list("version", flat=True))
            raise ValidationError(
                f"There is no model called “{version}”. Models kept: {known or 'none'}; "
                f"“{SHIPPED}” is the one that comes with the register. "
                "The current model is kept."
            )
        parse_model(row.content)  # refuses one made for other comparison levels
    latest = _latest_switch()
    before, _ = in_use()
    if expected is not None and expected != before:
        raise _changed_meanwhile(before)
    switch = MatchingModelSwitch(
        number=latest.number + 1 if latest else 1,
        model=row,
        previous_version=before,
        by=by,
        at=timezone.now(),
        reason=reason.strip(),
    )
    switch.full_clean(validate_unique=False)  # the database settles two at once (below)
    try:
        with transaction.atomic():
            switch.save()
    except IntegrityError:
        raise _changed_meanwhile(in_use()[0]) from None
    audit_record(
        actor=by,
        verb=Verb.MATCHING_MODEL_SWITCHED,
        subject=switch,
        details={
            "from": before,
            "to": row.version if row else default_model().version,
            "reason": reason.strip(),
        },
    )
    # This process looks again at once (and again after the commit, in case a search in the
    # meantime read the switch before); the others within CME_MATCHING_MODEL_CHECK_SECONDS.
    forget_active_model()
    transaction.on_commit(forget_active_model)
    return switch
