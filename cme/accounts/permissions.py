"""Who may do what. The one place permission is decided; selectors and views ask here.

Three questions, three answers:
- may this user do this kind of thing at all? `can` (below);
- which records? the scopes beside their models (cme.cases.scopes, cme.people.scopes,
  cme.referrals.scopes), from DESIGN.md section 1: the CME team the whole register, a PAEWS
  officer the cases and schools assigned to them, school staff their own school's pupils, a
  key worker the children assigned to them, a partner agency or another LA what it
  referred, a system administrator no child data at all;
- which parts of each record? `record_access` (cme.accounts.record_access).

This module imports no domain model: the apps above it ask it, never the reverse.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from .models import Role
from .record_access import REPORT_READERS, Access, Part, Relation, Report, record_access

__all__ = [
    "WHOLE_REGISTER",
    "Access",
    "Action",
    "Part",
    "Relation",
    "can",
    "is_staff_user",
    "record_access",
]

WHOLE_REGISTER = frozenset({Role.CME_OFFICER, Role.CME_MANAGER})


class Action(StrEnum):
    VIEW_REGISTER = "view_register"
    RECORD_REFERRAL = "record_referral"
    TRIAGE = "triage"  # open a case from a referral, move it on, assign workers
    CLOSE_CASE = "close_case"
    REOPEN_CASE = "reopen_case"
    ADD_NOTE = "add_note"
    VIEW_AUDIT = "view_audit"
    IMPORT_REFERENCE_DATA = "import_reference_data"
    MANAGE_ACCOUNTS = "manage_accounts"  # roles, sign-in unlocks, authenticator set-up links
    APPROVE_KEY_WORK = "approve_key_work"  # which organisations' staff may be key workers
    # The monitoring reports (cme.reports): figures for the whole authority; the children
    # behind a figure are listed only as far as the reader's scope reaches.
    VIEW_REPORTS = "view_reports"
    # Partner extracts (aggregates, small numbers suppressed) for circulation.
    PUBLISH_EXTRACTS = "publish_extracts"
    # The children not in school register (EA 1996 s.436B, not yet commenced).
    VIEW_NOT_IN_SCHOOL = "view_not_in_school"
    ANSWER_ENQUIRY = "answer_enquiry"  # answer enquiries sent to one's school or council
    EDIT_LETTERS = "edit_letters"  # the council's letterhead, signatory and letter wording
    # Schools' PAEWS officers, the partner agencies, the council's public contact details.
    MANAGE_REFERENCE_DATA = "manage_reference_data"
    # Retrain the child-matching model from the officers' decisions, switch the one in use.
    MANAGE_MATCHING = "manage_matching"


_ALLOWED: dict[Action, frozenset[str]] = {
    Action.VIEW_REGISTER: frozenset(
        {
            *WHOLE_REGISTER,
            Role.PAEWS_OFFICER,
            Role.SCHOOL_STAFF,
            Role.KEY_WORKER,
            Role.PARTNER_AGENCY,
            Role.OTHER_LA,
        }
    ),
    Action.RECORD_REFERRAL: frozenset(
        {
            *WHOLE_REGISTER,
            Role.PAEWS_OFFICER,
            Role.SCHOOL_STAFF,
            Role.PARTNER_AGENCY,
            Role.OTHER_LA,
        }
    ),
    Action.TRIAGE: frozenset(WHOLE_REGISTER),
    Action.CLOSE_CASE: frozenset(WHOLE_REGISTER),
    Action.REOPEN_CASE: frozenset(WHOLE_REGISTER),
    Action.ADD_NOTE: frozenset({*WHOLE_REGISTER, Role.PAEWS_OFFICER, Role.KEY_WORKER}),
    Action.VIEW_AUDIT: frozenset({Role.CME_MANAGER}),
    Action.MANAGE_MATCHING: frozenset({Role.CME_MANAGER}),
    Action.IMPORT_REFERENCE_DATA: frozenset({Role.SYSTEM_ADMIN, Role.CME_MANAGER}),
    Action.MANAGE_ACCOUNTS: frozenset({Role.CME_MANAGER}),
    Action.APPROVE_KEY_WORK: frozenset({Role.CME_MANAGER}),
    # Who reads which report is decided with the parts of a record (record_access.Report).
    Action.VIEW_REPORTS: REPORT_READERS[Report.MONITORING],
    Action.PUBLISH_EXTRACTS: REPORT_READERS[Report.EXTRACTS],
    Action.VIEW_NOT_IN_SCHOOL: REPORT_READERS[Report.NOT_IN_SCHOOL],
    # Schools answer CME3a, other councils CME4 and CME5a, agencies their checks; the CME team
    # answers the CME4s other councils send it, after its own check.
    Action.ANSWER_ENQUIRY: frozenset(
        {*WHOLE_REGISTER, Role.SCHOOL_STAFF, Role.OTHER_LA, Role.PARTNER_AGENCY}
    ),
    Action.EDIT_LETTERS: frozenset({Role.CME_MANAGER}),
    Action.MANAGE_REFERENCE_DATA: frozenset({Role.CME_MANAGER}),
}


def is_staff_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can(user: Any, action: Action) -> bool:
    """May this user do this kind of thing at all? (Which records is `case_scope`'s job, which
    parts of them `record_access`'s.)"""
    return is_staff_user(user) and user.role in _ALLOWED[action]
