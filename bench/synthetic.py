"""A deterministic generator of synthetic children's records with known truth.

`generate_population` makes households of children (siblings share surname, address and
postcode; twins share a birthday); `corrupt` makes the kind of copy another database holds:
misspellings, short forms, transliterations, hyphenated or changed surnames after a family
break-up, day/month swaps, digit slips, old postcodes, missing fields. Nothing here is real:
postcodes use the unused areas ZC and ZD. UPNs carry LA code 380 so that they pass
validation; the rest of each is random.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from cme.matching.names import name_table
from cme.rules import upn_check_letter

BOYS = [
    "Oliver",
    "Muhammad",
    "George",
    "Noah",
    "Arthur",
    "Leo",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Theodore",
    "Freddie",
    "Jack",
    "Charlie",
    "Theo",
    "Alfie",
    "Jacob",
    "Thomas",
    "Finley",
    "Arlo",
    "William",
    "Lucas",
    "Roman",
    "Tommy",
    "Isaac",
    "Teddy",
    "Alexander",
    "Luca",
    "Edward",
    "James",
    "Joshua",
    "Albie",
    "Elijah",
    "Max",
    "Mohammed",
    "Reuben",
    "Mason",
    "Sebastian",
    "Rory",
    "Jude",
    "Louie",
    "Benjamin",
    "Ezra",
    "Adam",
    "Hugo",
    "Ronnie",
    "Joseph",
    "Frederick",
    "Samuel",
    "Ibrahim",
    "Yusuf",
    "Omar",
    "Ali",
    "Ahmed",
    "Hamza",
    "Ayaan",
    "Zayn",
    "Aiden",
    "Jayden",
    "Callum",
    "Connor",
    "Daniel",
    "David",
    "Dylan",
    "Ethan",
    "Harrison",
    "Jaxon",
    "Kai",
    "Liam",
    "Michael",
    "Nathan",
    "Patrick",
    "Riley",
    "Ryan",
    "Stanley",
    "Tyler",
    "Zachary",
    "Kacper",
    "Jakub",
    "Szymon",
    "Filip",
    "Matthew",
    "Andrew",
    "Christopher",
    "Dominic",
    "Kyle",
    "Sean",
    "Rhys",
    "Ismail",
    "Hassan",
    "Hussein",
    "Abdullah",
    "Mustafa",
    "Amir",
]
GIRLS = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Ivy",
    "Freya",
    "Lily",
    "Florence",
    "Mia",
    "Willow",
    "Rosie",
    "Sophia",
    "Isabella",
    "Grace",
    "Daisy",
    "Sienna",
    "Poppy",
    "Elsie",
    "Emily",
    "Ella",
    "Evelyn",
    "Phoebe",
    "Sofia",
    "Evie",
    "Charlotte",
    "Harper",
    "Millie",
    "Matilda",
    "Maisie",
    "Ruby",
    "Layla",
    "Alice",
    "Aisha",
    "Fatima",
    "Maryam",
    "Zainab",
    "Khadija",
    "Hafsa",
    "Yasmin",
    "Zara",
    "Eleanor",
    "Elizabeth",
    "Margaret",
    "Katherine",
    "Jessica",
    "Hannah",
    "Chloe",
    "Lucy",
    "Leah",
    "Megan",
    "Amy",
    "Abigail",
    "Scarlett",
    "Holly",
    "Summer",
    "Jasmine",
    "Lola",
    "Erin",
    "Victoria",
    "Rebecca",
    "Sarah",
    "Natalie",
    "Caitlin",
    "Georgia",
    "Imogen",
    "Esme",
    "Harriet",
    "Lottie",
    "Maya",
    "Nancy",
    "Penelope",
    "Annabelle",
    "Rose",
    "Iman",
    "Safiya",
    "Noor",
    "Amira",
    "Zuzanna",
    "Julia",
    "Maja",
    "Hanna",
    "Alicja",
    "Lena",
    "Amber",
    "Paige",
    "Courtney",
    "Danielle",
    "Nicole",
    "Samantha",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Murray",
    "Dixon",
    "Harvey",
    "Ahmed",
    "Akhtar",
    "Rahman",
    "Islam",
    "Mahmood",
    "Iqbal",
    "Shah",
    "Mohamed",
    "Abdi",
    "Osman",
    "Nowak",
    "Kowalski",
    "Wisniewski",
    "Popescu",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Nguyen",
    "Chen",
    "Wong",
    "Kaur",
    "Sharma",
    "Gill",
    "Hassan",
    "Yilmaz",
    "Kaya",
    "O'Brien",
    "O'Connor",
    "McDonald",
    "MacLeod",
    "McCarthy",
    "D'Souza",
    "Fernandes",
    "Silva",
    "Costa",
    "Santos",
    "Ferreira",
]
_PRE = [
    "Ash",
    "Black",
    "Brad",
    "Brook",
    "Cart",
    "Chap",
    "Dal",
    "Den",
    "Fair",
    "Fen",
    "Gar",
    "Hal",
    "Har",
    "Hol",
    "Kirk",
    "Lang",
    "Mar",
    "Mor",
    "Nor",
    "Pen",
    "Red",
    "Roth",
    "Sand",
    "Shel",
    "Stan",
    "Thorn",
    "Wal",
    "West",
    "Whit",
    "Wood",
    "Ack",
    "Bram",
    "Cal",
    "Crow",
    "Dun",
    "Elm",
    "Farn",
    "Glen",
]
_SUF = [
    "by",
    "bury",
    "croft",
    "den",
    "field",
    "ford",
    "gate",
    "ham",
    "hurst",
    "ley",
    "man",
    "more",
    "ridge",
    "shaw",
    "ton",
    "well",
    "wick",
    "worth",
    "wood",
    "son",
]
STREETS = [
    "High",
    "Church",
    "Station",
    "Victoria",
    "Park",
    "Mill",
    "School",
    "Queen",
    "King",
    "Manor",
    "Green",
    "Albert",
    "Chapel",
    "Springfield",
    "Grove",
    "Windsor",
    "York",
    "Orchard",
    "Meadow",
    "Oak",
    "Beech",
    "Elm",
    "Cedar",
    "Willow",
    "Ash",
    "Hawthorn",
]
STREET_TYPES = ("Street", "Road", "Lane", "Avenue", "Close", "Drive", "Crescent", "Way")
_FIELDS = ("forename", "middle_names", "surname", "date_of_birth", "sex", "postcode", "address")


def _zipf(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (i + 1) ** s for i in range(n)]


@dataclass
class _Pools:
    boys: list[str]
    girls: list[str]
    surnames: list[str]
    wb: list[float]
    wg: list[float]
    ws: list[float]


def _pools() -> _Pools:
    tail = [p + s for p in _PRE for s in _SUF]
    surnames = SURNAMES + tail
    return _Pools(
        list(BOYS),
        list(GIRLS),
        surnames,
        _zipf(len(BOYS), 0.7),
        _zipf(len(GIRLS), 0.7),
        _zipf(len(surnames), 0.9),
    )


def make_upn(rng: random.Random, serial: int) -> str:
    body = f"380{rng.randrange(2000, 7999):04d}{rng.randrange(10, 24):02d}{serial % 1000:03d}"
    return upn_check_letter(body) + body


def _postcode(rng: random.Random, n_units: int) -> str:
    k = rng.randrange(n_units)
    area = "ZC" if k % 2 else "ZD"
    district = 1 + (k // 2) % 30
    sector = (k // 60) % 10
    unit = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{area}{district} {sector}{unit[(k // 600) % 20]}{unit[(k // 12000) % 20]}"


def generate_population(n: int, seed: int = 0) -> list[dict[str, str]]:
    """About n children in households, with a `person_id` and `household_id` as truth."""
    return list(_generate(n, seed))


def _generate(n: int, seed: int, twins: float = 0.04) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    pools = _pools()
    n_units = max(100, n // 12)
    household = 0
    made = 0
    while made < n:
        household += 1
        for child in _household(rng, pools, household, n_units, made, twins):
            if made < n:
                made += 1
                yield child


def _household(rng, pools: _Pools, household: int, n_units: int, start: int, twins: float):
    surname = rng.choices(pools.surnames, pools.ws)[0]
    postcode = _postcode(rng, n_units)
    address = f"{rng.randrange(1, 200)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}"
    size = rng.choices((1, 2, 3, 4), (0.45, 0.35, 0.15, 0.05))[0]
    base = date(2008, 9, 1) + timedelta(days=rng.randrange(0, 13 * 365))
    children: list[dict[str, str]] = []
    for k in range(size):
        twin = k > 0 and rng.random() < twins
        if not twin and k > 0:
            base = base + timedelta(days=rng.randrange(300, 1500))
        if base > date(2021, 8, 31):
            break
        sex = rng.choice("FM")
        names, weights = (pools.girls, pools.wg) if sex == "F" else (pools.boys, pools.wb)
        forename = rng.choices(names, weights)[0]
        while any(c["forename"] == forename for c in children):
            forename = rng.choices(names, weights)[0]
        middle = rng.choices(names, weights)[0] if rng.random() < 0.6 else ""
        if middle and rng.random() < 0.25:  # a second middle name
            second = rng.choices(names, weights)[0]
            if second not in (middle, forename):
                middle = f"{middle} {second}"
        pid = start + len(children)
        children.append(
            {
                "person_id": str(pid),
                "household_id": str(household),
                "forename": forename,
                "middle_names": middle,
                "surname": surname,
                "date_of_birth": base.isoformat(),
                "sex": sex,
                "postcode": postcode,
                "address": address,
                "upn": make_upn(rng, pid) if rng.random() < 0.9 else "",
            }
        )
    return children


# -- errors ------------------------------------------------------------------------------
def typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    letters = "abcdefghijklmnopqrstuvwxyz"
    if kind == 0:
        return text[:i] + rng.choice(letters) + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i] + text[i:]


def variant(rng: random.Random, name: str) -> str:
    """Another member of one of the name's variant groups (a short form, a transliteration)."""
    table = name_table()
    key = name.lower()
    groups = table.groups.get(key)
    if not groups:
        return name
    members = [m for m, gs in table.groups.items() if set(gs) & set(groups) and m != key]
    return rng.choice(sorted(members)).title() if members else name


