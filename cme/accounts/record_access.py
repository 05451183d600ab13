"""Need to know: which parts of a child's record each reader may read and write.

`case_scope` and its siblings decide *which* records a user reaches; this module decides what
of each record they see, from their role and their relationship to the case, and nothing
else. It is the one place that decision is made: the pages, the API and the exports build a
record view that carries only the parts allowed here (cme.cases.record_view), so a template
cannot show what this withholds. docs/access.md is the table of this decision; a test keeps
the two the same.

DESIGN.md section 6: a school needs to know a pupil is on the register, not the safeguarding
detail; a referring agency needs the outcome, not the file; an address can be withheld from
all but the CME team. The policy names the key worker as the person who "keeps the officer
updated" and owns the action plan, and PAEWS as the service making home visits, so both
work from the child's details; child protection stays with children's social care, whose
key workers (and the PAEWS officer) see the safeguarding flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .models import Role


class Part(StrEnum):
    """What a child's record holds, grouped by who needs it."""

    STATUS = "status"
    WORKERS = "workers"
    IDENTITY = "identity"
    CONTACT = "contact"
    CARERS = "carers"
    NEEDS = "needs"
    SAFEGUARDING = "safeguarding"
    NOTES = "notes"
    PLAN = "plan"
    CHECKS = "checks"
    REFERRALS = "referrals"
    ENQUIRIES = "enquiries"
    AUDIT = "audit"


PART_LABELS: dict[Part, str] = {
    Part.STATUS: "Case status and outcome (status, outcome, dates opened and closed)",
    Part.WORKERS: "Named workers and deadlines (key worker, PAEWS officer, statutory clocks)",
    Part.IDENTITY: "Identity (names, former names, date of birth, sex, UPN, last school)",
    Part.CONTACT: "Contact details and addresses (a 'do not share' address: CME team only)",
    Part.CARERS: "Parents and carers (names, phones, emails, addresses)",
    Part.NEEDS: (
        "Risk factors and needs (risk factors with their dates, SEN support, EHC plan and its "
        "council, looked after and by whom, young carer, Youth Offending Team)"
    ),
    Part.SAFEGUARDING: "Safeguarding flags, child protection plan and child in need plan",
    Part.NOTES: "Case notes and timeline (each note as far as it is shared)",
    Part.PLAN: "Action plan, and the provision the child is placed in (docs/provision.md)",
    Part.CHECKS: "Checks and matches",
    Part.REFERRALS: "Referrals on the case",
    Part.ENQUIRIES: (
        "Enquiries to locate the child (CME3a/3b, CME4, CME5a/5b, home visits, agency checks, "
        "S2S and lost pupil searches) and their answers"
    ),
    Part.AUDIT: "Audit (who looked at or changed the record)",
}


class Relation(StrEnum):
    """How a user stands to one case. Being in the CME team is a role, not a relation."""

    KEY_WORKER = "key_worker"  # named as the case's key worker
    SAFEGUARDING_KEY_WORKER = "safeguarding_key_worker"  # ... from social care or similar
    PAEWS_OFFICER = "paews_officer"  # named on the case, or the PAEWS officer of its school
    SCHOOL = "school"  # staff of the school the child was last on roll at
    REFERRER = "referrer"  # of the organisation that referred the child


class Reader(StrEnum):
    """The rows of the access table: a role, or a relationship to the case."""

    CME_OFFICER = "cme_officer"
    CME_MANAGER = "cme_manager"
    PAEWS_OFFICER = "paews_officer"
    KEY_WORKER = "key_worker"
    SAFEGUARDING_KEY_WORKER = "safeguarding_key_worker"
    SCHOOL = "school"
    REFERRER = "referrer"
    OTHER_COUNCIL = "other_council"
    SYSTEM_ADMIN = "system_admin"


