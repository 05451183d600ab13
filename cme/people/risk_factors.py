"""The policy's list of life events that put a child more at risk of missing education.

Source: Liverpool "Children Missing from Education: Guidelines and Practice", section
"Who is a child missing from education?". Duplicates in the source (young runaways; long term
medical or emotional problems) appear once here. Loaded by migration people.0002.
"""

RISK_FACTORS: list[tuple[str, str]] = [
    ("offending", "Has committed offences"),
    ("domestic-violence", "Family fleeing domestic violence"),
    ("refuge", "Living in a women's refuge"),
    ("yot", "Under the supervision of the Youth Offending Team"),
    ("runaway", "Young runaway"),
    ("homeless", "Homeless family, temporary accommodation, HMO or bed and breakfast"),
    ("medical-emotional", "Long term medical or emotional problems"),
    ("unaccompanied-asylum", "Unaccompanied asylum seeker"),
    ("refugee-family", "Child of a refugee or asylum seeking family"),
    ("new-immigrant", "New immigrant family, not yet established, may have no fixed address"),
    ("migrant-worker", "Child of migrant workers"),
    ("bullied", "Has been bullied"),
    ("ehe-unsuitable", "Electively home educated, education may not be suitable"),
    ("looked-after", "Looked after, or missing from care"),
    ("privately-fostered", "Privately fostered"),
    ("substance-misuse", "Affected by substance or alcohol misuse"),
    ("young-carer", "Young carer"),
    ("transient", "Transient family"),
    ("child-protection", "On a child protection plan"),
    ("teenage-parent", "Teenage mother"),
    ("anti-social", "Family involved in anti-social behaviour"),
    ("permanently-excluded", "Permanently excluded (particularly if illegally)"),
    ("highly-mobile", "Highly mobile family (armed forces, Gypsy, Roma, Traveller)"),
    ("discrimination", "Suffered discrimination (race, faith, gender, disability, sexuality)"),
    ("sexual-exploitation", "At risk of sexual exploitation, including trafficking"),
    ("honour-based-violence", "At risk of 'honour' based violence, forced marriage or FGM"),
    ("abroad", "Taken abroad by parents for a long period"),
    ("school-closed", "School closed and no move to another school"),
    ("parent-mental-health", "Parent with mental health problems"),
    ("parent-learning-difficulties", "Parent with learning difficulties"),
]