def _dob_swap(rng, r):
    y, m, d = r["date_of_birth"].split("-")
    if int(d) <= 12 and d != m:
        r["date_of_birth"] = f"{y}-{d}-{m}"


def _dob_digit(rng, r):
    for _ in range(10):
        s = list(r["date_of_birth"].replace("-", ""))
        i = rng.choice((3, 5, 6, 7))
        s[i] = str(rng.randrange(10))
        text = "".join(s)
        try:
            d = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            continue
        if d.isoformat() != r["date_of_birth"]:
            r["date_of_birth"] = d.isoformat()
            return


def _surname_change(rng, r, pools: _Pools):
    other = rng.choices(pools.surnames, pools.ws)[0]
    parts = r["surname"].split("-")
    if len(parts) > 1:
        r["surname"] = rng.choice(parts)
    elif rng.random() < 0.6:
        r["surname"] = (
            f"{r['surname']}-{other}" if rng.random() < 0.5 else f"{other}-{r['surname']}"
        )
    else:
        r["surname"] = other


def _moved(rng, r, n_units):
    r["postcode"] = _postcode(rng, n_units)
    r["address"] = f"{rng.randrange(1, 200)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}"


def _blank(rng, r):
    r[rng.choice(("postcode", "sex", "middle_names", "address"))] = ""