READER_LABELS: dict[Reader, str] = {
    Reader.CME_OFFICER: "CME officer",
    Reader.CME_MANAGER: "CME manager",
    Reader.PAEWS_OFFICER: "PAEWS officer named on the case, or the school's PAEWS officer",
    Reader.KEY_WORKER: "Named key worker",
    Reader.SAFEGUARDING_KEY_WORKER: "Named key worker from social care or a safeguarding role",
    Reader.SCHOOL: "Staff of the school the child was last on roll at",
    Reader.REFERRER: "The referring organisation (a partner agency, or a school referring)",
    Reader.OTHER_COUNCIL: "Another council that referred the child",
    Reader.SYSTEM_ADMIN: "System administrator",
}


@dataclass(frozen=True)
class Access:
    read: frozenset[Part]
    write: frozenset[Part]
    # Which notes the reader sees, by cme.cases.models.SharedWith value ("cme_team" means all).
    notes_shared_with: frozenset[str]

    @property
    def whole_record(self) -> bool:
        """Sees every address as it is, every note: the CME team."""
        return "cme_team" in self.notes_shared_with

    def reads(self, part: Part) -> bool:
        return part in self.read

    def writes(self, part: Part) -> bool:
        return part in self.write


NOTHING = Access(frozenset(), frozenset(), frozenset())

_ALL_NOTES = frozenset({"cme_team", "workers", "school"})
_WORKERS_NOTES = frozenset({"workers", "school"})
_SCHOOL_NOTES = frozenset({"school"})

_CASEWORK = frozenset(
    {
        Part.STATUS,
        Part.WORKERS,
        Part.IDENTITY,
        Part.CONTACT,
        Part.CARERS,
        Part.NEEDS,
        Part.NOTES,
        Part.PLAN,
        Part.REFERRALS,
    }
)

# Each reader's parts: (read, write, notes it sees).
_TABLE: dict[Reader, Access] = {
    Reader.CME_OFFICER: Access(
        frozenset(Part) - {Part.AUDIT}, frozenset(Part) - {Part.AUDIT}, _ALL_NOTES
    ),
    Reader.CME_MANAGER: Access(frozenset(Part), frozenset(Part) - {Part.AUDIT}, _ALL_NOTES),
    # PAEWS makes the home visits (policy: "if an EMS search is not productive a referral
    # will be made to PAEWS"), so it reads the enquiries and records its visits among them;
    # on a visit it finds the family moved, or a new partner at home, so it corrects
    # addresses and carers as well as writing notes and raising concerns.
    Reader.PAEWS_OFFICER: Access(
        _CASEWORK | {Part.SAFEGUARDING, Part.ENQUIRIES},
        frozenset({Part.NOTES, Part.SAFEGUARDING, Part.ENQUIRIES, Part.CONTACT, Part.CARERS}),
        _WORKERS_NOTES,
    ),
    Reader.KEY_WORKER: Access(_CASEWORK, frozenset({Part.NOTES, Part.PLAN}), _WORKERS_NOTES),
    Reader.SAFEGUARDING_KEY_WORKER: Access(
        _CASEWORK | {Part.SAFEGUARDING},
        frozenset({Part.NOTES, Part.PLAN, Part.SAFEGUARDING}),
        _WORKERS_NOTES,
    ),
    # The school knows its pupil; it hears the status, and what is shared with it.
    Reader.SCHOOL: Access(
        frozenset({Part.STATUS, Part.IDENTITY, Part.NOTES}), frozenset(), _SCHOOL_NOTES
    ),
    Reader.REFERRER: Access(frozenset({Part.STATUS}), frozenset(), frozenset()),
    Reader.OTHER_COUNCIL: Access(frozenset({Part.STATUS}), frozenset(), frozenset()),
    Reader.SYSTEM_ADMIN: NOTHING,
}

