"""The key worker's action plan for a child: actions with an owner, a due date and a done date.

The policy (FAQ 2): "It is the responsibility of the Key Worker to ensure an action plan is in
place for each child. If you do not have an action plan template there is one available."
The council keeps its templates here and edits them in the admin pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PlanTemplate(models.Model):
    name = models.CharField(max_length=120, unique=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_default", "name"]

    def __str__(self) -> str:
        return self.name


class PlanTemplateItem(models.Model):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(max_length=200)
    due_in_school_days = models.PositiveSmallIntegerField(
        help_text="School days after the plan starts that this should be done by."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class ActionPlan(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="plan")
    started_on = models.DateField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    template_name = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return f"Action plan for case {self.case_id}"


class PlanAction(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # Open actions first on every database (SQLite and PostgreSQL sort NULLs differently).
        ordering = [models.F("done_on").asc(nulls_first=True), "due_on", "order", "id"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
