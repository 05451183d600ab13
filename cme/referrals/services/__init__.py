"""Every change to a referral: recording it as given, and triage's decision on it."""

from .decisions import ReferralDecision, referral_accept, referral_attach, referral_decline
from .recording import (
    describe_problems,
    new_reference,
    new_submission_key,
    referral_record,
    referral_sent_with,
)
from .staff import (
    ROUTE_FOR_ROLE,
    StaffReferralTerms,
    route_is_fixed,
    school_is_fixed,
    staff_referral_record,
    staff_referral_terms,
)

__all__ = [
    "ROUTE_FOR_ROLE",
    "ReferralDecision",
    "StaffReferralTerms",
    "describe_problems",
    "new_reference",
    "new_submission_key",
    "referral_accept",
    "referral_attach",
    "referral_decline",
    "referral_record",
    "referral_sent_with",
    "route_is_fixed",
    "school_is_fixed",
    "staff_referral_record",
    "staff_referral_terms",
]