# Which relations each role can hold. Another council is an enquiry partner, never a key
# worker (and its enquiries come later); only PAEWS officers act as PAEWS; only school staff
# as the school.
_RELATIONS_FOR_ROLE: dict[str, frozenset[Relation]] = {
    Role.PAEWS_OFFICER: frozenset({Relation.PAEWS_OFFICER, Relation.KEY_WORKER, Relation.REFERRER}),
    Role.SCHOOL_STAFF: frozenset(
        {Relation.SCHOOL, Relation.KEY_WORKER, Relation.SAFEGUARDING_KEY_WORKER, Relation.REFERRER}
    ),
    Role.KEY_WORKER: frozenset({Relation.KEY_WORKER, Relation.SAFEGUARDING_KEY_WORKER}),
    Role.PARTNER_AGENCY: frozenset(
        {Relation.KEY_WORKER, Relation.SAFEGUARDING_KEY_WORKER, Relation.REFERRER}
    ),
    Role.OTHER_LA: frozenset({Relation.REFERRER}),
}

_READER_FOR_RELATION: dict[Relation, Reader] = {
    Relation.KEY_WORKER: Reader.KEY_WORKER,
    Relation.SAFEGUARDING_KEY_WORKER: Reader.SAFEGUARDING_KEY_WORKER,
    Relation.PAEWS_OFFICER: Reader.PAEWS_OFFICER,
    Relation.SCHOOL: Reader.SCHOOL,
    Relation.REFERRER: Reader.REFERRER,
}


def readers(role: str, relations: frozenset[Relation]) -> frozenset[Reader]:
    """The rows of the table that apply to this user on this case."""
    if role == Role.CME_OFFICER:
        return frozenset({Reader.CME_OFFICER})
    if role == Role.CME_MANAGER:
        return frozenset({Reader.CME_MANAGER})
    held = relations & _RELATIONS_FOR_ROLE.get(role, frozenset())
    if role == Role.OTHER_LA:
        return frozenset({Reader.OTHER_COUNCIL}) if held else frozenset()
    return frozenset(_READER_FOR_RELATION[relation] for relation in held)


def record_access(role: str, relations: frozenset[Relation]) -> Access:
    """The parts of one case's record a user may read and write: the union of every row of
    the table that applies to them. Nothing for a role or relation not listed."""
    rows = [_TABLE[reader] for reader in readers(role, relations)]
    return Access(
        read=frozenset().union(*(row.read for row in rows)),
        write=frozenset().union(*(row.write for row in rows)),
        notes_shared_with=frozenset().union(*(row.notes_shared_with for row in rows)),
    )


def combine(accesses: list[Access]) -> Access:
    """What a reader sees of a child across the cases they may see (the child's page)."""
    return Access(
        read=frozenset().union(*(a.read for a in accesses)),
        write=frozenset().union(*(a.write for a in accesses)),
        notes_shared_with=frozenset().union(*(a.notes_shared_with for a in accesses)),
    )


class SearchDetail(StrEnum):
    """What the recipient of an enquiry is told about the child: only what it needs to search
    its own records (a roll, another council's register, an agency's files)."""

    NAME = "name"
    FORMER_NAMES = "former_names"
    DATE_OF_BIRTH = "date_of_birth"
    SEX = "sex"
    UPN = "upn"
    LAST_SCHOOL = "last_school"
    LAST_ADDRESS = "last_address"
    OFFICER = "officer"


SEARCH_DETAIL_LABELS: dict[SearchDetail, str] = {
    SearchDetail.NAME: "Name",
    SearchDetail.FORMER_NAMES: "Former names",
    SearchDetail.DATE_OF_BIRTH: "Date of birth",
    SearchDetail.SEX: "Sex",
    SearchDetail.UPN: "UPN",
    SearchDetail.LAST_SCHOOL: "Last school",
    SearchDetail.LAST_ADDRESS: "Last known address (never one marked 'do not share')",
    SearchDetail.OFFICER: "The CME officer handling the case (name, phone, email)",
}

_ROLL_SEARCH = frozenset(
    {
        SearchDetail.NAME,
        SearchDetail.FORMER_NAMES,
        SearchDetail.DATE_OF_BIRTH,
        SearchDetail.SEX,
        SearchDetail.UPN,
    }
)

