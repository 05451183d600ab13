"""Enquiries that locate a child: the policy's CME3a/3b, CME4 and CME5a/5b, and the locating
steps that are not letters (a PAEWS home visit, checks with partner agencies, S2S searches).

Each enquiry has one recipient, a due date, its chases and escalation, and one answer. The
answers are the record of "reasonable enquiries" a case must hold before it closes as
whereabouts unknown (cme.enquiries.reasonable).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    CME3A = "cme3a", "CME3a enquiry to a school"
    CME4 = "cme4", "CME4 enquiry to another council"
    CME5A = "cme5a", "CME5a notice to the council a child is moving to"
    HOME_VISIT = "home_visit", "PAEWS home visit"
    AGENCY_CHECK = "agency_check", "Check with a partner agency"
    S2S_SEARCH = "s2s_search", "S2S search"
    LOST_PUPIL_SEARCH = "lost_pupil_search", "Lost pupil database search"


# What the answer to each kind is called on its form.
ANSWER_NAME = {
    Kind.CME3A: "CME3b pupil status confirmation",
    Kind.CME4: "CME4 reply",
    Kind.CME5A: "CME5b action agreed",
    Kind.HOME_VISIT: "Home visit record",
    Kind.AGENCY_CHECK: "Agency's reply",
    Kind.S2S_SEARCH: "Search result",
    Kind.LOST_PUPIL_SEARCH: "Search result",
}

# Kinds sent outside the council, which a recipient answers; the others the council records.
EXTERNAL_KINDS = frozenset({Kind.CME3A, Kind.CME4, Kind.CME5A, Kind.AGENCY_CHECK})
LETTER_KINDS = EXTERNAL_KINDS


class AgencyArea(models.TextChoices):
    """The partner agencies of the policy's list that hold records a family leaves behind."""

    HEALTH = "health", "Health (Primary Care Trust, school nurses, health visitors)"
    HOUSING = "housing", "Housing (Emergency Housing, housing providers)"
    POLICE = "police", "Police"
    BENEFITS = "benefits", "Revenues and Benefits"
    UK_BORDER_AGENCY = "ukba", "UK Border Agency (Home Office)"
    SOCIAL_CARE = "social_care", "Children, Families and Social Care"
    REFUGE = "refuge", "Women's Refuge"
    YOT = "yot", "Youth Offending Team"


class SchoolReason(models.TextChoices):
    """Why a school was asked (the issue: the last school, siblings' schools, schools near the
    last address)."""

    LAST_SCHOOL = "last_school", "The child's last school"
    SIBLING_SCHOOL = "sibling_school", "A sibling's school"
    NEAR_ADDRESS = "near_address", "A school near the last known address"
    OTHER = "other", "Another reason"


class State(models.TextChoices):
    OUTSTANDING = "outstanding", "Waiting for an answer"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Outcome(models.TextChoices):
    ON_ROLL = "on_roll", "On roll"
    LEFT = "left", "Was on roll, has left"
    APPLICATION_RECEIVED = "application_received", "Application received"
    NOT_KNOWN = "not_known", "Not known"
    KNOWN_TO_CME = "known_to_cme", "Known to that council's CME team"
    ACTION_AGREED = "action_agreed", "Action agreed"
    SEEN = "seen", "Child seen at the address"
    FAMILY_SEEN = "family_seen", "Family seen, not the child"
    MOVED = "moved", "Family has moved away"
    NO_CONTACT = "no_contact", "No one seen"
    FOUND = "found", "Record found"
    NOT_FOUND = "not_found", "No record found"


OUTCOMES: dict[str, list[Outcome]] = {
    Kind.CME3A: [Outcome.ON_ROLL, Outcome.LEFT, Outcome.APPLICATION_RECEIVED, Outcome.NOT_KNOWN],
    Kind.CME4: [Outcome.ON_ROLL, Outcome.KNOWN_TO_CME, Outcome.NOT_KNOWN],
    Kind.CME5A: [Outcome.ACTION_AGREED],
    Kind.HOME_VISIT: [Outcome.SEEN, Outcome.FAMILY_SEEN, Outcome.MOVED, Outcome.NO_CONTACT],
    Kind.AGENCY_CHECK: [Outcome.FOUND, Outcome.NOT_FOUND],
    Kind.S2S_SEARCH: [Outcome.FOUND, Outcome.NOT_FOUND],
    Kind.LOST_PUPIL_SEARCH: [Outcome.FOUND, Outcome.NOT_FOUND],
}

# How each kind's outcomes read on its answer form, where the general label is not enough.
OUTCOME_WORDING: dict[tuple[str, str], str] = {
    (Kind.CME3A, Outcome.ON_ROLL): "On our roll",
    (Kind.CME3A, Outcome.LEFT): "Was on our roll, has left",
    (Kind.CME3A, Outcome.APPLICATION_RECEIVED): "We have received an application for a place",
    (Kind.CME3A, Outcome.NOT_KNOWN): "Not known to us (this is not our pupil)",
    (Kind.CME4, Outcome.ON_ROLL): "Found on roll at a school in our area",
    (Kind.CME4, Outcome.KNOWN_TO_CME): "Known to our CME team",
    (Kind.CME4, Outcome.NOT_KNOWN): "Not known to us",
}


