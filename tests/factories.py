"""One factory per meaningful state, so a test says what it needs in a word."""

from __future__ import annotations

import factory
from django.utils import timezone

from cme.accounts.models import Organisation, OrganisationKind, Role, User
from cme.cases import due
from cme.cases.history import steps_from_timeline
from cme.cases.models import Case, CaseStatus, CaseStatusChange, Outcome
from cme.people.models import Child, Sex
from cme.referrals.models import Reason, Referral, ReferralStatus, Route
from cme.schools.models import Establishment


class EstablishmentFactory(factory.django.DjangoModelFactory[Establishment]):
    class Meta:
        model = Establishment

    urn = factory.Sequence(lambda n: 100000 + n)
    la_code = "341"
    la_name = "Liverpool"
    establishment_number = factory.Sequence(lambda n: f"{2000 + n}")
    laestab = factory.LazyAttribute(lambda o: f"{o.la_code}{o.establishment_number}")
    name = factory.Sequence(lambda n: f"Fictional Primary School {n}")
    type = "Community school"
    phase = "Primary"
    status = "Open"
    postcode = "L1 1AA"


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        # The policy's partner agencies ("Police", ...) are seeded by a migration: a test that
        # names one gets the seeded organisation (with the test's values, below).
        django_get_or_create = ("name",)

    @classmethod
    def _get_or_create(
        cls, model_class: type[Organisation], *args: object, **kwargs: object
    ) -> Organisation:
        organisation = super()._get_or_create(model_class, *args, **kwargs)
        changed = [k for k, v in kwargs.items() if k != "name" and getattr(organisation, k) != v]
        for name in changed:
            setattr(organisation, name, kwargs[name])
        if changed:
            organisation.save()
        return organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.CME_TEAM


class SchoolOrganisationFactory(OrganisationFactory):
    kind = OrganisationKind.SCHOOL
    establishment = factory.SubFactory(EstablishmentFactory)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Worker{n}")
    role = Role.CME_OFFICER
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("a long test password")


class ChildFactory(factory.django.DjangoModelFactory[Child]):
    class Meta:
        model = Child

    forename = "Alfie"
    surname = factory.Sequence(lambda n: f"Testchild{n}")
    date_of_birth = factory.LazyFunction(
        lambda: timezone.localdate().replace(year=timezone.localdate().year - 10, day=1)
    )
    sex = Sex.MALE
    fictional = True


class ReferralFactory(factory.django.DjangoModelFactory[Referral]):
    class Meta:
        model = Referral

    reference = factory.Sequence(lambda n: f"CME-TEST-{n:04d}")
    route = Route.PHONE
    reason = Reason.WHEREABOUTS_UNKNOWN
    received_on = factory.LazyFunction(timezone.localdate)
    described = factory.LazyFunction(
        lambda: {"forename": "Evie", "surname": "Described", "date_of_birth": "2015-03-31"}
    )
    status = ReferralStatus.RECEIVED


class OpenCaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    child = factory.SubFactory(ChildFactory)
    status = CaseStatus.CHECKING
    opened_on = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))

    @factory.post_generation
    def history(obj: Case, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """The status history the services would have written: opened as referred, then the
        case's state on its opening day (closed on its closing date). `history=False` skips it,
        for a case recorded before the history was kept."""
        if not create or extracted is False:
            return
        CaseStatusChange.objects.bulk_create(
            CaseStatusChange(
                case=obj,
                status=step.status,
                outcome=step.outcome,
                effective_on=step.effective_on,
                recorded_at=timezone.now(),
            )
            for step in steps_from_timeline(
                opened_on=obj.opened_on,
                status=obj.status,
                outcome=obj.outcome,
                closed_on=obj.closed_on,
                events=[],
            )
        )

    @factory.post_generation
    def due_dates(obj: Case, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """The due dates the services would have stored (cme.cases.due)."""
        if create:
            due.refresh(obj)


class ClosedCaseFactory(OpenCaseFactory):
    status = CaseStatus.CLOSED
    outcome = Outcome.ON_ROLL
    closed_on = factory.LazyFunction(timezone.localdate)
