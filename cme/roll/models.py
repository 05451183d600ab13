"""The school returns of SI 2024/208 reg 13, and what the council does about each.

Four returns, one model each (the attendance return lists its pupils in AttendancePupil):
a new pupil return (13(1)), a deletion return (13(4), items (a)-(g)), an attendance return
(13(7)-(8)) and a sickness return (13(9)-(11)). A return is kept as the school sent it;
what the register made of it (the child it is about, the flags, the assessment of a deletion,
the officer's action) sits beside it. Only the services in `cme.roll.services` write them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cme.people.models import Sex


class Channel(models.TextChoices):
    API = "api", "School MIS (API)"
    WEB = "web", "Online form"
    CSV = "csv", "CSV upload"


class ActionStatus(models.TextChoices):
    """The officer's queue: every return waits until the officer has done what it asks."""

    TO_DO = "to_do", "To do"
    DONE = "done", "Done"


class Pupil(models.Model):
    """The pupil as the school's admission register gives them: the referral API's child."""

    forename = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self)._meta.verbose_name} {self.pk}"

    @property
    def pupil_name(self) -> str:
        return " ".join(p for p in (self.forename, self.surname) if p) or "(no name given)"


class SchoolReturn(Pupil):
    """What every return has: the school, who sent it, how, and the officer's action."""

    school = models.ForeignKey("schools.Establishment", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()
    # The child in the register this return is about, once known (matched by UPN, or the
    # record a deletion return made).
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Accepted, but worth a look: e.g. the school never had this pupil (plain sentences).
    flags = models.JSONField(default=list, blank=True)
    action = models.TextField(help_text="What the council must do about this return.")
    action_status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.TO_DO, db_index=True
    )
    action_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action_done_at = models.DateTimeField(null=True, blank=True)
    action_note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-received_at", "-id"]


class NewPupilReturn(SchoolReturn):
    """Reg 13(1): all that the admission register holds (reg 8(2)), within five days."""

    name_used = models.CharField("name used at school", max_length=200, blank=True)
    admitted_on = models.DateField("starting day at the school")
    parents = models.JSONField(default=list, blank=True)
    last_school = models.CharField("last school attended", max_length=300, blank=True)
    boarder = models.BooleanField(default=False)

    class Meta(SchoolReturn.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=True)
                | models.Q(admitted_on__gt=models.F("date_of_birth")),
                name="new_pupil_admitted_after_birth",
            )
        ]


class Lawfulness(models.TextChoices):
    LAWFUL = "lawful", "Lawful"
    UNLAWFUL = "unlawful", "Unlawful: reinstatement directed"


class DeletionReturn(SchoolReturn):
    """Reg 13(4): (a) name, (b) address, (c)-(d) parents, (e) future address, (f) other school,
    (g) the ground. Assessed by `cme.rules.assess_deletion` with the facts the register holds."""

    deleted_on = models.DateField()
    admitted_on = models.DateField(null=True, blank=True)
    # (c) and (d): [{name, address_line_1, postcode, telephone, lives_with, missing: [...]}]
    parents = models.JSONField(default=list, blank=True)
    # (e), reg 8(3): {address_line_1, town, postcode, parents, from_date}; {} if not given.
    future_address = models.JSONField(default=dict, blank=True)
    # (f), reg 8(4): {name, urn, laestab, starts_on}; {} if not given.
    future_school = models.JSONField(default=dict, blank=True)
    ground = models.CharField(max_length=12, help_text='The 2024 reference, e.g. "9(1)(i)".')
    facts = models.JSONField(default=dict, blank=True, help_text="What the school told us.")
    safeguarding_context = models.TextField(blank=True)
    # The assessment, as made when the return arrived.
    lawfulness = models.CharField(max_length=10, choices=Lawfulness.choices)
    reasons = models.JSONField(default=list, blank=True)  # [{text, cites}]
    facts_held = models.JSONField(default=dict, blank=True)  # the DeletionFacts used
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transfer = models.ForeignKey(
        "transfers.Transfer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(SchoolReturn.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(admitted_on__isnull=True)
                | models.Q(deleted_on__gte=models.F("admitted_on")),
                name="deletion_after_admission",
            )
        ]

    @property
    def lawful(self) -> bool:
        return self.lawfulness == Lawfulness.LAWFUL


class AttendanceReturn(models.Model):
    """Reg 13(7)-(8): every pupil who failed to attend regularly, or was absent ten continuous
    school days coded G, N, O or U, since the school's last attendance return. A return with
    no pupils is a return too: it says the school looked."""

    school = models.ForeignKey("schools.Establishment", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()
    period_from = models.DateField()
    period_to = models.DateField()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_to__gte=models.F("period_from")),
                name="attendance_period_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"Attendance return {self.pk}"


class AttendanceReason(models.TextChoices):
    NOT_REGULAR = "not_regular", "Failed to attend regularly (13(7)(a))"
    TEN_DAYS = "ten_days", "10 continuous school days coded G, N, O or U (13(7)(b))"


class AttendancePupil(SchoolReturn):
    attendance_return = models.ForeignKey(
        AttendanceReturn, on_delete=models.CASCADE, related_name="pupils"
    )
    reason = models.CharField(max_length=20, choices=AttendanceReason.choices)
    first_day_absent = models.DateField(null=True, blank=True)
    school_days_absent = models.PositiveIntegerField(null=True, blank=True)
    codes = models.CharField(max_length=40, blank=True, help_text="Session codes, e.g. 'GNO'.")


class SicknessBasis(models.TextChoices):
    CONSECUTIVE = "consecutive", "At least 15 consecutive school days (13(9)(b)(i))"
    TOTAL = "total", "At least 15 school days in the school year (13(9)(b)(ii))"


class SicknessReturn(SchoolReturn):
    """Reg 13(9)-(11): a pupil absent with code I whom the school believes will be (or was)
    unable to attend through sickness for 15 school days."""

    absent_from = models.DateField()
    basis = models.CharField(max_length=20, choices=SicknessBasis.choices)
    expected_back_on = models.DateField(null=True, blank=True)


# The watch list lives in its own module (cme/roll/watch_models.py); importing it here makes
# its model part of this app.
from .direction_models import DirectionStatus as DirectionStatus  # noqa: E402
from .direction_models import ReinstatementDirection as ReinstatementDirection  # noqa: E402
from .direction_models import RollNotice as RollNotice  # noqa: E402
from .watch_models import MatchDecision as MatchDecision  # noqa: E402
from .watch_models import NewPupilMatch as NewPupilMatch  # noqa: E402
from .watch_models import WatchedPupil as WatchedPupil  # noqa: E402
from .watch_models import WatchReason as WatchReason  # noqa: E402
from .watch_models import WatchStatus as WatchStatus  # noqa: E402
