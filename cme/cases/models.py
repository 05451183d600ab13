"""A case: one episode of a child missing education, from referral to closure."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cme.rules import dfe_categories


class CaseStatus(models.TextChoices):
    """The states of DESIGN.md section 2; only the services in cases.services move between them."""

    REFERRED = "referred", "Referred"
    CHECKING = "checking", "Checking"
    LOCATING = "locating", "Locating"
    ENGAGING = "engaging", "Engaging"
    IN_PROVISION = "in_provision", "In provision (monitoring)"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = [s for s in CaseStatus.values if s != CaseStatus.CLOSED]


class Outcome(models.TextChoices):
    ON_ROLL = "on_roll", "Found on a school roll"
    IN_PROVISION = "in_provision", "Back in education"
    HOME_EDUCATED = "home_educated", "Electively home educated, education suitable"
    TRANSFERRED = "transferred", "Moved to another local authority"
    LEFT_COUNTRY = "left_country", "Left England"
    LOST = "lost", "Whereabouts unknown after all enquiries (S2S lost pupil)"
    NOT_COMPULSORY_AGE = "not_compulsory_age", "Not of compulsory school age"
    DECEASED = "deceased", "Died"
    DUPLICATE = "duplicate", "Duplicate of another case"


class Case(models.Model):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.REFERRED, db_index=True
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    # The school the child was last on roll at, or that referred them: school scope follows it.
    school = models.ForeignKey(
        "schools.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_worker_cases",
    )
    paews_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paews_cases",
    )
    # The clocks of the rules engine start from these (cme.cases.deadlines).
    first_day_absent = models.DateField(
        null=True, blank=True, help_text="The first school day the child was absent, if known."
    )
    left_roll_on = models.DateField(
        null=True, blank=True, help_text="The day the child came off the last school's roll."
    )
    # The "next update" clock counts from this (cme.cases.deadlines). Only an update from the
    # named key worker sets it (cme.cases.services.timeline), so an officer's own work on the
    # case, such as running a check, does not make the key worker look up to date.
    last_key_worker_update_on = models.DateField(
        null=True, blank=True, help_text="The day the key worker last updated the case."
    )
    # The primary reason the child is missing education, in DfE's categories for the termly
    # return (cme.rules.dfe_categories.CME_REASONS), recorded by the officer; blank until then,
    # when the reports count the council's reason on the referral through
    # cme.rules.cme_reasons (and "Not recorded" if there is none).
    cme_reason = models.CharField(
        "primary reason for CME",
        max_length=dfe_categories.MAX_LENGTH,
        choices=dfe_categories.choices(dfe_categories.CME_REASONS),
        blank=True,
    )
    # Bumped by every service that changes the case, so a stale form can be refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-opened_on", "-id"]),
            models.Index(fields=["key_worker", "status"]),
            models.Index(fields=["school", "status"]),
            # The register's default view (open cases, newest first) reads straight off this.
            models.Index(
                fields=["-opened_on", "-id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="case_open_newest_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", closed_on__isnull=False) & ~models.Q(outcome="")
                )
                | (~models.Q(status="closed") & models.Q(closed_on__isnull=True, outcome="")),
                name="closed_case_has_outcome_and_date",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="case_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseStatusChange(models.Model):
    """The case's status over time, by the day each change took effect.

    Written by the lifecycle services beside the timeline entry (cme.cases.services.lifecycle),
    so what the register held on any past date can be answered: the reports count last term's
    census from these, not from today's status. A close takes effect on its closing date, which
    may be earlier than the day it was recorded.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(max_length=20, choices=CaseStatus.choices)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    effective_on = models.DateField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["effective_on", "id"]
        indexes = [
            models.Index(fields=["case", "effective_on", "id"], name="status_change_case_idx"),
            models.Index(fields=["effective_on", "status"], name="status_change_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed") & ~models.Q(outcome="")
                | ~models.Q(status="closed") & models.Q(outcome=""),
                name="status_change_closed_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.effective_on.day} {self.effective_on:%B %Y}"


class CaseEventKind(models.TextChoices):
    OPENED = "opened", "Case opened"
    STATUS = "status", "Status changed"
    NOTE = "note", "Note"
    KEY_WORKER = "key_worker", "Key worker named"
    PAEWS_OFFICER = "paews_officer", "PAEWS officer named"
    PAEWS_REFERRAL = "paews_referral", "Referred to PAEWS"
    CHECK = "check", "Check"
    REFERRAL = "referral", "Further referral received"
    CLOSED = "closed", "Case closed"
    REOPENED = "reopened", "Case reopened"
    FLAG = "flag", "Flag raised"
    FLAG_RESOLVED = "flag_resolved", "Flag resolved"
    ACTION_PLAN = "action_plan", "Action plan"
    ENQUIRY = "enquiry", "Enquiry"
    PROVISION = "provision", "Provision"


class SharedWith(models.TextChoices):
    """Who outside the CME team may read a timeline entry. Each wider choice includes the
    narrower ones: shared with the school is also shared with the named workers."""

    CME_TEAM = "cme_team", "The CME team only"
    WORKERS = "workers", "The CME team and the named key worker and PAEWS officer"
    SCHOOL = "school", "The CME team, the named workers and the school"


class CaseEvent(models.Model):
    """The case's timeline: what happened and who did it, in the officer's words."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=CaseEventKind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    text = models.TextField(blank=True)
    shared_with = models.CharField(
        max_length=20, choices=SharedWith.choices, default=SharedWith.CME_TEAM
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.at.day} {self.at:%B %Y}"


class FlagKind(models.TextChoices):
    RISK = "risk", "Risk"
    SAFEGUARDING = "safeguarding", "Safeguarding concern"
    DO_NOT_CONTACT = "do_not_contact", "Do not contact"


class Flag(models.Model):
    """A warning on a case. Raised and resolved with a reason; never deleted.

    A safeguarding concern records its escalation to children's social care, and the case
    cannot close while it is unresolved: CME never replaces child protection procedures.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="flags")
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    description = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    escalated_to = models.CharField(
        "escalated to",
        max_length=200,
        blank=True,
        help_text="The children's social care team or person told, for a safeguarding concern.",
    )
    escalated_on = models.DateField(null=True, blank=True)
    escalation_reference = models.CharField(max_length=100, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["resolved_at", "-raised_at"]
        indexes = [models.Index(fields=["case", "resolved_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="safeguarding")
                | (~models.Q(escalated_to="") & models.Q(escalated_on__isnull=False)),
                name="safeguarding_flag_records_escalation",
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | ~models.Q(resolution=""),
                name="resolved_flag_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class DueItem(models.Model):
    """One of an open case's clocks or open plan actions, with its due date, stored by
    cme.cases.due.refresh when the facts behind it change. The home page and work queues read
    these rows (a date comparison, paged) instead of counting school days for every case on
    every view; a closed case has none."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="due_items")
    what = models.CharField(max_length=250)
    rule = models.TextField(blank=True)
    # None when the calendar cannot count it (its `problem` says why).
    due_on = models.DateField(null=True)
    # The first day it counts as due soon (SchoolCalendar.due_soon_from); None: always.
    soon_on = models.DateField(null=True)
    problem = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "case_id", "id"]
        indexes = [models.Index(fields=["due_on", "case"])]

    def __str__(self) -> str:
        return f"{self.what} due {self.due_on} on case {self.case_id}"
