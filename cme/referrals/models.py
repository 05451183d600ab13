"""A referral (CME2): a child reported to the CME officer, kept as the referrer described them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cme.rules.age import school_age_concern


class Route(models.TextChoices):
    """The ways a child reaches the CME officer, as the policy lists them."""

    SCHOOL = "school", "School (CME2)"
    OTHER_LA = "other_la", "Another local authority"
    AGENCY = "agency", "Partner agency"
    S2S_ENQUIRY = "s2s_enquiry", "S2S out of school enquiry"
    EMAIL = "email", "Email"
    PHONE = "phone", "Telephone"
    LETTER = "letter", "Letter or fax"
    ONLINE = "online", "Online form (public)"
    CALL_CENTRE = "call_centre", "Council call centre"
    PUPIL_WATCH = "pupil_watch", "Pupil Watch Line"
    TRUANCY_SWEEP = "truancy_sweep", "Truancy sweep"
    REGISTER_AUDIT = "register_audit", "School register audit"
    COUNCIL_DEPARTMENT = "council_department", "Another council department"
    HEALTH = "health", "Health (health visitor, school nurse)"
    LOST_PUPIL_DB = "lost_pupil_db", "DfE lost pupil database"
    MARV = "marv", "MARV panel (multi-agency response to violence)"
    AIM = "aim", "AIM panel (children at risk of sexual exploitation)"


class Reason(models.TextChoices):
    """Why the child is thought to be missing education: the policy's three ways, split."""

    NEVER_ENTERED = "never_entered", "Never entered the school system"
    EXCLUSION = "exclusion", "Stopped attending after an exclusion"
    WITHDRAWAL = "withdrawal", "Withdrawn from school with no named destination"
    REMOVED_FROM_ROLL = "removed_from_roll", "Removed from roll with no named destination"
    FAILED_TRANSITION = "failed_transition", "Did not complete a move between schools"
    NEW_TO_CITY = "new_to_city", "New to the city with no school place"
    WHEREABOUTS_UNKNOWN = "whereabouts_unknown", "Left school, whereabouts unknown"
    OTHER = "other", "Other"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACCEPTED = "accepted", "Case opened"
    ATTACHED = "attached", "Added to an open case"
    DECLINED = "declined", "Not a CME case"


class Referral(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    route = models.CharField(max_length=30, choices=Route.choices)
    reason = models.CharField(max_length=30, choices=Reason.choices)
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    received_on = models.DateField()
    # The child as the referrer described them, never edited: what was said, by whom.
    described = models.JSONField()
    details = models.TextField(blank=True)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referring_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    school = models.ForeignKey(
        "schools.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text="The school the child last attended or is on roll at, if known.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_recorded",
    )
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    # The one-time key of the form that sent it (cme.referrals.services.recording): the same
    # form sent twice (a double click, Back and send again) finds this referral, not a new one.
    submission_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["status", "received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["accepted", "attached"])
                | models.Q(case__isnull=False, child__isnull=False),
                name="decided_referral_names_its_case",
            ),
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~models.Q(submission_key=""),
                name="referral_submission_key_once",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def age_concern(self) -> str:
        """Why the child may not be of compulsory school age when referred ("" if they are)."""
        return school_age_concern((self.described or {}).get("date_of_birth"), on=self.received_on)

    @property
    def described_name(self) -> str:
        d = self.described or {}
        return " ".join(p for p in (d.get("forename", ""), d.get("surname", "")) if p)
