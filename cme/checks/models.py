"""What a check reads (the EMS roll, S2S lost pupils, elective home education) and what it finds.

PupilOnRoll and LostPupil are copies of other systems' data, replaced by their imports;
HomeEducatedChild is kept in the app. A Check is one run of one source on a case; its
CheckCandidates are the records it found, each decided by an officer (and re-decided, with a
reason, in CandidateDecision, which is append-only).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cme.people.models import Sex
from cme.rules import dfe_categories


class PupilOnRoll(models.Model):
    """One pupil on a school's roll, from the LA's EMS/MIS extract (docs/checks.md)."""

    establishment = models.ForeignKey(
        "schools.Establishment", on_delete=models.PROTECT, related_name="pupils_on_roll"
    )
    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    forename = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    postcode = models.CharField(max_length=10, blank=True)
    address = models.CharField(max_length=300, blank=True)
    admission_date = models.DateField(null=True, blank=True)
    leaving_date = models.DateField(null=True, blank=True)
    # Attendance this academic year, in sessions (half days), from the EMS attendance module.
    sessions_possible = models.PositiveIntegerField(null=True, blank=True)
    sessions_attended = models.PositiveIntegerField(null=True, blank=True)
    sessions_authorised = models.PositiveIntegerField(null=True, blank=True)
    sessions_unauthorised = models.PositiveIntegerField(null=True, blank=True)
    # The latest exclusion (suspension or permanent), from the EMS exclusions module.
    exclusion_type = models.CharField(max_length=60, blank=True)
    exclusion_start = models.DateField(null=True, blank=True)
    exclusion_end = models.DateField(null=True, blank=True)
    source_file = models.CharField(max_length=255, blank=True)
    loaded_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pupil on roll"
        verbose_name_plural = "pupils on roll"
        ordering = ["surname", "forename"]
        indexes = [models.Index(fields=["establishment", "surname"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leaving_date__isnull=True)
                | models.Q(admission_date__isnull=True)
                | models.Q(leaving_date__gte=models.F("admission_date")),
                name="pupil_leaves_after_admission",
            ),
            models.CheckConstraint(
                condition=models.Q(sessions_attended__isnull=True)
                | models.Q(sessions_possible__isnull=True)
                | models.Q(sessions_attended__lte=models.F("sessions_possible")),
                name="pupil_attends_no_more_than_possible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def attendance_percent(self) -> float | None:
        if not self.sessions_possible or self.sessions_attended is None:
            return None
        return round(100 * self.sessions_attended / self.sessions_possible, 1)


class LostPupilStatus(models.TextChoices):
    """What became of a lost pupil after the import matched it against the register."""

    UNMATCHED = "unmatched", "Matches no open case"
    OFFERED = "offered", "Possible match offered on a case"
    REFERRED = "referred", "Referred for triage (last address in the city)"
    MATCHED = "matched", "Confirmed as a child on the register"
    FOUND = "found", "Found and admitted; file forwarded"


class LostPupil(models.Model):
    """A pupil from a one-pupil CTF sent to XXXXXXX (destination unknown) or MMMMMMM."""

    source_file = models.CharField(max_length=255)
    # SHA-256 of the file's bytes: loading the same file twice adds nothing.
    file_hash = models.CharField(max_length=64, unique=True)
    destination = models.CharField(
        max_length=7, choices=[("XXXXXXX", "Destination unknown"), ("MMMMMMM", "Outside")]
    )
    source_laestab = models.CharField("sending school LAESTAB", max_length=7, blank=True)
    source_school_name = models.CharField(max_length=200, blank=True)
    ctf_version = models.CharField("CTF version", max_length=10, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    forename = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    loaded_at = models.DateTimeField()
    # The file as it came, kept securely so that forwarding sends the original (issue 13).
    stored_file = models.OneToOneField(
        "people.StoredCtf",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lost_pupil",
    )
    status = models.CharField(
        max_length=10, choices=LostPupilStatus.choices, default=LostPupilStatus.UNMATCHED
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lost_pupils",
    )
    found_child = models.ForeignKey(
        "people.Child",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lost_pupil_records",
    )
    found_at = models.DateTimeField(null=True, blank=True)
    forwarded_to = models.CharField(max_length=7, blank=True)

    class Meta:
        ordering = ["-loaded_at", "surname"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="found")
                | models.Q(found_at__isnull=False, found_child__isnull=False),
                name="found_lost_pupil_names_child",
            )
        ]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname} ({self.source_file})"


class HomeEducationStatus(models.TextChoices):
    ACTIVE = "active", "Electively home educated"
    ENDED = "ended", "No longer home educated"


class Suitability(models.TextChoices):
    """The council's judgement of the education provided (EHE guidance 2024; EA 1996 s.437(1)).

    Unsuitable education makes the child missing education: DfE counts them as CME, not EHE,
    and the register opens a case (cme.checks.home_education).
    """

    NOT_ASSESSED = "not_assessed", "Not yet judged"
    SUITABLE = "suitable", "Suitable"
    UNSUITABLE = "unsuitable", "Not suitable: the child is missing education"


class HomeEducatedChild(models.Model):
    """The elective home education register, kept in the app.

    Holds what DfE's termly EHE return and the 2024 guidance ask for: the start date, DfE's
    primary reason, the previous school, the suitability judgement, and (in HomeEducationNotice)
    s.437(1) notices and school attendance orders with their dates.
    """

    forename = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    started_on = models.DateField("home education started")
    ended_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=HomeEducationStatus.choices, default=HomeEducationStatus.ACTIVE
    )
    # Home education ended because the child started at, or went back to, a school: DfE's
    # "returns to education" (ehe_returns_full_year), counted by cme.reports.dfe_return.
    returned_to_school = models.BooleanField("ended by starting at a school", default=False)
    # DfE's primary reason for EHE, spelled as DfE spells it (cme.rules.dfe_categories).
    reason = models.CharField(
        "primary reason for home education",
        max_length=dfe_categories.MAX_LENGTH,
        choices=dfe_categories.choices(dfe_categories.EHE_REASONS),
        blank=True,
    )
    previous_school = models.ForeignKey(
        "schools.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="home_education_leavers",
    )
    # A previous school that is not in the establishments list (another country, say).
    previous_school_name = models.CharField(max_length=200, blank=True)
    suitability = models.CharField(
        max_length=20, choices=Suitability.choices, default=Suitability.NOT_ASSESSED
    )
    suitability_judged_on = models.DateField(null=True, blank=True)
    # The register's child this entry is, once a check confirmed it or unsuitable education
    # opened a case. Linked, the entry is part of that child's record.
    child = models.ForeignKey(
        "people.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="home_education_entries",
    )
    notes = models.TextField(blank=True)
    fictional = models.BooleanField(default=False)
    # Bumped by every change, so a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "electively home educated child"
        verbose_name_plural = "electively home educated children"
        ordering = ["surname", "forename"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="active", ended_on__isnull=True)
                | models.Q(status="ended", ended_on__isnull=False),
                name="home_education_ended_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(suitability="not_assessed", suitability_judged_on__isnull=True)
                | (
                    ~models.Q(suitability="not_assessed")
                    & models.Q(suitability_judged_on__isnull=False)
                ),
                name="home_education_judged_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def previous_school_label(self) -> str:
        if self.previous_school is not None:
            return f"{self.previous_school.name} (URN {self.previous_school.urn})"
        return self.previous_school_name


class NoticeKind(models.TextChoices):
    """The formal steps of EA 1996 ss.437-443 that DfE's EHE return counts."""

    S437_NOTICE = "s437_notice", "Notice under section 437(1)"
    SAO_ISSUED = "sao_issued", "School attendance order issued"
    SAO_REVOKED = "sao_revoked", "School attendance order revoked"


