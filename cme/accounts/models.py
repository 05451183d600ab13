"""Who uses the register: organisations, and people who belong to one with a single role."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class OrganisationKind(models.TextChoices):
    CME_TEAM = "cme_team", "Local authority CME team"
    PAEWS = "paews", "Pupil Attendance and Education Welfare Service"
    SCHOOL = "school", "School"
    AGENCY = "agency", "Partner agency"
    OTHER_LA = "other_la", "Another local authority"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    # A school organisation is the staff of one establishment; scope follows this link.
    establishment = models.OneToOneField(
        "schools.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisation",
    )
    la_code = models.CharField("LA code", max_length=3, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="school", establishment__isnull=False)
                | ~models.Q(kind="school"),
                name="school_organisation_has_establishment",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CME_OFFICER = "cme_officer", "CME pupil tracking officer"
    CME_MANAGER = "cme_manager", "CME manager"
    PAEWS_OFFICER = "paews_officer", "PAEWS officer"
    SCHOOL_STAFF = "school_staff", "School staff"
    KEY_WORKER = "key_worker", "Key worker"
    PARTNER_AGENCY = "partner_agency", "Partner agency"
    OTHER_LA = "other_la", "Another local authority"
    SYSTEM_ADMIN = "system_admin", "System administrator"


class User(AbstractUser):
    """A person who signs in. Their role and organisation decide what they may see."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.KEY_WORKER)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class EnrolmentLink(models.Model):
    """A one-time, expiring link with which one person sets up their authenticator app.

    Only a hash of the token is kept: the link itself is shown once, to whoever issued it.
    A password alone never sets up an authenticator, so someone who learns a password cannot
    make the account theirs.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_links")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="enrolment_links_issued"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # A newer link for the same person replaces this one.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Set-up link {self.pk}"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.withdrawn_at is None and now < self.expires_at