def _swap_names(rng, r):
    r["forename"], r["surname"] = r["surname"], r["forename"]


def _middle_first(rng, r):
    if r["middle_names"]:
        r["forename"] = rng.choice(r["middle_names"].split())


def _middle_initial(rng, r):
    if r["middle_names"]:
        r["middle_names"] = " ".join(name[0] for name in r["middle_names"].split())


def _middle_first_typed(rng, r):
    if r["middle_names"]:
        r["forename"], r["middle_names"] = typo(rng, rng.choice(r["middle_names"].split())), ""


def _middles_reordered(rng, r):
    """Two middle names given the other way round, or only one of them."""
    names = r["middle_names"].split()
    if len(names) > 1:
        r["middle_names"] = " ".join(names[::-1]) if rng.random() < 0.5 else rng.choice(names)


def _dob_year_digit(rng, r):
    y, rest = r["date_of_birth"][:4], r["date_of_birth"][4:]
    digit = str((int(y[3]) + rng.choice((1, 9))) % 10)
    text = y[:3] + digit + rest
    try:
        date.fromisoformat(text)
    except ValueError:
        return  # 29 February in a year that has none
    r["date_of_birth"] = text


def _dob_transposed(rng, r):
    s = r["date_of_birth"].replace("-", "")
    for i in rng.sample(range(2, 7), 5):  # not the century: 2014 typed as 0214 is refused
        if s[i] != s[i + 1]:
            t = s[:i] + s[i + 1] + s[i] + s[i + 2 :]
            try:
                d = date(int(t[:4]), int(t[4:6]), int(t[6:]))
            except ValueError:
                continue
            r["date_of_birth"] = d.isoformat()
            return