# By kind of enquiry (cme.enquiries.models.Kind values). A school searches its roll by name,
# date of birth and UPN; a council also needs where the family lived and the last school to
# search its own register and admissions; the receiving council of a child moving out (CME5a)
# also gets the officer to agree actions with. An agency searches its files by name, date of
# birth and address. Home visits and the S2S searches go to nobody outside the council.
RECIPIENT_SEES: dict[str, frozenset[SearchDetail]] = {
    "cme3a": _ROLL_SEARCH,
    "cme4": _ROLL_SEARCH | {SearchDetail.LAST_SCHOOL, SearchDetail.LAST_ADDRESS},
    "cme5a": _ROLL_SEARCH
    | {SearchDetail.LAST_SCHOOL, SearchDetail.LAST_ADDRESS, SearchDetail.OFFICER},
    "agency_check": frozenset(
        {
            SearchDetail.NAME,
            SearchDetail.FORMER_NAMES,
            SearchDetail.DATE_OF_BIRTH,
            SearchDetail.LAST_ADDRESS,
        }
    ),
    "home_visit": frozenset(),
    "s2s_search": frozenset(),
    "lost_pupil_search": frozenset(),
}


def recipient_sees(kind: str) -> frozenset[SearchDetail]:
    """What the recipient of this kind of enquiry is told about the child; nothing if unknown."""
    return RECIPIENT_SEES.get(kind, frozenset())


# Another council's CME4 to this council (cme.enquiries.IncomingEnquiry) is not a record of
# one of our children: it holds what a CME4 recipient is told (above, less our officer), and
# only the CME team, who check and answer it, and the council that sent it read it.
INCOMING_HOLDS: frozenset[SearchDetail] = RECIPIENT_SEES["cme4"]


def may_read_incoming(role: str, *, sender: bool) -> bool:
    """Whether a user reads another council's CME4: the CME team reads every one; another
    council's staff (`sender`: of the council that sent it) only their own."""
    if role in {Role.CME_OFFICER, Role.CME_MANAGER}:
        return True
    return role == Role.OTHER_LA and sender


