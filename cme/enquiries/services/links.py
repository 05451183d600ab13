"""Secure links for recipients with no account.

The token is 32 random bytes (`secrets.token_urlsafe`), shown once in the email and stored
only as its SHA-256 hash, as the API tokens and authenticator set-up links are. A link
expires (CME_ENQUIRY_LINK_DAYS), answers once, and is withdrawn when a chase sends a new one.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from ..models import Enquiry, EnquiryLink, State


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_issue(*, enquiry: Enquiry) -> str:
    """A new link for the enquiry (withdrawing any earlier one); returns the raw token."""
    now = timezone.now()
    EnquiryLink.objects.filter(
        enquiry=enquiry, used_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    token = secrets.token_urlsafe(32)
    EnquiryLink.objects.create(
        enquiry=enquiry,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.CME_ENQUIRY_LINK_DAYS),
    )
    return token


class LinkProblem(StrEnum):
    UNKNOWN = "unknown"  # no such link: mistyped, tampered with, or never issued
    EXPIRED = "expired"
    USED = "used"  # already answered through it
    WITHDRAWN = "withdrawn"  # a newer link was sent, or the enquiry was withdrawn
    ANSWERED = "answered"  # the enquiry was answered another way


PROBLEM_TEXT = {
    LinkProblem.UNKNOWN: (
        "This link is not one we sent. Check that you copied the whole link from the email."
    ),
    LinkProblem.EXPIRED: "This link has expired. Contact the CME team for a new one.",
    LinkProblem.USED: (
        "This link has already been used to answer the enquiry. It cannot be used again."
    ),
    LinkProblem.WITHDRAWN: (
        "This link has been replaced by a newer one. Use the link in the most recent email."
    ),
    LinkProblem.ANSWERED: "This enquiry has already been answered. Thank you.",
}


@dataclass(frozen=True)
class LinkCheck:
    link: EnquiryLink | None
    problem: LinkProblem | None

    @property
    def message(self) -> str:
        return PROBLEM_TEXT[self.problem] if self.problem else ""


def link_check(token: str, *, for_update: bool = False) -> LinkCheck:
    """Which link a token is, and whether it may still be used. Compares hashes only."""
    if not token or len(token) > 100:
        return LinkCheck(None, LinkProblem.UNKNOWN)
    qs = EnquiryLink.objects.select_related("enquiry", "enquiry__case", "enquiry__case__child")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    link = qs.filter(token_hash=token_hash(token)).first()
    if link is None:
        return LinkCheck(None, LinkProblem.UNKNOWN)
    if link.used_at is not None:
        return LinkCheck(link, LinkProblem.USED)
    if link.withdrawn_at is not None:
        return LinkCheck(link, LinkProblem.WITHDRAWN)
    if link.enquiry.state != State.OUTSTANDING:
        return LinkCheck(link, LinkProblem.ANSWERED)
    if timezone.now() >= link.expires_at:
        return LinkCheck(link, LinkProblem.EXPIRED)
    return LinkCheck(link, None)