def _dob_missing(rng, r):
    r["date_of_birth"] = ""


# Each kind of error, what it does to a copy of a child's record. A referral gets each kind
# independently at the rate its NoiseMix sets (docs/matching.md, "The generated data").
ERRORS = {
    "forename typo": lambda rng, r, p, u: r.update(forename=typo(rng, r["forename"])),
    "nickname or transliteration": lambda rng, r, p, u: r.update(
        forename=variant(rng, r["forename"])
    ),
    "surname typo": lambda rng, r, p, u: r.update(surname=typo(rng, r["surname"])),
    "surname hyphenated or changed": lambda rng, r, p, u: _surname_change(rng, r, p),
    "forename and surname swapped": lambda rng, r, p, u: _swap_names(rng, r),
    "middle name as forename": lambda rng, r, p, u: _middle_first(rng, r),
    "middle name as forename, mistyped": lambda rng, r, p, u: _middle_first_typed(rng, r),
    "middle name as initial": lambda rng, r, p, u: _middle_initial(rng, r),
    "middle names reordered or one left out": lambda rng, r, p, u: _middles_reordered(rng, r),
    "day and month swapped": lambda rng, r, p, u: _dob_swap(rng, r),
    "year digit wrong": lambda rng, r, p, u: _dob_year_digit(rng, r),
    "digits transposed": lambda rng, r, p, u: _dob_transposed(rng, r),
    "day or month digit wrong": lambda rng, r, p, u: _dob_digit(rng, r),
    "date of birth missing": lambda rng, r, p, u: _dob_missing(rng, r),
    "moved": lambda rng, r, p, u: _moved(rng, r, u),
    "field missing": lambda rng, r, p, u: _blank(rng, r),
}


@dataclass(frozen=True)
class NoiseMix:
    """The rates (each a share of referrals, applied independently) a council can set.

    `twins` is the share of later children in a household born on the same day as the one
    before; `off_register` the share of the population not on the register (their referrals
    have no true match, and some have a sibling or twin on it).
    """

    rates: tuple[tuple[str, float], ...]
    twins: float = 0.04
    off_register: float = 0.1
    upn_kept: float = 0.3

    def rate(self, kind: str) -> float:
        return dict(self.rates).get(kind, 0.0)

    def with_rates(self, **changes: float) -> NoiseMix:
        """A copy with some rates changed (keyword: the kind with spaces as underscores)."""
        rates = dict(self.rates)
        for name, value in changes.items():
            kind = next(k for k in ERRORS if k.replace(" ", "_").replace(",", "") == name)
            rates[kind] = value
        return NoiseMix(tuple(rates.items()), self.twins, self.off_register, self.upn_kept)


# What the model is trained on: a move between the register and a referral is common (a
# child missing education has very often just moved).
TRAINING_MIX = NoiseMix(
    (
        ("forename typo", 0.10),
        ("nickname or transliteration", 0.15),
        ("surname typo", 0.08),
        ("surname hyphenated or changed", 0.07),
        ("forename and surname swapped", 0.02),
        ("middle name as forename", 0.03),
        ("middle name as forename, mistyped", 0.01),
        ("middle name as initial", 0.08),
        ("middle names reordered or one left out", 0.30),
        ("day and month swapped", 0.04),
        ("year digit wrong", 0.02),
        ("digits transposed", 0.02),
        ("day or month digit wrong", 0.03),
        ("date of birth missing", 0.03),
        ("moved", 0.70),
        ("field missing", 0.10),
    )
)

