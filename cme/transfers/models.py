"""A transfer duty: the old school's duty to send a leaving pupil's Common Transfer File.

SI 2005/1437 reg 9(3) and the Liverpool policy: the CTF goes within 15 school days of the
pupil leaving the roll (or of the new school's request); to XXXXXXX when the destination is
unknown, to MMMMMMM for an independent school, Scotland or abroad (`cme.rules.ctf`). The
status moves only through the services in `cme.transfers.services`, one per transition.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models


class TransferStatus(models.TextChoices):
    DUE = "due", "Due from the school"
    SENT = "sent", "Sent: waiting for the CME team to confirm"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_TRANSFER_STATUSES = [TransferStatus.DUE, TransferStatus.SENT]


class DestinationKind(models.TextChoices):
    """Where the pupil went, in the words of `cme.rules.Destination`."""

    SCHOOL_IN_ENGLAND = "school_in_england", "A school in England"
    SCHOOL_IN_WALES = "school_in_wales", "A school in Wales"
    UNKNOWN = "unknown", "Not known"
    INDEPENDENT = "independent", "An independent school"
    SCOTLAND = "scotland", "A school in Scotland"
    NORTHERN_IRELAND = "northern_ireland", "A school in Northern Ireland"
    ABROAD = "abroad", "A school abroad"


class TransferSource(models.TextChoices):
    """What opened the duty: today an officer's record; the school-returns app will add its own."""

    OFFICER = "officer", "Recorded by the CME officer"
    DELETION_RETURN = "deletion_return", "A school's deletion return"
    CME1 = "cme1", "A CME1 checklist signed off"


class Transfer(models.Model):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="transfers")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    from_school = models.ForeignKey(
        "schools.Establishment", on_delete=models.PROTECT, related_name="transfers_out"
    )
    destination_kind = models.CharField(max_length=20, choices=DestinationKind.choices)
    # A LAESTAB, or XXXXXXX / MMMMMMM (cme.rules.ctf_destination).
    destination = models.CharField(max_length=7)
    source = models.CharField(max_length=20, choices=TransferSource.choices)
    left_on = models.DateField("left the roll on")
    requested_on = models.DateField("new school asked on", null=True, blank=True)
    due_on = models.DateField()
    due_rule = models.CharField(max_length=300)
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.DUE, db_index=True
    )
    sent_on = models.DateField(null=True, blank=True)
    file = models.OneToOneField(
        "people.StoredCtf",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfer",
    )
    # None when a job opened it from a school's return.
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["from_school", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="due", sent_on__isnull=True)
                | models.Q(status="cancelled")
                | (models.Q(status__in=["sent", "confirmed"]) & models.Q(sent_on__isnull=False)),
                name="transfer_sent_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(confirmed_at__isnull=False),
                name="transfer_confirmed_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(sent_on__isnull=True)
                | models.Q(sent_on__gte=models.F("left_on")),
                name="transfer_sent_after_leaving",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("left_on")),
                name="transfer_due_after_leaving",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TRANSFER_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.status == TransferStatus.DUE and self.due_on < today
