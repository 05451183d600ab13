"""The provision a child missing education is placed in, and the watch on its attendance.

A placement is the provider (a school by URN, alternative provision, tuition), the date the
place was offered and the date the child started. From the start the council watches
attendance for CME_PROVISION_WATCH_SCHOOL_DAYS school days (from EMS, or the school's
attendance returns where the register has them); the officer then records whether the child
is attending. Only then may the case close as back in education, so "progress into
provision" is a fact the reports count (cme.provision.selectors.provision_starts).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ProviderKind(models.TextChoices):
    SCHOOL = "school", "A school"
    ALTERNATIVE = "alternative", "Alternative provision"
    TUITION = "tuition", "Tuition"


class PlacementState(models.TextChoices):
    OFFERED = "offered", "Place offered, not yet taken up"
    WATCHING = "watching", "Started: attendance being watched"
    ATTENDING = "attending", "Attending: watched and confirmed"
    NOT_ATTENDING = "not_attending", "Not attending after the watch"
    WITHDRAWN = "withdrawn", "Offer declined or withdrawn"


OPEN_STATES = frozenset({PlacementState.OFFERED, PlacementState.WATCHING})


class Placement(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="placements")
    provider_kind = models.CharField(max_length=20, choices=ProviderKind.choices)
    # A school by its URN; alternative provision that is a school (a pupil referral unit, an
    # AP academy) is named by URN too. Tuition and other providers by name.
    school = models.ForeignKey(
        "schools.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
    )
    provider_name = models.CharField(max_length=200)
    offered_on = models.DateField()
    start_on = models.DateField(null=True, blank=True)
    watch_school_days = models.PositiveSmallIntegerField(null=True, blank=True)
    watch_until = models.DateField(null=True, blank=True)
    watch_counting = models.CharField(max_length=120, blank=True)
    state = models.CharField(
        max_length=20,
        choices=PlacementState.choices,
        default=PlacementState.OFFERED,
        db_index=True,
    )
    # The officer's review at the end of the watch, with the attendance seen then.
    reviewed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)
    attendance_seen = models.JSONField(default=list, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-offered_on", "-id"]
        indexes = [models.Index(fields=["state", "watch_until"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_on__isnull=True)
                | models.Q(start_on__gte=models.F("offered_on")),
                name="placement_starts_after_offer",
            ),
            models.CheckConstraint(
                condition=~models.Q(provider_kind="school") | models.Q(school__isnull=False),
                name="school_placement_names_school",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["offered", "withdrawn"])
                | (models.Q(start_on__isnull=False) & models.Q(watch_until__isnull=False)),
                name="started_placement_has_watch",
            ),
        ]

    def __str__(self) -> str:
        return f"Placement {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def watch_over(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.state == PlacementState.WATCHING
            and self.watch_until is not None
            and self.watch_until <= today  # type: ignore[operator]
        )
