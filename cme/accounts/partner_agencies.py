"""The policy's "List of Partner Agencies & Services Involved in the CME Referral &
Monitoring Process" (Liverpool's CME guidelines, after the FAQs): 28 entries.

Two of them are not one organisation each and are not seeded: "Schools" (each school's staff
is an organisation of its own, made for an establishment loaded from Get Information about
Schools) and "Other Local Authorities" (each council is added as it starts to refer or answer
enquiries). PAEWS is seeded as the PAEWS organisation; the other 25 as partner agencies. The
names are the policy's; a CME manager edits them on the "Partner agencies" page.
"""

from __future__ import annotations

# (name, kind, children's social care or a safeguarding role)
POLICY_LIST: tuple[tuple[str, str, bool], ...] = (
    ("Awards/Grants", "agency", False),
    ("Barnardo's", "agency", False),
    ("Behaviour & Education Support Team (BEST)", "agency", False),
    ("Child & Adolescent Mental Health Service (CAMHS)", "agency", False),
    ("Children, Families & Social Care (CF&SC)", "agency", True),
    ("Children's Services", "agency", False),
    ("Children's Advocacy", "agency", False),
    ("Connexions", "agency", False),
    ("Education", "agency", False),
    ("Education Psychology Service (EPS)", "agency", False),
    ("Emergency Housing", "agency", False),
    ("Governors", "agency", False),
    ("Legal Services", "agency", False),
    ("Parent Partnership", "agency", False),
    ("Police", "agency", False),
    ("Primary Care Trust", "agency", False),
    ("Pupil Attendance and Education Welfare Service (PAEWS)", "paews", False),
    ("Revenues & Benefits", "agency", False),
    ("School Nurses", "agency", False),
    ("Social Inclusion Operations Team (SIOT)", "agency", False),
    ("Special Educational Needs (SEN)", "agency", False),
    ("Truancy Watch", "agency", False),
    ("UK Border Agency", "agency", False),
    ("Women's Refuge", "agency", False),
    ("Youth Offending Team (YOT)", "agency", False),
    ("Youth Service", "agency", False),
)
# On the policy's list, but organisations of their own kind, one per school or council.
NOT_SEEDED = ("Schools", "Other Local Authorities")