class HomeEducationNotice(models.Model):
    """A s.437(1) notice served, or a school attendance order issued or revoked. Kept, never
    changed: a mistaken one is withdrawn by a note, so the flows DfE counts stay true."""

    entry = models.ForeignKey(HomeEducatedChild, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    on = models.DateField("date served or issued")
    # For an order: the school it names.
    school = models.ForeignKey(
        "schools.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["kind", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.on:%-d %B %Y}"


class Check(models.Model):
    """One source searched for one case's child: by whom, when, and how many it found."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="checks")
    source = models.CharField(max_length=40)
    source_label = models.CharField(max_length=120)
    records_searched = models.PositiveIntegerField(default=0)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField()
    candidate_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-run_at", "-id"]
        indexes = [models.Index(fields=["case", "-run_at"])]

    def __str__(self) -> str:
        return f"{self.source_label} on {self.run_at.day} {self.run_at:%B %Y %H:%M}"


class Decision(models.TextChoices):
    PENDING = "pending", "Not decided"
    CONFIRMED = "confirmed", "Confirmed: same child"
    REJECTED = "rejected", "Rejected: not this child"


class CheckCandidate(models.Model):
    """A record a check found. `details` keeps what it showed, as the source may change later."""

    check_run = models.ForeignKey(Check, on_delete=models.PROTECT, related_name="candidates")
    source = models.CharField(max_length=40)
    source_record_id = models.CharField(max_length=64)
    rank = models.PositiveSmallIntegerField(default=1)
    probability = models.FloatField()
    band = models.CharField(max_length=10)
    reasons = models.JSONField(default=list)
    details = models.JSONField(default=dict)
    decision = models.CharField(
        max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["check_run", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__gte=0, probability__lte=1),
                name="candidate_probability_is_a_probability",
            ),
            models.CheckConstraint(
                condition=models.Q(decision="pending", decided_at__isnull=True)
                | (~models.Q(decision="pending") & models.Q(decided_at__isnull=False)),
                name="candidate_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.source_record_id} ({self.probability:.0%})"

    @property
    def percent(self) -> int:
        return round(self.probability * 100)


class CandidateDecision(models.Model):
    """Every decision on a candidate, including reversals: the history is never rewritten."""

    candidate = models.ForeignKey(
        CheckCandidate, on_delete=models.PROTECT, related_name="decisions"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    previous = models.CharField(max_length=10, choices=Decision.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} at {self.at.day} {self.at:%B %Y %H:%M}"


class LostPupilMatch(models.Model):
    """A lost pupil the import found like an open case's child, offered to the officer."""

    lost_pupil = models.ForeignKey(LostPupil, on_delete=models.CASCADE, related_name="matches")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="lost_pupils")
    probability = models.FloatField()
    band = models.CharField(max_length=10)
    reasons = models.JSONField(default=list)
    found_at = models.DateTimeField()
    decision = models.CharField(
        max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-probability", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["lost_pupil", "case"], name="one_offer_per_case"),
            models.CheckConstraint(
                condition=models.Q(decision="pending", decided_at__isnull=True)
                | (~models.Q(decision="pending") & models.Q(decided_at__isnull=False)),
                name="lost_pupil_match_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Lost pupil {self.lost_pupil_id} on case {self.case_id}"

    @property
    def percent(self) -> int:
        return round(self.probability * 100)


class MatchingModel(models.Model):
    """A matching model file a manager can switch to: one retrained from the officers'
    decisions (`cme match retrain`) or given as a file. Kept, never replaced: the version
    is recorded with what it scored, and a manager may switch back."""

    version = models.CharField(max_length=60, unique=True)
    content = models.TextField()  # the model file: Splink's JSON with its "cme" block
    sha256 = models.CharField(max_length=64)
    note = models.TextField(blank=True)  # what it was trained on, from the file
    report = models.JSONField(default=dict, blank=True)  # what the retrain measured
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["-added_at", "-id"]

    def __str__(self) -> str:
        return f"Matching model {self.version}"


class MatchingModelSwitch(models.Model):
    """The model every search uses from `at` on: the latest switch wins; no model named is
    the one shipped with the code. Append-only, so the history of switches is the record.

    `number` counts the switches: each is one more than the switch it replaces, and the
    database holds it unique, so two switches made at the same moment from pages showing the
    same model in use (a double click, two managers) cannot both be recorded."""

    number = models.PositiveIntegerField(unique=True)
    model = models.ForeignKey(
        MatchingModel, null=True, blank=True, on_delete=models.PROTECT, related_name="switches"
    )
    previous_version = models.CharField(max_length=60)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "matching model switches"

    def __str__(self) -> str:
        to = self.model.version if self.model else "the shipped model"
        return f"Switched to {to} on {self.at.day} {self.at:%B %Y}"
