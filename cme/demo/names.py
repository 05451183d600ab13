"""Made-up names for the demo authority. Common UK given names and surnames, drawn at random
and combined, so no child, carer or member of staff is a real person; schools and streets are
invented words. Telephone numbers come from Ofcom's range reserved for drama (07700 900xxx)
and email addresses from example.org, so nothing here can reach anyone.
"""

from __future__ import annotations

# fmt: off
GIRLS = [
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
    "Grace", "Freya", "Willow", "Emily", "Ella", "Poppy", "Evie", "Ruby", "Daisy", "Phoebe",
    "Chloe", "Erin", "Megan", "Holly", "Aisha", "Zara", "Maya", "Leah", "Niamh", "Hannah",
    "Amira", "Layla", "Jessica", "Millie", "Sienna", "Eliza", "Kayla", "Nadia", "Esme", "Anya",
]
BOYS = [
    "Noah", "Oliver", "George", "Arthur", "Leo", "Harry", "Oscar", "Archie", "Henry", "Jack",
    "Charlie", "Freddie", "Theo", "Alfie", "Jacob", "Thomas", "Finley", "Joshua", "Lucas",
    "Mohammed", "Isaac", "Ethan", "Harrison", "Max", "Reuben", "Callum", "Kian", "Owen", "Dylan",
    "Ryan", "Tyler", "Liam", "Adam", "Yusuf", "Kacper", "Bilal", "Connor", "Jayden", "Elijah",
    "Samuel",
]
ADULT_WOMEN = [
    "Sarah", "Claire", "Emma", "Lisa", "Joanne", "Michelle", "Kelly", "Nicola", "Rachel", "Gemma",
    "Donna", "Amina", "Agnieszka", "Fatima", "Helen", "Karen", "Stacey", "Leanne",
]
ADULT_MEN = [
    "David", "Paul", "Mark", "Andrew", "Steven", "Lee", "Craig", "Gary", "Darren", "Imran",
    "Tomasz", "Kevin", "Anthony", "Martin", "Wayne", "Dean", "Ahmed", "Neil",
]
SURNAMES = [
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
    "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner",
    "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker",
    "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
    "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson",
    "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan",
    "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Ali", "Nowak",
    "Kowalski", "Okafor", "Mensah", "Ahmed", "Hussain", "McDonald", "Doherty", "Gallagher",
    "Quinn", "Byrne", "Kaur", "Nguyen", "Osei", "Mohamed", "Popescu",
]
# Invented place-like words: no real Liverpool school or street is named after these.
PLACES = [
    "Ashcombe", "Brackenfold", "Larkspur", "Harrowdale", "Fernleigh", "Gorsey Bank",
    "Kestrel Brook", "Wyndham Vale", "Thornbury Heath", "Millcroft", "Saltmarsh", "Elderwood",
    "Cobblestone", "Hazelmere", "Tidewater", "Foxhollow", "Rookery Lane", "Brambleside",
    "Oakhaven", "Willowmere", "Ravensdale", "Heatherbrook", "Sandpiper", "Copperfield",
    "Mossgate", "Stonecross", "Briar Hill", "Lantern Row", "Juniper", "Quarrymoor",
    "Orchard Vale", "Harbourside", "Meadowbank", "Kingfisher", "Alderbrook", "Beacon Lea",
    "Cloverdale", "Dunmere", "Emberton", "Fairhaven Park", "Glenholme", "Hollinwood",
    "Ivybridge Green", "Jasmine Fields", "Kelstone", "Lindenhurst", "Marlowe Heath",
    "Northcote Vale", "Otterburn Rise", "Pennyfield", "Queensmead", "Riverside Lea",
    "Sorrel Green", "Tamarind", "Upperton", "Valley Forge", "Westerleigh", "Yarrowby",
    "Zephyr Court", "Amberley Moss", "Bluebell Hey", "Candlewick", "Driftwood",
]
SAINTS = [
    "St Aidan's", "St Bede's", "St Cuthbert's", "St Hilda's", "St Columba's", "St Wilfrid's",
]
STREET_KINDS = [
    "Road", "Street", "Close", "Avenue", "Grove", "Drive", "Terrace", "Walk", "Lane",
]
RELATIONSHIPS_WOMEN = [
    "Mother", "Grandmother", "Aunt", "Foster carer", "Stepmother",
]
RELATIONSHIPS_MEN = [
    "Father", "Grandfather", "Uncle", "Stepfather", "Foster carer",
]
# fmt: on
