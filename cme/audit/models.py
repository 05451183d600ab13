"""The audit trail: every read and change of a child's record, append-only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class Verb(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    TRANSITION = "transition", "Moved on"
    CLOSE = "close", "Closed"
    REOPEN = "reopen", "Reopened"
    IMPORT = "import", "Imported"
    EXPORT = "export", "Exported"
    DENIED = "denied", "Refused access"
    REMOVE = "remove", "Removed (retention period ended)"
    RETENTION_RUN = "retention_run", "Ran the retention job"
    # Domain acts, one verb each, so a report can count them without reading the details.
    REFERRAL_ACCEPTED = "referral_accepted", "Accepted a referral and opened a case"
    REFERRAL_ATTACHED = "referral_attached", "Added a referral to an open case"
    REFERRAL_DECLINED = "referral_declined", "Declined a referral: not a CME case"
    KEY_WORKER_NAMED = "key_worker_named", "Named a key worker"
    PAEWS_OFFICER_NAMED = "paews_officer_named", "Named a PAEWS officer"
    PAEWS_REFERRED = "paews_referred", "Referred to PAEWS"
    CANDIDATE_CONFIRMED = "candidate_confirmed", "Confirmed a record as the child"
    CANDIDATE_REJECTED = "candidate_rejected", "Rejected a record as not the child"
    CANDIDATE_REOPENED = "candidate_reopened", "Reopened a decision on a record"
    # The matching model (docs/matching.md, "Learning from the officers").
    MATCHING_LABELS_READ = "matching_labels_read", "Read as a decided pair to retrain matching"
    MATCHING_RETRAINED = "matching_retrained", "Retrained the matching model"
    MATCHING_MODEL_ADDED = "matching_model_added", "Kept a matching model"
    MATCHING_MODEL_SWITCHED = "matching_model_switched", "Switched the matching model in use"
    FLAG_RAISED = "flag_raised", "Raised a flag"
    FLAG_RESOLVED = "flag_resolved", "Resolved a flag"
    NOTE_ADDED = "note_added", "Added a note"
    DATES_RECORDED = "dates_recorded", "Recorded absence and leaving dates"
    PLAN_STARTED = "plan_started", "Started an action plan"
    ACTION_ADDED = "action_added", "Added an action to a plan"
    ACTION_DONE = "action_done", "Marked an action done"
    # For the steps still to come (enquiries, CME1, school returns, CTF transfers).
    ENQUIRY_SENT = "enquiry_sent", "Sent an enquiry"
    ENQUIRY_CHASED = "enquiry_chased", "Chased an enquiry"
    ENQUIRY_ESCALATED = "enquiry_escalated", "Escalated an unanswered enquiry"
    ENQUIRY_ANSWERED = "enquiry_answered", "Answered an enquiry"
    ENQUIRY_WITHDRAWN = "enquiry_withdrawn", "Withdrew an enquiry"
    PROVISION_OFFERED = "provision_offered", "Recorded a place offered"
    PROVISION_STARTED = "provision_started", "Recorded the start in provision"
    PROVISION_REVIEWED = "provision_reviewed", "Recorded attendance after the watch"
    PROVISION_WITHDRAWN = "provision_withdrawn", "Recorded a place declined or withdrawn"
    ENQUIRY_RECEIVED = "enquiry_received", "Sent this council an enquiry (another council's CME4)"
    LETTER_CHANGED = "letter_changed", "Changed the council's enquiry letter"
    CME1_SIGNED_OFF = "cme1_signed_off", "Signed off a CME1 checklist"
    RETURN_RECEIVED = "return_received", "Received a school return"
    CTF_SENT = "ctf_sent", "Sent a Common Transfer File"
    # Signing in and administering.
    SIGN_IN = "sign_in", "Signed in"
    SIGN_OUT = "sign_out", "Signed out"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in refused"
    LOCKED_OUT = "locked_out", "Locked out of sign-in"
    UNLOCKED = "unlocked", "Sign-in unlocked"
    ROLE_CHANGED = "role_changed", "Role changed"
    ENROLMENT_LINK_ISSUED = "enrol_link", "Authenticator set-up link issued"
    SECOND_FACTOR_RESET = "2fa_reset", "Authenticator reset"
    ADMIN_CHANGE = "admin_change", "Changed in the admin pages"
    # Reports (cme.reports): who ran which report for which date; a child list behind a
    # figure is audited as a list, one event per child.
    REPORT_RUN = "report_run", "Ran a report"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events cannot be deleted.")

    def bulk_create(self, objs: Iterable[AuditEvent], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for event in objs:
            _refuse_unchained(event)
        return super().bulk_create(objs, *args, **kwargs)


def _refuse_unchained(event: AuditEvent) -> None:
    if event.seq is None:
        raise PermissionError(
            "Write audit events through cme.audit.services, which puts them on the chain."
        )


class AuditEvent(models.Model):
    """Who did what to which record, when, from where. The database refuses edits too."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    # Kept as written so the trail still reads true if the account is renamed.
    actor_label = models.CharField(max_length=200)
    # No `choices` on the column: the verbs are checked where events are written
    # (cme.audit.services takes a Verb), so a new step's verb needs no migration of the trail.
    verb = models.CharField(max_length=40)
    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField(null=True, blank=True)
    # Not a foreign key: the trail must outlive the retention job's removal of a child.
    child_id = models.BigIntegerField(null=True, blank=True)
    source = models.CharField(max_length=10, default="web")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # The hash chain (cme/audit/chain.py, docs/audit.md): events numbered from 1 with no gaps,
    # each hash covering the event and the hash before it, so `cme verify-audit` finds an
    # event changed, removed or reordered behind the database's triggers.
    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["child_id", "-at"]),
            models.Index(fields=["subject_type", "subject_id", "-at"]),
            models.Index(fields=["actor", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.verb} {self.subject_type} {self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed.")
        _refuse_unchained(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events cannot be deleted.")

    def get_verb_display(self) -> str:
        try:
            return str(Verb(self.verb).label)
        except ValueError:
            return self.verb
