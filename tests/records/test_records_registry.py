"""Each app declares its part of a child's record; the records app finds and orders them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from cme.cases.models import Case
from cme.checks.models import CandidateDecision, Check
from cme.core.child_records import ChildRecords
from cme.people.models import Child
from cme.plans.models import ActionPlan
from cme.records.registry import _referrers_first, child_record_parts
from cme.referrals.models import Referral


def _holding_a_child() -> set[type[Model]]:
    """Every model whose rows lead, by foreign keys, to a child."""
    found: set[type[Model]] = {Child}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in found:
                continue
            for field in model._meta.get_fields():
                leads = field.concrete and (field.many_to_one or field.one_to_one)
                if leads and field.related_model in found:
                    found.add(model)
                    grew = True
                    break
    return found


def test_every_model_holding_a_child_is_declared_by_its_app() -> None:
    declared = {model for part in child_record_parts() for model in part.models}
    missing = sorted(m._meta.label for m in _holding_a_child() - declared)
    # A new app keeping rows about a child adds a records.py; retention would otherwise fail on
    # a protected foreign key, and the subject access export would leave its rows out.
    assert missing == []


def test_parts_are_ordered_so_referrers_go_first() -> None:
    order = [part.models[0] for part in child_record_parts()]
    assert order.index(Referral) < order.index(Case) < order.index(Child)
    assert order.index(Check) < order.index(Case)
    assert order.index(ActionPlan) < order.index(Case)
    check_part = next(p for p in child_record_parts() if Check in p.models)
    assert CandidateDecision in check_part.models


def test_a_loop_of_foreign_keys_is_refused() -> None:
    def nothing(child: object) -> None:
        return None

    cases = ChildRecords(models=(Case,), remove=nothing)
    # Case points at Child and this made-up part puts Child and Referral together, which
    # Case's referrals point back at: neither can go first.
    tangled = ChildRecords(models=(Child, Referral), remove=nothing)
    with pytest.raises(ImproperlyConfigured):
        _referrers_first([cases, tangled])
