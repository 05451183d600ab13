"""The action plan template the register starts with; the council edits it in the admin pages.

Drawn from the policy's engagement steps: a key worker in regular contact, the CME officer kept
updated, a school place found, attendance monitored until the child is settled.
"""

DEFAULT_TEMPLATE = "Back into education"
DEFAULT_ITEMS: list[tuple[str, int]] = [
    ("Make contact with the child and family", 2),
    ("Agree the education the child needs (school place, alternative provision, SEN)", 5),
    ("Apply for a school place or arrange provision", 10),
    ("Update the CME officer on progress", 10),
    ("Confirm a start date with the school or provider", 15),
    ("Check attendance in the first four weeks", 35),
]