def outcome_label(kind: str, outcome: str) -> str:
    if not outcome:
        return ""
    return OUTCOME_WORDING.get((kind, outcome), Outcome(outcome).label)


class AnsweredVia(models.TextChoices):
    INBOX = "inbox", "In the register (inbox)"
    LINK = "link", "Through the secure link in an email"
    API = "api", "Through the API"
    OFFICER = "officer", "Recorded by the CME team"


class EnquiryNumber(models.Model):
    """One number for every enquiry, sent by this council or received from another, so that
    `/api/v1/enquiries/{id}/` names one enquiry whichever way it went. Each Enquiry and
    IncomingEnquiry takes its primary key from here when first saved."""

    issued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Enquiry number {self.pk}"


def _numbered(instance: models.Model) -> None:
    if instance.pk is None:
        instance.pk = EnquiryNumber.objects.create().pk


class Enquiry(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="enquiries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Enquiries sent together (a CME3a to several schools at once) share a batch number.
    batch = models.UUIDField(null=True, blank=True, db_index=True)
    # The recipient: a school, an organisation with accounts (a council, an agency), a council
    # known only by its LA code, or a PAEWS officer for a home visit; always a display name.
    recipient_school = models.ForeignKey(
        "schools.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enquiries",
    )
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enquiries_received",
    )
    recipient_la_code = models.CharField("LA code", max_length=3, blank=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enquiries_assigned",
    )
    recipient_name = models.CharField(max_length=200)
    # For a recipient without an account: where the secure link goes. Never a child's data.
    recipient_email = models.EmailField(blank=True)
    agency_area = models.CharField(max_length=20, choices=AgencyArea.choices, blank=True)
    school_reason = models.CharField(max_length=20, choices=SchoolReason.choices, blank=True)
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enquiries_sent"
    )
    due_on = models.DateField()
    due_counting = models.CharField(max_length=120, blank=True)
    chases = models.PositiveSmallIntegerField(default=0)
    last_chased_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.OUTSTANDING, db_index=True
    )
    # The answer.
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enquiries_answered",
    )
    # Who answered through a secure link (no account), as they gave their name.
    answered_by_name = models.CharField(max_length=200, blank=True)
    answered_via = models.CharField(max_length=20, choices=AnsweredVia.choices, blank=True)
    on_roll_from = models.DateField(null=True, blank=True)
    on_roll_at = models.CharField(
        max_length=200, blank=True, help_text="The school the child is on roll at (CME4)."
    )
    left_on = models.DateField(null=True, blank=True)
    left_for = models.CharField(max_length=200, blank=True)
    moved_to_la_code = models.CharField(max_length=3, blank=True)
    agreed_action = models.TextField(blank=True)
    contact = models.CharField(max_length=300, blank=True)
    visited_on = models.DateField(null=True, blank=True)
    seen = models.CharField("who was seen", max_length=300, blank=True)
    neighbours = models.TextField("what the neighbours said", blank=True)
    details = models.TextField(blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name_plural = "enquiries"
        indexes = [
            models.Index(fields=["case", "state"]),
            models.Index(fields=["state", "due_on"]),
            models.Index(fields=["recipient_organisation", "state"]),
            models.Index(fields=["recipient_school", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("sent_on")),
                name="enquiry_due_on_or_after_sent",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="answered")
                | (~models.Q(outcome="") & models.Q(answered_at__isnull=False)),
                name="answered_enquiry_has_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(state="answered") | models.Q(outcome=""),
                name="only_answered_enquiry_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Enquiry E{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _numbered(self)
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return f"E{self.pk}"

    @property
    def is_outstanding(self) -> bool:
        return self.state == State.OUTSTANDING

    @property
    def is_overdue(self) -> bool:
        return self.is_outstanding and self.due_on < timezone.localdate()

    @property
    def may_chase(self) -> bool:
        """Due (today or before), chased fewer than twice, not escalated."""
        return (
            self.is_outstanding
            and self.escalated_on is None
            and self.chases < 2
            and self.due_on <= timezone.localdate()
        )

    @property
    def may_escalate(self) -> bool:
        return (
            self.is_outstanding
            and self.escalated_on is None
            and self.chases >= 2
            and self.due_on <= timezone.localdate()
        )

    @property
    def is_external(self) -> bool:
        return self.kind in EXTERNAL_KINDS

    @property
    def outcome_display(self) -> str:
        return outcome_label(self.kind, self.outcome)

    @property
    def answer_name(self) -> str:
        return ANSWER_NAME[Kind(self.kind)]


class EnquiryLink(models.Model):
    """A secure link for a recipient with no account: one random token, stored only as its
    SHA-256 hash, expiring, answering once. A chase issues a new link and withdraws the old."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Link {self.pk} for enquiry {self.enquiry_id}"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.withdrawn_at is None and now < self.expires_at


class EmailPurpose(models.TextChoices):
    SENT = "sent", "Enquiry sent"
    CHASE = "chase", "Chase"
    ESCALATION = "escalation", "Escalation to the CME team"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    RETRYING = "retrying", "Failed, trying again"
    FAILED = "failed", "Failed"


class EnquiryEmail(models.Model):
    """One email about an enquiry, and whether it went: a failure is kept and shown on the
    enquiry, never lost. Holds no child's data: the body names the enquiry and a link."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="emails")
    purpose = models.CharField(max_length=20, choices=EmailPurpose.choices)
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    state = models.CharField(
        max_length=20, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]

    def __str__(self) -> str:
        return f"Email {self.pk} ({self.get_state_display()})"


class EnquiryLetter(models.Model):
    """The PDF letter as it was rendered when the enquiry was sent (or chased): kept, so a
    later change to the council's wording does not change what was sent."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="letters")
    purpose = models.CharField(max_length=20, choices=EmailPurpose.choices)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    template_version = models.PositiveIntegerField()
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-rendered_at", "-id"]

    def __str__(self) -> str:
        return f"Letter {self.pk} for enquiry {self.enquiry_id}"


class LetterTemplate(models.Model):
    """The council's letter for one kind of enquiry: its letterhead, signatory and wording,
    edited by CME managers. `{reference}`, `{case}`, `{due_on}`, `{recipient}` and
    `{response_time}` in the wording are filled in; nothing else about the child is."""

    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)
    letterhead = models.TextField(help_text="The council's name and address, one line each.")
    title = models.CharField(max_length=200)
    opening = models.TextField(help_text="The paragraphs before the child's details.")
    closing = models.TextField(help_text="The paragraphs after them: how to reply, by when.")
    signatory_name = models.CharField(max_length=200)
    signatory_role = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"Letter for {self.get_kind_display()}"


class IncomingState(models.TextChoices):
    RECEIVED = "received", "Waiting for our check and answer"
    ANSWERED = "answered", "Answered"


INCOMING_OUTCOMES = [Outcome.ON_ROLL, Outcome.KNOWN_TO_CME, Outcome.NOT_KNOWN]

INCOMING_WORDING: dict[str, str] = {
    Outcome.ON_ROLL: "Found on roll at a school in our area",
    Outcome.KNOWN_TO_CME: "Known to our CME team",
    Outcome.NOT_KNOWN: "Not known to us",
}


class IncomingEnquiry(models.Model):
    """A CME4 another council sent this council about a child it is looking for.

    The child is not on this register (and is not put on it): the row holds only what the
    other council sent for the search, the details a CME4 recipient is told
    (cme.accounts.record_access.RECIPIENT_SEES["cme4"]), until the officer has checked the
    sources and answered, once."""

    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cme4s_sent_here"
    )
    from_la_code = models.CharField("sender's LA code", max_length=3)
    from_name = models.CharField(max_length=200)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cme4s_sent_here"
    )
    their_reference = models.CharField(max_length=60, blank=True)
    contact = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    received_on = models.DateField()
    due_on = models.DateField()
    due_counting = models.CharField(max_length=120, blank=True)
    # The child, as far as the search needs.
    forename = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100)
    former_names = models.JSONField(default=list, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    last_school = models.CharField(max_length=200, blank=True)
    last_address = models.CharField(max_length=300, blank=True)
    last_postcode = models.CharField(max_length=10, blank=True)
    # The check the officer ran: when, by whom, and what each source found.
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    check_results = models.JSONField(default=list, blank=True)
    state = models.CharField(
        max_length=20,
        choices=IncomingState.choices,
        default=IncomingState.RECEIVED,
        db_index=True,
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    on_roll_school = models.ForeignKey(
        "schools.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_roll_from = models.DateField(null=True, blank=True)
    details = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name_plural = "incoming enquiries"
        indexes = [
            models.Index(fields=["state", "due_on"]),
            models.Index(fields=["from_organisation", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("received_on")),
                name="incoming_due_on_or_after_received",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="answered")
                | (~models.Q(outcome="") & models.Q(answered_at__isnull=False)),
                name="answered_incoming_has_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="on_roll") | models.Q(on_roll_school__isnull=False),
                name="incoming_on_roll_names_school",
            ),
        ]

    def __str__(self) -> str:
        return f"Incoming enquiry E{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _numbered(self)
        super().save(*args, **kwargs)

    # The same words as an Enquiry where the API and the queue show both.
    kind = Kind.CME4.value
    case_id = None

    @property
    def reference(self) -> str:
        return f"E{self.pk}"

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.forename, self.middle_names, self.surname) if p)

    @property
    def is_outstanding(self) -> bool:
        return self.state == IncomingState.RECEIVED

    @property
    def is_overdue(self) -> bool:
        return self.is_outstanding and self.due_on < timezone.localdate()

    @property
    def outcome_display(self) -> str:
        return INCOMING_WORDING.get(self.outcome, "")

    @property
    def sent_on(self) -> date:
        return self.received_on

    @property
    def on_roll_at(self) -> str:
        return self.on_roll_school.name if self.on_roll_school else ""
