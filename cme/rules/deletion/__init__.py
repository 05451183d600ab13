"""Deletion from the admission register: both rule sets, the facts, and the assessment."""

from cme.rules.deletion.assess import assess_deletion
from cme.rules.deletion.model import (
    AgeStatus,
    Condition,
    DeletionAssessment,
    DeletionFacts,
    DeletionGround,
    Wording,
)
from cme.rules.deletion.references import ground_for_reference, return_ground_references
from cme.rules.deletion.registry import ALL_GROUNDS, deletion_grounds, get_ground

__all__ = [
    "ALL_GROUNDS",
    "AgeStatus",
    "Condition",
    "DeletionAssessment",
    "DeletionFacts",
    "DeletionGround",
    "Wording",
    "assess_deletion",
    "deletion_grounds",
    "get_ground",
    "ground_for_reference",
    "return_ground_references",
]
