"""Demo referrals (CME2): the child as the referrer described them, by each route."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from cme.accounts.models import Organisation, Role, User
from cme.cases.models import Case
from cme.referrals.models import Reason, Referral, ReferralStatus, Route

from .accounts import AGENCIES, Staff
from .children import ChildRecord
from .names import ADULT_MEN, ADULT_WOMEN, BOYS, GIRLS, SURNAMES
from .plans import Episode
from .schools import postcode

# The same alphabet as referrals.services.new_reference, drawn from the seeded generator.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
AGENCY_ROUTES = {
    Route.AGENCY: list(AGENCIES),
    Route.HEALTH: ["health"],
    Route.MARV: ["police", "social_care"],
    Route.AIM: ["police", "social_care"],
}
REFERRER_ROLES = {
    Route.SCHOOL: "Attendance lead",
    Route.REGISTER_AUDIT: "PAEWS officer",
    Route.OTHER_LA: "CME officer",
    Route.ONLINE: "Neighbour",
    Route.PHONE: "Relative",
    Route.PUPIL_WATCH: "Member of the public",
    Route.CALL_CENTRE: "Council call centre adviser",
    Route.COUNCIL_DEPARTMENT: "Council tax officer",
}


@dataclass
class ReferralMaker:
    rng: random.Random
    staff: Staff
    rows: list[Referral] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def reference(self) -> str:
        while True:
            body = "".join(self.rng.choice(REFERENCE_ALPHABET) for _ in range(8))
            reference = f"CME-{body[:4]}-{body[4:]}"
            if reference not in self.used:
                self.used.add(reference)
                return reference

    def described(self, record: ChildRecord) -> dict[str, str]:
        """What the referrer knew: often less than the register does, sometimes a bit wrong."""
        child, address = record.child, record.current_address
        vague = self.rng.random() < 0.3
        return {
            "forename": child.forename,
            "middle_names": "" if vague else child.middle_names,
            "surname": child.surname,
            "date_of_birth": "" if vague and self.rng.random() < 0.5 else str(child.date_of_birth),
            "sex": child.sex,
            "upn": "" if vague else child.upn,
            "address_line_1": address.line_1,
            "town": address.town,
            "postcode": address.postcode,
        }

    def _organisation(self, route: Route, case: Case | None) -> Organisation | None:
        orgs = self.staff.organisations
        if route in {Route.SCHOOL, Route.REGISTER_AUDIT} and case and case.school:
            return next(o for o in orgs.values() if o.establishment_id == case.school.pk)
        if route in AGENCY_ROUTES:
            return orgs[self.rng.choice(AGENCY_ROUTES[route])]
        if route == Route.OTHER_LA:
            return orgs[self.rng.choice(["la:343", "la:344"])]
        return None

    def _recorder(self, organisation: Organisation | None, officer: User) -> User:
        outside = {Role.SCHOOL_STAFF, Role.PARTNER_AGENCY, Role.OTHER_LA}
        for user in self.staff.users.values():
            if organisation and user.organisation is organisation and user.role in outside:
                return user
        return officer

    def _referral(
        self,
        route: Route,
        reason: Reason,
        received_on: date,
        described: dict[str, str],
        case: Case | None,
        officer: User,
        **extra: Any,
    ) -> Referral:
        organisation = self._organisation(route, case)
        women = self.rng.random() < 0.6
        referral = Referral(
            reference=self.reference(),
            route=route,
            reason=reason,
            received_on=received_on,
            described=described,
            details=f"{Reason(reason).label}. Reported by {Route(route).label.lower()}.",
            referrer_name=f"{self.rng.choice(ADULT_WOMEN if women else ADULT_MEN)} "
            f"{self.rng.choice(SURNAMES)}",
            referrer_role=REFERRER_ROLES.get(route, "Safeguarding lead"),
            referrer_phone=f"07700 900{self.rng.randint(0, 999):03d}",
            referring_organisation=organisation,
            school=case.school if case else None,
            recorded_by=self._recorder(organisation, officer),
            **extra,
        )
        if (
            referral.status != ReferralStatus.RECEIVED
            and referral.status != ReferralStatus.DECLINED
        ):
            referral.case = case
        self.rows.append(referral)
        return referral

    def _decided_at(self, day: date) -> datetime:
        moment = datetime.combine(day, time(self.rng.randint(9, 16), self.rng.randint(0, 59)))
        return min(timezone.make_aware(moment), timezone.now())

    def accepted(
        self, record: ChildRecord, episode: Episode, case: Case, officer: User
    ) -> Referral:
        """The referral the case was opened from."""
        return self._referral(
            episode.route,
            episode.reason,
            episode.opened_on - timedelta(days=self.rng.randint(0, 3)),
            self.described(record),
            case,
            officer,
            status=ReferralStatus.ACCEPTED,
            child=record.child,
            decided_at=self._decided_at(episode.opened_on),
        )

    def attached(self, record: ChildRecord, case: Case, day: date, officer: User) -> Referral:
        """Someone else reports the same child while the case is open: added to it."""
        route = Route(self.rng.choice([Route.SCHOOL, Route.AGENCY, Route.HEALTH, Route.PHONE]))
        return self._referral(
            route,
            Reason.WHEREABOUTS_UNKNOWN,
            day,
            self.described(record),
            case,
            officer,
            status=ReferralStatus.ATTACHED,
            child=record.child,
            decided_at=self._decided_at(day),
        )

    def undecided(self, as_of: date, officer: User, count: int) -> None:
        """Referrals waiting for triage, and a few declined: children not on the register."""
        for index in range(count):
            girl = self.rng.random() < 0.5
            born = as_of - timedelta(days=self.rng.randint(5 * 365 + 120, 15 * 365 + 300))
            described = {
                "forename": self.rng.choice(GIRLS if girl else BOYS),
                "middle_names": "",
                "surname": self.rng.choice(SURNAMES),
                "date_of_birth": str(born),
                "sex": "F" if girl else "M",
                "upn": "",
                "address_line_1": f"{self.rng.randint(1, 99)} Demo Street",
                "town": "Liverpool",
                "postcode": postcode(self.rng),
            }
            declined = index % 3 == 2
            received = as_of - timedelta(days=self.rng.randint(0, 6 if not declined else 60))
            extra: dict[str, Any] = {}
            if declined:
                extra = {
                    "status": ReferralStatus.DECLINED,
                    "decided_at": self._decided_at(received),
                    "decision_note": "Found on roll at a city school: not a CME case.",
                }
            route = Route(self.rng.choice([Route.ONLINE, Route.SCHOOL, Route.PHONE, Route.EMAIL]))
            self._referral(
                route, Reason.WHEREABOUTS_UNKNOWN, received, described, None, officer, **extra
            )

    def repeats(self, as_of: date, officer: User, children: list[Any], count: int) -> None:
        """New referrals, waiting for triage, of children the register already knows, as a
        referrer would describe them: a short name, a new address. Search before create
        should offer the known child."""
        short = {
            "Alfred": "Alfie",
            "Isabella": "Izzy",
            "Charlotte": "Charlie",
            "Evelyn": "Evie",
            "Thomas": "Tom",
            "William": "Will",
            "Oliver": "Ollie",
        }
        for child in self.rng.sample(children, count):
            described = {
                "forename": short.get(child.forename, child.forename),
                "middle_names": "",
                "surname": child.surname,
                "date_of_birth": str(child.date_of_birth),
                "sex": child.sex,
                "upn": "",
                "address_line_1": f"{self.rng.randint(1, 99)} Newmove Road",
                "town": "Liverpool",
                "postcode": postcode(self.rng),
            }
            received = as_of - timedelta(days=self.rng.randint(0, 4))
            self._referral(Route.PHONE, Reason.NEW_TO_CITY, received, described, None, officer)

    def save(self) -> None:
        Referral.objects.bulk_create(self.rows)
