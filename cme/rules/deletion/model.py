"""The shapes shared by both rule sets: a ground, the facts of a case, an assessment."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from cme.rules.regulations import RuleSet


class AgeStatus(enum.Enum):
    COMPULSORY = "of compulsory school age"
    NOT_COMPULSORY = "not of compulsory school age"


class Wording(enum.Enum):
    """How sure the statutory wording is, per registration-law.md's legend."""

    VERBATIM = "verbatim from legislation.gov.uk or an amending SI"
    INFERRED = "inferred by applying amendments or cross-references"
    PARAPHRASE = "paraphrased from guidance or an LA form"
    UNVERIFIED = "UNVERIFIED: statutory text not seen; check legislation.gov.uk"


class Condition(enum.Enum):
    """One limb of a ground, tested against DeletionFacts by ``assess.py``."""

    SAO_CHANGED = "school attendance order amended or revoked"
    REGISTERED_ELSEWHERE = "registered at another school"
    OTHER_SCHOOLS_CONSENTED = "every other school consented"
    CEASED_TO_ATTEND = "ceased to attend"
    NOT_EXPECTED_BACK = "no reasonable grounds to expect the pupil back"
    PARENT_NOTICE_HOME_EDUCATION = "parent's written notice of education otherwise than at school"
    MOVED_AWAY = "no longer lives within reasonable distance"
    LEAVE_NOT_RETURNED = "not back within 10 school days after leave of absence"
    CONTINUOUS_ABSENCE = "20 school days of continuous unauthorised absence"
    NO_SICKNESS_GROUNDS = "no reasonable grounds to think sickness or unavoidable cause"
    JOINT_ENQUIRIES_FAILED = "joint school and LA enquiries failed to find the pupil"
    MEDICALLY_UNFIT = "medically unfit, not returning before end of compulsory school age"
    DETAINED = "detained under an order of at least four months"
    DIED = "died"
    CEASES_CSA = "ceases compulsory school age and is not staying on"
    CEASED_PUPIL_NON_MAINTAINED = "ceased to be a pupil of an independent or non-maintained school"
    PERMANENTLY_EXCLUDED = "permanently excluded"
    NURSERY_NOT_TRANSFERRING = "nursery pupil not transferring to reception"
    BOARDING_UNPAID = "boarding charges unpaid at end of term"


@dataclass(frozen=True)
class DeletionGround:
    """One statutory ground for deleting a pupil's name from the admission register."""

    key: str  # e.g. "2024:9(1)(i)"
    rule_set: RuleSet
    provision: str  # e.g. "reg 9(1)(i)"
    age: AgeStatus
    title: str
    conditions: tuple[Condition, ...]
    evidence: tuple[str, ...]
    counterparts: tuple[str, ...] = ()
    joint_enquiries: bool = False
    notify_la: bool = True
    missing_or_moved: bool = False  # the local policy's rules for missing children apply
    wording: Wording = Wording.VERBATIM
    in_force_from: dt.date | None = None
    source: str = ""

    @property
    def citation(self) -> str:
        return f"{self.rule_set.title}, {self.provision}"


@dataclass(frozen=True, kw_only=True)
class DeletionFacts:
    """What is known about the case. Every field defaults to "not shown"."""

    # Continuous absence: school days, and every session's attendance code in that period.
    continuous_absence_school_days: int = 0
    absence_codes: tuple[str, ...] = ()
    sickness_or_unavoidable_cause_believed: bool = False
    # Enquiries into where the pupil is.
    school_enquiries_made: bool = False
    la_enquiries_made: bool = False
    whereabouts_known: bool = False
    enquiries_started_on: dt.date | None = None
    cme1_signed_off: bool = False
    # School days the signed-off CME1's enquiries ran to the deletion, counted on the school's
    # calendar (cme.rules.cme1); None when the register holds no CME1.
    enquiry_school_days: int | None = None
    # SI 2024/208 reg 9(1)(h)(iii)(bb), (i)(iii)(bb): found, and the school and the council
    # agree there are no reasonable grounds to believe the pupil will attend again.
    agreed_will_not_return: bool = False
    # Moving home.
    new_address_in_same_la: bool = False
    on_another_roll_in_la: bool = False
    lives_beyond_reasonable_distance: bool = False
    boarder: bool = False
    # Travellers (Liverpool policy FAQ 7).
    traveller: bool = False
    traveller_left_on: dt.date | None = None
    traveller_return_date: dt.date | None = None
    # Leave of absence.
    leave_ended_on: dt.date | None = None
    school_days_since_leave_ended: int = 0
    # Other grounds.
    ceased_to_attend: bool = False
    expected_to_attend_again: bool = False
    registered_at_another_school: bool = False
    dual_registration_agreed: bool = False
    other_schools_consented: bool = False
    sao_names_this_school: bool = False
    sao_amended_or_revoked: bool = False
    parent_written_notice_home_education: bool = False
    medically_unfit: bool = False
    detention_order_months: int = 0
    expected_back_after_detention: bool = False
    died: bool = False
    ceases_csa_before_school_next_meets: bool = False
    leaving_indicated_or_no_sixth_form_place: bool = False
    ceased_to_be_pupil: bool = False
    permanently_excluded: bool = False
    nursery_completed_not_transferring: bool = False
    boarding_charges_unpaid_at_term_end: bool = False
    completed_final_year: bool = False


@dataclass(frozen=True)
class DeletionAssessment:
    """Whether a deletion is lawful and, if not, every reason why."""

    lawful: bool
    ground: DeletionGround
    rule_set: RuleSet
    reasons: tuple[str, ...]
    la_notification_required: bool
    notes: tuple[str, ...] = ()
