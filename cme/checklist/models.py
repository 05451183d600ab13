"""The CME1 checklist (docs/cme1.md): a school's enquiries for a pupil whose whereabouts are
unknown, each step with its date, who made it and what came of it, sent to the school's PAEWS
officer, who signs it off or returns it with reasons.

Only the services in `cme.checklist.services` write these; the state moves by one service per
transition (`Status`), never by which fields happen to be filled.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cme.people.models import Sex
from cme.rules.cme1 import STEPS, Outcome, Party


class Status(models.TextChoices):
    OPEN = "open", "In progress at the school"
    SUBMITTED = "submitted", "Sent to the PAEWS officer"
    RETURNED = "returned", "Returned to the school"
    SIGNED_OFF = "signed_off", "Signed off by the PAEWS officer"


class OutcomeChoice(models.TextChoices):
    NOT_FOUND = (
        Outcome.NOT_FOUND.value,
        "Not found: the school and the council have not found the pupil",
    )
    FOUND_NOT_RETURNING = (
        Outcome.FOUND_NOT_RETURNING.value,
        "Found, and the school and the council agree the pupil will not return",
    )


class PartyChoice(models.TextChoices):
    SCHOOL = Party.SCHOOL.value, "The school"
    COUNCIL = Party.COUNCIL.value, "The council (the PAEWS officer or the CME team)"
    JOINT = Party.JOINT.value, "The school and the council jointly"


STEP_CHOICES = [(s.key, s.title) for s in STEPS]


class Checklist(models.Model):
    school = models.ForeignKey(
        "schools.Establishment", on_delete=models.PROTECT, related_name="cme1_checklists"
    )
    # The pupil as the school's admission register gives them.
    forename = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    first_day_absent = models.DateField()
    # The register's child, when one is already known (same UPN); the referral made on
    # sign-off names the pupil as the school described them.
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Found on the school's roll in the EMS extract when opened; if not, accepted and said.
    on_ems_roll = models.BooleanField(default=False)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    outcome = models.CharField(max_length=30, choices=OutcomeChoice.choices, blank=True)
    # For outcome (bb): where the pupil was found and why both agree they will not return.
    found_details = models.TextField(blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    submission_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    submitted_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cme1_submitted_to_me",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    returned_reasons = models.TextField(blank=True)
    # Made on sign-off when the whereabouts are unknown (school route).
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Bumped by every change: a form carries the version it was shown at, so a second send
    # of the same page (Back and send again) is recognised.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_day_absent__gt=models.F("date_of_birth")),
                name="cme1_absent_after_birth",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["submitted", "signed_off"])
                | (models.Q(submitted_to__isnull=False) & ~models.Q(outcome="")),
                name="cme1_sent_names_officer_and_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="signed_off") | models.Q(decided_by__isnull=False),
                name="cme1_signed_off_names_officer",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(returned_reasons=""),
                name="cme1_returned_has_reasons",
            ),
            models.UniqueConstraint(
                fields=["opened_by", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="cme1_opened_once_per_form",
            ),
        ]

    def __str__(self) -> str:
        return f"CME1 checklist {self.pk}"

    @property
    def pupil_name(self) -> str:
        return f"{self.forename} {self.surname}".strip()

    @property
    def whereabouts_known(self) -> bool:
        return self.outcome == OutcomeChoice.FOUND_NOT_RETURNING

    @property
    def editable(self) -> bool:
        return self.status in {Status.OPEN, Status.RETURNED}


class Step(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=30, choices=STEP_CHOICES)
    done_on = models.DateField()
    party = models.CharField(max_length=10, choices=PartyChoice.choices)
    done_by = models.CharField("who made it", max_length=200)
    outcome = models.TextField()
    could_not_be_done = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    submission_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["done_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="cme1_step_recorded_once_per_form",
            ),
        ]

    def __str__(self) -> str:
        return f"CME1 step {self.pk}"

    @property
    def joint(self) -> bool:
        return self.party == PartyChoice.JOINT
