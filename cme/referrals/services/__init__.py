"""Every change to a referral: recording it as given, and triage's decision on it."""

from .decisions import ReferralDecision, referral_accept, referral_attach, referral_decline
from .recording import describe_problems, new_reference, referral_record
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
    "referral_accept",
    "referral_attach",
    "referral_decline",
    "referral_record",
    "route_is_fixed",
    "school_is_fixed",
    "staff_referral_record",
    "staff_referral_terms",
]