def recipient_table() -> str:
    """The recipients' decision as a Markdown table: docs/access.md carries exactly this."""
    header = ["Enquiry", *(detail.value for detail in SearchDetail)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for kind, details in RECIPIENT_SEES.items():
        lines.append(
            f"| {kind} | "
            + " | ".join("yes" if d in details else "no" for d in SearchDetail)
            + " |"
        )
    lines.append("")
    lines.append("| Detail | What it is |")
    lines.append("|---|---|")
    lines += [f"| {d.value} | {SEARCH_DETAIL_LABELS[d]} |" for d in SearchDetail]
    return "\n".join(lines)


def access_table() -> str:
    """The decision as a Markdown table: docs/access.md carries exactly this."""
    header = ["Reader", *(part.value for part in Part)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for reader, row in _TABLE.items():
        cells = [
            "read, write" if part in row.write else "read" if part in row.read else "no"
            for part in Part
        ]
        lines.append(f"| {READER_LABELS[reader]} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("| Part | What it holds |")
    lines.append("|---|---|")
    lines += [f"| {part.value} | {PART_LABELS[part]} |" for part in Part]
    return "\n".join(lines)


# The CME1 checklist (cme.checklist, docs/cme1.md): a school's enquiries for a pupil whose
# whereabouts are unknown. The school works it for its own pupils; the PAEWS officer it is
# sent to adds the council's steps and signs it off or returns it (policy FAQ 4: "the
# signature of your PAEWS Officer"); the CME team reads them all and adds its own checks.


class Cme1Right(StrEnum):
    READ = "read"
    ADD_STEPS = "add steps"
    OPEN_AND_SEND = "open and send"
    SIGN_OFF_OR_RETURN = "sign off or return"


class Cme1Reader(StrEnum):
    CME_TEAM = "cme_team"
    PAEWS_SENT_TO = "paews_sent_to"
    SCHOOL = "school"
    ANYONE_ELSE = "anyone_else"


CME1_READER_LABELS: dict[Cme1Reader, str] = {
    Cme1Reader.CME_TEAM: "CME officer, CME manager: every checklist",
    Cme1Reader.PAEWS_SENT_TO: "The PAEWS officer a checklist was sent to",
    Cme1Reader.SCHOOL: "Staff of the pupil's school: their own school's checklists",
    Cme1Reader.ANYONE_ELSE: "Anyone else (another PAEWS officer, another school, key workers, "
    "agencies, other councils, system administrators)",
}

_CME1: dict[Cme1Reader, frozenset[Cme1Right]] = {
    Cme1Reader.CME_TEAM: frozenset({Cme1Right.READ, Cme1Right.ADD_STEPS}),
    Cme1Reader.PAEWS_SENT_TO: frozenset(
        {Cme1Right.READ, Cme1Right.ADD_STEPS, Cme1Right.SIGN_OFF_OR_RETURN}
    ),
    Cme1Reader.SCHOOL: frozenset({Cme1Right.READ, Cme1Right.ADD_STEPS, Cme1Right.OPEN_AND_SEND}),
    Cme1Reader.ANYONE_ELSE: frozenset(),
}


def cme1_reader(role: str, *, own_school: bool, sent_to_them: bool) -> Cme1Reader:
    """How a user stands to one checklist: `own_school`, they are staff of the pupil's
    school; `sent_to_them`, they are the PAEWS officer it was sent to."""
    if role in {Role.CME_OFFICER, Role.CME_MANAGER}:
        return Cme1Reader.CME_TEAM
    if role == Role.PAEWS_OFFICER and sent_to_them:
        return Cme1Reader.PAEWS_SENT_TO
    if role == Role.SCHOOL_STAFF and own_school:
        return Cme1Reader.SCHOOL
    return Cme1Reader.ANYONE_ELSE


def cme1_rights(role: str, *, own_school: bool, sent_to_them: bool) -> frozenset[Cme1Right]:
    """What a user may do with one CME1 checklist; nothing at all means it is not theirs to
    see (404, as a missing one)."""
    return _CME1[cme1_reader(role, own_school=own_school, sent_to_them=sent_to_them)]


def cme1_table() -> str:
    """The CME1 decision as a Markdown table: docs/access.md carries exactly this."""
    header = ["Reader", *(right.value for right in Cme1Right)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for reader, rights in _CME1.items():
        cells = ["yes" if right in rights else "no" for right in Cme1Right]
        lines.append(f"| {CME1_READER_LABELS[reader]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


class Report(StrEnum):
    """The monitoring reports (cme.reports), each read by the roles below and no other."""

    # The DfE termly return and the management team's pack, with the children behind a figure.
    MONITORING = "monitoring"
    # Partner extracts: aggregates with small numbers hidden, for circulation outside the team.
    EXTRACTS = "extracts"
    # Every child the council knows is not in school, with their parents and education: the
    # register Education Act 1996 s.436B (inserted by the Children's Wellbeing and Schools Act
    # 2026 s.38, not yet commenced) will require.
    NOT_IN_SCHOOL = "not_in_school"


REPORT_LABELS: dict[Report, str] = {
    Report.MONITORING: "DfE termly return and management team pack (figures, the children "
    "behind a figure)",
    Report.EXTRACTS: "Partner extracts (aggregates, small numbers hidden)",
    Report.NOT_IN_SCHOOL: "Children not in school (names, addresses, parents, education)",
}

# The policy sends the monitoring "to the Children's Services Management Team" and "annually
# for wider circulation", and circulates reports to partner agencies, PAEWS among them (its
# list of partner agencies and services). DESIGN.md gives reports to the CME manager's row and
# a PAEWS officer the cases and schools assigned to them. So a PAEWS officer receives what
# partners receive, the extracts a manager circulates, not the unrounded whole-authority
# figures, whose small cells (one girl in Year 3 with a given reason) can name a child outside
# their cases. CME officers prepare the DfE return and check it against the children behind
# it, all of whom they already see. The children not in school register gathers every such
# child with parents and home addresses in one list: the manager's, who answers for the
# council's register (docs/access.md).
REPORT_READERS: dict[Report, frozenset[str]] = {
    Report.MONITORING: frozenset({Role.CME_OFFICER, Role.CME_MANAGER}),
    Report.EXTRACTS: frozenset({Role.CME_MANAGER}),
    Report.NOT_IN_SCHOOL: frozenset({Role.CME_MANAGER}),
}


def may_read_report(role: str, report: Report) -> bool:
    return role in REPORT_READERS[report]


def reports_table() -> str:
    """Who reads each report, as a Markdown table: docs/access.md carries exactly this."""
    header = ["Role", *(report.value for report in Report)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for role in Role:
        cells = ["yes" if may_read_report(role, report) else "no" for report in Report]
        lines.append(f"| {role.label} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("| Report | What it shows |")
    lines.append("|---|---|")
    lines += [f"| {report.value} | {REPORT_LABELS[report]} |" for report in Report]
    return "\n".join(lines)


# The council's letters to one school about one of its pupils (cme.roll): a reinstatement
# direction after an unlawful deletion, a notice that a pupil may now be deleted, a pupil
# recorded away but kept on roll (a traveller, a family moved within the city). They are the
# school's business and the council's: the school they are about reads them and says it has
# done what they ask; the CME team reads every one and works the queue; the school's PAEWS
# officer, who works with the school on its roll, reads them. Nobody else, not even a key
# worker of the same child (the letter is about the school's register, not the child's case).
class SchoolLetterReader(StrEnum):
    CME_TEAM = "cme_team"
    SCHOOL = "school"  # staff of the school the letter is addressed to
    PAEWS = "paews"  # the PAEWS officer of that school
    ANYONE_ELSE = "anyone_else"


class SchoolLetterAct(StrEnum):
    READ = "read"
    ANSWER = "answer"  # confirm the pupil is back on roll; record or end a pupil's time away
    WORK = "work"  # the council's side: the queue, withdrawing a direction


SCHOOL_LETTER_READER_LABELS: dict[SchoolLetterReader, str] = {
    SchoolLetterReader.CME_TEAM: "CME officer or CME manager",
    SchoolLetterReader.SCHOOL: "Staff of the school the letter is to",
    SchoolLetterReader.PAEWS: "The PAEWS officer of that school",
    SchoolLetterReader.ANYONE_ELSE: "Anyone else (404, as a letter that does not exist)",
}
SCHOOL_LETTERS: dict[SchoolLetterReader, frozenset[SchoolLetterAct]] = {
    SchoolLetterReader.CME_TEAM: frozenset({SchoolLetterAct.READ, SchoolLetterAct.WORK}),
    SchoolLetterReader.SCHOOL: frozenset({SchoolLetterAct.READ, SchoolLetterAct.ANSWER}),
    SchoolLetterReader.PAEWS: frozenset({SchoolLetterAct.READ}),
    SchoolLetterReader.ANYONE_ELSE: frozenset(),
}


def school_letter_reader(
    role: str, *, staff_of_school: bool, paews_of_school: bool
) -> SchoolLetterReader:
    if role in {Role.CME_OFFICER, Role.CME_MANAGER}:
        return SchoolLetterReader.CME_TEAM
    if role == Role.SCHOOL_STAFF and staff_of_school:
        return SchoolLetterReader.SCHOOL
    if role == Role.PAEWS_OFFICER and paews_of_school:
        return SchoolLetterReader.PAEWS
    return SchoolLetterReader.ANYONE_ELSE


def school_letter_access(
    role: str, *, staff_of_school: bool, paews_of_school: bool
) -> frozenset[SchoolLetterAct]:
    """What a user may do with the council's letter to one school (nothing: a 404)."""
    reader = school_letter_reader(
        role, staff_of_school=staff_of_school, paews_of_school=paews_of_school
    )
    return SCHOOL_LETTERS[reader]


def school_letter_table() -> str:
    """The school letters' decision as a Markdown table: docs/access.md carries exactly this."""
    header = ["Reader", *(act.value for act in SchoolLetterAct)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for reader, acts in SCHOOL_LETTERS.items():
        cells = ["yes" if act in acts else "no" for act in SchoolLetterAct]
        lines.append(f"| {SCHOOL_LETTER_READER_LABELS[reader]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
