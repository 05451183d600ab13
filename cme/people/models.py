"""The child, as the register knows them: names over time, addresses over time, carers, risks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known"


class RiskFactor(models.Model):
    """One of the policy's life events that put a child more at risk of going missing."""

    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class Child(models.Model):
    forename = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    former_upns = models.JSONField("former UPNs", default=list, blank=True)
    sen_support = models.BooleanField("SEN support", default=False)
    ehcp = models.BooleanField("EHC plan", default=False)
    # The council that maintains the plan (Children and Families Act 2014 s.37): often another
    # council's for a child who has moved in.
    ehcp_council = models.CharField(
        "council responsible for the EHC plan", max_length=100, blank=True
    )
    looked_after = models.BooleanField(default=False)
    looked_after_by = models.CharField(
        "council looking after the child", max_length=100, blank=True
    )
    # "Ever", for the retention schedule (cme.rules.retention): set whenever the current flag is
    # saved as true and never cleared, so a plan that ended or a child who left care still
    # keeps the record for the longer period.
    ever_ehcp = models.BooleanField("has ever had an EHC plan", default=False)
    ever_looked_after = models.BooleanField("has ever been looked after", default=False)
    child_protection_plan = models.BooleanField(default=False)
    child_in_need = models.BooleanField("child in need plan", default=False)
    young_carer = models.BooleanField(default=False)
    yot = models.BooleanField("supervised by the Youth Offending Team", default=False)
    risk_factors: models.ManyToManyField[RiskFactor, ChildRiskFactor] = models.ManyToManyField(
        RiskFactor, blank=True, related_name="children", through="ChildRiskFactor"
    )
    fictional = models.BooleanField(
        default=False, help_text="Made up by the demo data generator; not a real child."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every change to the child's record (identity, addresses, carers, needs): a
    # form or an API client that read an older version is refused (cme.people.services).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "children"
        ordering = ["surname", "forename"]
        indexes = [
            models.Index(fields=["surname", "forename"]),
            models.Index(fields=["date_of_birth"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.ever_ehcp = self.ever_ehcp or self.ehcp
        self.ever_looked_after = self.ever_looked_after or self.looked_after
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"ehcp", "looked_after"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "ever_ehcp", "ever_looked_after"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.forename, self.surname) if part)

    def current_address(self, on: date) -> Address | None:
        """Where the child lives on `on`: the latest-begun address that has begun and not ended.
        A future address (reg 8(3) of the 2024 regulations: where the child will live, from a
        date) is not current until that date, though it has no end date either."""
        return (
            self.addresses.current_on(on)
            .order_by(models.F("lived_from").desc(nulls_last=True), "-pk")
            .first()
        )

    def current_risk_factors(self) -> list[RiskFactor]:
        """The risk factors raised and not ended. Prefetch `risk_factor_links__risk_factor`."""
        return [link.risk_factor for link in self.risk_factor_links.all() if link.ended_on is None]


class FormerName(models.Model):
    """A name the child was known by before (after a family break-up, adoption, a move), or a
    name recorded wrongly and corrected: kept either way, since other records may still use it.
    Who replaced it, when and why are blank for names taken from a referral or the demo."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="former_names")
    forename = models.CharField(max_length=100, blank=True)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    used_until = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-used_until", "-id"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.forename, self.middle_names, self.surname) if p)


class FormerDateOfBirth(models.Model):
    """A date of birth the record held before it was corrected, with who, when and why."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="former_dates_of_birth")
    date_of_birth = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=500)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.date_of_birth:%-d %B %Y}" if self.date_of_birth else "Not known"


class ChildRiskFactor(models.Model):
    """A risk factor raised for a child, from a date, until it ends. An ended one is kept."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="risk_factor_links")
    risk_factor = models.ForeignKey(RiskFactor, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["risk_factor__order", "-raised_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "risk_factor"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_risk_factor_of_each_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(raised_on__isnull=True)
                | models.Q(ended_on__gte=models.F("raised_on")),
                name="risk_factor_ends_after_it_is_raised",
            ),
        ]

    def __str__(self) -> str:
        return str(self.risk_factor)

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class AddressQuerySet(models.QuerySet["Address"]):
    def current_on(self, on: date) -> AddressQuerySet:
        """The addresses lived at on `on` (as `Address.period` calls them "current"): begun, or
        with no start known, and not yet ended."""
        return self.filter(
            models.Q(lived_from__isnull=True) | models.Q(lived_from__lte=on),
            models.Q(lived_until__isnull=True) | models.Q(lived_until__gte=on),
        )


class Address(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField("address line 1", max_length=200)
    line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    lived_from = models.DateField(null=True, blank=True)
    lived_until = models.DateField(null=True, blank=True)
    # A refuge, or an address a parent fled to: shown to the CME team only, everyone else
    # reads "Withheld" (cme.cases.record_view).
    do_not_share = models.BooleanField(
        "do not share",
        default=False,
        help_text="Domestic abuse or a refuge: only the CME team sees where this is.",
    )
    # The 2024 regulations' reg 8(3) (as the 2006 reg 5(1)(ca) before it): for an address the
    # child will move to, the parent they will live with there and the date from which.
    lives_with = models.CharField("who the child lives with here", max_length=200, blank=True)

    objects = AddressQuerySet.as_manager()

    class Meta:
        ordering = ["-lived_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lived_until__isnull=True)
                | models.Q(lived_from__isnull=True)
                | models.Q(lived_until__gte=models.F("lived_from")),
                name="address_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)

    def period(self, today: date) -> str:
        """Whether the address is the child's future, current or previous one, on `today`."""
        if self.lived_from is not None and self.lived_from > today:
            return "future"
        if self.lived_until is not None and self.lived_until < today:
            return "previous"
        return "current"