# Held out: a different seed and a different mix (more typos, date errors and twins; fewer
# moves, so that the bands are checked on a council whose share of moves training
# overestimated), for setting and checking the bands on data the model was not trained on.
HELD_OUT_MIX = NoiseMix(
    (
        ("forename typo", 0.14),
        ("nickname or transliteration", 0.20),
        ("surname typo", 0.12),
        ("surname hyphenated or changed", 0.10),
        ("forename and surname swapped", 0.03),
        ("middle name as forename", 0.04),
        ("middle name as forename, mistyped", 0.02),
        ("middle name as initial", 0.10),
        ("middle names reordered or one left out", 0.40),
        ("day and month swapped", 0.06),
        ("year digit wrong", 0.03),
        ("digits transposed", 0.03),
        ("day or month digit wrong", 0.04),
        ("date of birth missing", 0.05),
        ("moved", 0.50),
        ("field missing", 0.12),
    ),
    twins=0.06,
)


def corrupt(
    record: dict[str, str],
    rng: random.Random,
    n_units: int = 1000,
    upn_kept: float | None = None,
    mix: NoiseMix = TRAINING_MIX,
    applied: list[str] | None = None,
) -> dict[str, str]:
    """A copy of the record with each kind of error at its rate, and usually no UPN.

    The kinds applied are appended to `applied` (for the benchmark's per-noise figures).
    """
    pools = _pools()
    r = dict(record)
    for kind, rate in mix.rates:
        if rng.random() < rate:
            ERRORS[kind](rng, r, pools, n_units)
            if applied is not None:
                applied.append(kind)
    if rng.random() > (mix.upn_kept if upn_kept is None else upn_kept):
        r["upn"] = ""
    if rng.random() < 0.05:
        r["forename"], r["surname"] = r["forename"].upper(), r["surname"].upper()
    return r


@dataclass
class LinkageTask:
    left: list[dict[str, str]]
    right: list[dict[str, str]]
    truth: set[tuple[str, str]]  # (left id, right id)
    noise: dict[str, list[str]]  # left id -> the kinds of error applied ("not on register")


def linkage_task(
    n_right: int, n_left: int, seed: int = 0, mix: NoiseMix = TRAINING_MIX
) -> LinkageTask:
    """A register of n_right children and n_left referrals to link to it, with the truth.

    `mix.off_register` of the population is not on the register (so some referrals have no
    match, and some of those have a sibling or twin on it).
    """
    rng = random.Random(seed + 1)
    population = list(_generate(int(n_right / (1 - mix.off_register)) + 1, seed, mix.twins))
    off = set(rng.sample(range(len(population)), len(population) - n_right))
    right = [_public(p, f"R{p['person_id']}") for i, p in enumerate(population) if i not in off]
    chosen = rng.sample(population, n_left)
    n_units = max(100, len(population) // 12)
    left = []
    truth = set()
    noise: dict[str, list[str]] = {}
    for k, person in enumerate(chosen):
        applied: list[str] = []
        rec = corrupt(person, rng, n_units, mix=mix, applied=applied)
        left.append(_public(rec, f"L{k}"))
        if int(person["person_id"]) not in off:
            truth.add((f"L{k}", f"R{person['person_id']}"))
        else:
            applied.append("not on register")
        noise[f"L{k}"] = applied
    return LinkageTask(left, right, truth, noise)


def _public(record: dict[str, str], rid: str) -> dict[str, str]:
    out = {"id": rid}
    out.update({f: record.get(f, "") for f in (*_FIELDS, "upn")})
    return out


def iter_population(n: int, seed: int = 0) -> Iterator[dict[str, str]]:
    """The population as public records (ids P<n>)."""
    for p in _generate(n, seed):
        yield _public(p, f"P{p['person_id']}")
