"""Establishments, as DfE's Get Information about Schools (GIAS) describes them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Establishment(models.Model):
    urn = models.PositiveIntegerField("URN", unique=True)
    la_code = models.CharField("LA code", max_length=3)
    la_name = models.CharField("LA name", max_length=100, blank=True)
    establishment_number = models.CharField(max_length=4, blank=True)
    # LA code + establishment number: the school's address in CTF files and UPNs.
    laestab = models.CharField("LAESTAB", max_length=7, blank=True, db_index=True)
    name = models.CharField(max_length=200)
    type = models.CharField("type of establishment", max_length=120, blank=True)
    phase = models.CharField("phase of education", max_length=60, blank=True)
    status = models.CharField(max_length=60, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # The PAEWS officer who signs off this school's CME1 checklists.
    paews_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paews_schools",
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["la_code", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status.lower().startswith("open")
