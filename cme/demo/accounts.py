"""The demo authority's organisations and sign-ins: one or more users for every role."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password

from cme.accounts.models import Organisation, OrganisationKind, Role, User
from cme.accounts.services import system_admin_access_grant
from cme.schools.models import Establishment

from .names import ADULT_MEN, ADULT_WOMEN, SURNAMES

# Shared by every demo account; long enough for the validators, and says what it is.
DEMO_PASSWORD = "fictional-demo-341"  # noqa: S105 (published demo sign-in, not a secret)

AGENCIES = {
    "police": "Police Public Protection Unit (demo)",
    "health": "Community Health School Nursing (demo)",
    "yot": "Youth Offending Team (demo)",
    "housing": "Housing Options Service (demo)",
    "refuge": "Safe Harbour Women's Refuge (demo)",
    "social_care": "Children's Social Care (demo)",
}
OTHER_LAS = {"343": "Sefton Council CME team (demo)", "344": "Wirral Council CME team (demo)"}

# username, role, organisation key, job title. Organisation keys: "cme", "paews", an agency
# key, "la:CODE", or "school:PHASE" (the first open demo school of that phase).
SIGN_INS: list[tuple[str, Role, str, str]] = [
    ("officer", Role.CME_OFFICER, "cme", "CME pupil tracking officer"),
    ("officer2", Role.CME_OFFICER, "cme", "CME pupil tracking officer"),
    ("manager", Role.CME_MANAGER, "cme", "CME manager"),
    ("paews", Role.PAEWS_OFFICER, "paews", "Education welfare officer"),
    ("paews2", Role.PAEWS_OFFICER, "paews", "Education welfare officer"),
    ("paews3", Role.PAEWS_OFFICER, "paews", "Senior education welfare officer"),
    ("school", Role.SCHOOL_STAFF, "school:primary", "Attendance lead"),
    ("school2", Role.SCHOOL_STAFF, "school:secondary", "Designated safeguarding lead"),
    ("keyworker", Role.KEY_WORKER, "health", "School nurse"),
    ("keyworker2", Role.KEY_WORKER, "yot", "YOT case manager"),
    ("keyworker3", Role.KEY_WORKER, "social_care", "Social worker"),
    ("agency", Role.PARTNER_AGENCY, "police", "Police safeguarding officer"),
    ("agency2", Role.PARTNER_AGENCY, "refuge", "Refuge children's worker"),
    ("agency3", Role.PARTNER_AGENCY, "housing", "Housing officer"),
    ("otherla", Role.OTHER_LA, "la:343", "CME officer"),
    ("otherla2", Role.OTHER_LA, "la:344", "CME officer"),
    ("admin", Role.SYSTEM_ADMIN, "cme", "System administrator"),
]


@dataclass
class Staff:
    """The people and organisations the rest of the demo refers to."""

    users: dict[str, User] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    # The schools that have a demo sign-in: they get more than their share of cases.
    staffed_schools: list[Establishment] = field(default_factory=list)

    def by_role(self, role: Role) -> list[User]:
        return [u for u in self.users.values() if u.role == role]

    @property
    def officers(self) -> list[User]:
        return self.by_role(Role.CME_OFFICER)


def _organisations(schools: list[Establishment]) -> dict[str, Organisation]:
    orgs = {
        "cme": Organisation(
            name="Liverpool CME team (demo)", kind=OrganisationKind.CME_TEAM, la_code="341"
        ),
        "paews": Organisation(name="PAEWS (demo)", kind=OrganisationKind.PAEWS, la_code="341"),
    }
    orgs.update(
        {
            key: Organisation(name=name, kind=OrganisationKind.AGENCY)
            for key, name in AGENCIES.items()
        }
    )
    orgs.update(
        {
            f"la:{code}": Organisation(name=name, kind=OrganisationKind.OTHER_LA, la_code=code)
            for code, name in OTHER_LAS.items()
        }
    )
    orgs.update(
        {
            f"school:{i}": Organisation(
                name=s.name, kind=OrganisationKind.SCHOOL, establishment=s, la_code=s.la_code
            )
            for i, s in enumerate(schools)
        }
    )
    Organisation.objects.bulk_create(orgs.values())
    for phase in ("primary", "secondary"):
        first = next(s for s in schools if s.phase.lower() == phase and s.is_open)
        orgs[f"school:{phase}"] = orgs[f"school:{schools.index(first)}"]
    return orgs


def create_staff(rng: random.Random, schools: list[Establishment]) -> Staff:
    """Organisations, then users with the one demo password, then PAEWS officers on schools."""
    validate_password(DEMO_PASSWORD)
    password = make_password(DEMO_PASSWORD)  # hashed once: the same for every demo account
    staff = Staff(organisations=_organisations(schools))
    users = []
    for username, role, org_key, job_title in SIGN_INS:
        women = rng.random() < 0.6
        users.append(
            User(
                username=username,
                password=password,
                first_name=rng.choice(ADULT_WOMEN if women else ADULT_MEN),
                last_name=rng.choice(SURNAMES),
                email=f"{username}@demo.example.org",
                role=role,
                organisation=staff.organisations[org_key],
                job_title=job_title,
                phone=f"07700 900{rng.randint(0, 999):03d}",
            )
        )
    User.objects.bulk_create(users)
    for admin in (u for u in users if u.role == Role.SYSTEM_ADMIN):
        system_admin_access_grant(user=admin)  # staff with admin permissions, not a superuser
    staff.users = {u.username: u for u in users}
    staff.staffed_schools = [
        u.organisation.establishment
        for u in users
        if u.organisation is not None and u.organisation.establishment is not None
    ]
    paews = staff.by_role(Role.PAEWS_OFFICER)
    for index, school in enumerate(schools):
        school.paews_officer = paews[index % len(paews)]
    Establishment.objects.bulk_update(schools, ["paews_officer"])
    return staff


def existing_sign_ins() -> list[str]:
    """The sign-ins table for a demo loaded earlier (empty if these are not demo users)."""
    names = [name for name, *_ in SIGN_INS]
    found = {
        u.username: u
        for u in User.objects.filter(username__in=names).select_related("organisation")
    }
    return _table([found[n] for n in names if n in found]) if found else []


def sign_ins_table(staff: Staff) -> list[str]:
    """The lines `cme demo` prints: who to sign in as, to see the register as each role sees it."""
    return _table(list(staff.users.values()))


def _table(users: list[User]) -> list[str]:
    rows = [("Username", "Role", "Organisation")]
    rows += [(u.username, Role(u.role).label, str(u.organisation)) for u in users]
    width = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(width[i]) for i, cell in enumerate(r)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in width))
    lines.append(f"Every demo account's password is: {DEMO_PASSWORD}")
    return lines