class Carer(models.Model):
    """A parent or carer: the policy's returns need each parent's name, address and phone."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="carers")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=60, blank=True)
    parental_responsibility = models.BooleanField(default=True)
    lives_with_child = models.BooleanField("the child lives with them", default=True)
    phone = models.CharField(max_length=40, blank=True)
    # 2024 regulations reg 13(4)(d): a number each parent the child lives with can be
    # reached on in an emergency.
    emergency_phone = models.CharField("emergency telephone", max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    # No longer caring for the child: kept, not deleted.
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["ended_on", "id"]

    def __str__(self) -> str:
        return self.name


class Sibling(models.Model):
    """A brother or sister of the child: another child on the register (`sibling`), or one
    known only by name, as a family's details give them. Their school is one the CME team
    asks when the child goes missing (a CME3a to siblings' schools, cme.enquiries). A link
    between two children on the register is kept from each side."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="siblings")
    sibling = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # Named by string: the schools app is a neighbour on this floor, not imported.
    school = models.ForeignKey(
        "schools.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    relationship = models.CharField(max_length=60, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date_of_birth", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "sibling"],
                condition=models.Q(sibling__isnull=False),
                name="sibling_linked_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(sibling=models.F("child")), name="sibling_is_not_the_child"
            ),
            models.CheckConstraint(
                condition=models.Q(sibling__isnull=False) | ~models.Q(name=""),
                name="sibling_is_named",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"Child {self.sibling_id}"


class CtfOrigin(models.TextChoices):
    LOST_PUPIL = "lost_pupil", "S2S lost pupil database"
    SCHOOL_UPLOAD = "school_upload", "Uploaded by the sending school"


class StoredCtf(models.Model):
    """A Common Transfer File's original bytes, kept in the database, never under a web path.

    The policy (FAQ 3): a pupil's record with no forwarding destination is stored securely.
    Forwarding sends these bytes re-addressed, not a copy rebuilt from the register. A file
    from the lost pupil database has no child until an officer confirms whose it is; the
    retention job removes a file with its child. Read only through `cme.people.ctf_store`,
    which lets the CME team alone read it and audits every read.
    """

    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="ctf_files"
    )
    origin = models.CharField(max_length=20, choices=CtfOrigin.choices)
    name = models.CharField(max_length=255)
    # SHA-256 of the bytes: the same file loaded twice is recognised, not stored twice.
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    source_laestab = models.CharField(max_length=7, blank=True)
    destination = models.CharField(max_length=7, blank=True)
    stored_at = models.DateTimeField()

    class Meta:
        verbose_name = "stored CTF file"
        ordering = ["-stored_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ChangeAction(models.TextChoices):
    ADDED = "added", "Added"
    CHANGED = "changed", "Changed"
    ENDED = "ended", "Ended"


class RecordChange(models.Model):
    """One change to a child's record: which part, the values before and after, who, when,
    why. The audit event for the change names this row; the values live here, with the child,
    so the audit trail (which outlives the child's record) carries no personal data and the
    retention job removes these with the rest of the record."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="changes")
    part = models.CharField(max_length=20)  # a cme.accounts.record_access.Part value
    subject_type = models.CharField(max_length=20)  # child, address, carer, risk_factor
    subject_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    version = models.PositiveIntegerField(help_text="The child's version after this change.")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "version"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.subject_type} {self.subject_id}"


class ChildIndexChange(models.Model):
    """A child added, changed or removed, as the register source's match index sees it (names,
    date of birth, sex, UPN, current address, former names). Each process's index applies
    these in place after they are committed instead of rebuilding (cme.matching.sources,
    cme.cases.sources). Written by signals (cme.people.apps), so no service can forget; it
    holds the child's id only, with no link, so it outlives a removed child."""

    child_pk = models.BigIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Child {self.child_pk} changed"
