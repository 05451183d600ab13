"""The child, as the register knows them: names over time, addresses over time, carers, risks."""

from __future__ import annotations

from typing import Any

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
    looked_after = models.BooleanField(default=False)
    # "Ever", for the retention schedule (cme.rules.retention): set whenever the current flag is
    # saved as true and never cleared, so a plan that ended or a child who left care still
    # keeps the record for the longer period.
    ever_ehcp = models.BooleanField("has ever had an EHC plan", default=False)
    ever_looked_after = models.BooleanField("has ever been looked after", default=False)
    child_protection_plan = models.BooleanField(default=False)
    risk_factors = models.ManyToManyField(RiskFactor, blank=True, related_name="children")
    fictional = models.BooleanField(
        default=False, help_text="Made up by the demo data generator; not a real child."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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


class FormerName(models.Model):
    """A name the child was known by before (after a family break-up, adoption, a move)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="former_names")
    forename = models.CharField(max_length=100, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    used_until = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}".strip()


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

    @property
    def is_current(self) -> bool:
        return self.lived_until is None


class Carer(models.Model):
    """A parent or carer: the policy's returns need each parent's name, address and phone."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="carers")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=60, blank=True)
    parental_responsibility = models.BooleanField(default=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.name


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
