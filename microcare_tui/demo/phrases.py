"""What the demo's people say and do: services and how often each is offered or needed,
the words in providers' names, callers' needs and reasons, notes on stage moves and visits,
courses, trainers and grant purposes, and the weighted choices for enquiries.
"""

from __future__ import annotations

from microcare_tui.demo.chance import Choice

SERVICE_WEIGHT = {
    "companionship": 16, "home_help": 15, "shopping": 10, "gardening": 8, "personal_care": 5,
    "meals": 6, "sitting_respite": 6, "transport": 5, "day_activities": 7, "wellbeing": 6,
    "arts": 5, "pet_care": 3,
}  # fmt: skip
NEED_WEIGHT = {
    "companionship": 18, "home_help": 15, "shopping": 12, "personal_care": 11,
    "sitting_respite": 8, "transport": 8, "meals": 7, "gardening": 6, "day_activities": 6,
    "wellbeing": 4, "arts": 3, "pet_care": 2,
}  # fmt: skip
# Services that go together (a companion often shops; a cook often helps at home).
GOES_WITH = {
    "companionship": ["shopping", "transport", "sitting_respite", "meals"],
    "home_help": ["shopping", "meals", "companionship", "pet_care"],
    "shopping": ["companionship", "home_help", "transport"],
    "personal_care": ["meals", "home_help", "sitting_respite", "companionship"],
    "meals": ["home_help", "shopping", "companionship"],
    "sitting_respite": ["companionship", "personal_care", "meals"],
    "transport": ["shopping", "companionship"],
    "gardening": ["pet_care", "home_help"],
    "day_activities": ["arts", "wellbeing", "meals"],
    "wellbeing": ["day_activities", "arts"],
    "arts": ["day_activities", "wellbeing"],
    "pet_care": ["gardening", "companionship"],
}

SERVICE_PHRASES = {
    "personal_care": ["Home Care", "Care at Home", "Homecare", "Personal Care"],
    "home_help": ["Home Help", "Helping Hands", "Home Helpers", "Household Help"],
    "companionship": ["Companions", "Companionship", "Befriending", "Friendly Visits"],
    "shopping": ["Shopping and Errands", "Errands", "Shop and Drop"],
    "meals": ["Home Cooking", "Meals at Home", "Kitchen Table"],
    "sitting_respite": ["Sitting Service", "Respite Care", "Carer Breaks"],
    "transport": ["Lifts and Escorts", "Driving Service", "Community Car"],
    "gardening": ["Garden Care", "Gardening and Odd Jobs", "Handyperson"],
    "day_activities": ["Lunch Club", "Social Club", "Friendship Group", "Day Club"],
    "wellbeing": ["Wellbeing", "Chair Yoga", "Walking Group", "Seated Exercise"],
    "arts": ["Arts and Crafts", "Music Mornings", "Creative Afternoons", "Community Choir"],
    "pet_care": ["Pet Care", "Dog Walking", "Pet Pals"],
}
# "Breathe Easy with Opera": activities named after the person who runs them.
WITH_NAME = {
    "wellbeing": ["Breathe Easy", "Move More", "Chair Yoga", "Stretch and Smile"],
    "arts": ["Sing Along", "Paint and Natter", "Crafty Afternoons", "Music and Memories"],
    "day_activities": ["Tea and Chat", "Games Afternoons"],
    "gardening": ["Green Fingers"],
    "companionship": ["Walk and Talk", "Tea and Company"],
}
NATURE = ["Oak Tree", "Willow", "Bluebell", "Primrose", "Orchard", "Hop Garden", "Oast House",
          "White Cliffs", "Cherry Tree", "Beech", "Meadow", "Harbour", "Downs", "Weald",
          "Kingfisher", "Lavender", "Acorn", "Cobnut", "Saltmarsh", "Heron", "Apple Blossom",
          "Chalk Hill", "Riverside", "Seaside", "Honeysuckle", "Foxglove", "Old Mill"]  # fmt: skip
# Community groups: what they are called by what they mainly do, and what they mainly do.
GROUP_NAMES = {
    "day_activities": ["Lunch Club", "Friendship Group", "Community Café", "Memory Café"],
    "companionship": ["Good Neighbours", "Friendship Group", "Befriending Scheme"],
    "wellbeing": ["Walking Group", "Chair Exercise Group", "Tai Chi Group"],
    "arts": ["Singing Group", "Craft Club", "Community Choir"],
    "transport": ["Good Neighbours Car Scheme", "Community Car Scheme"],
    "gardening": ["Men's Shed", "Community Garden"],
    "meals": ["Lunch Club", "Community Café"],
}
GROUP_SERVICE_WEIGHT = {
    "day_activities": 5, "companionship": 4, "wellbeing": 3, "arts": 3, "transport": 2,
    "gardening": 1, "meals": 2,
}  # fmt: skip
LEGAL_SUFFIX = {"cic": " CIC", "limited_company": " Ltd", "cooperative": " Co-operative",
                "charity": " Trust"}  # fmt: skip
LEGAL_WEIGHT = {
    "sole_trader": 55, "cic": 10, "partnership": 5, "limited_company": 7, "community_group": 9,
    "charity": 4, "social_enterprise": 4, "cooperative": 3, "other": 3,
}  # fmt: skip

NEED_PHRASES = {
    "personal_care": ["help with washing and dressing", "help getting up and dressed",
                      "help with a shower twice a week", "someone to prompt medication"],
    "home_help": ["help with cleaning and laundry", "a hand with the housework",
                  "help with ironing and changing the beds"],
    "companionship": ["some company and a chat", "a befriender to visit",
                      "someone to go out for a walk with"],
    "shopping": ["help with shopping", "someone to collect prescriptions and shopping",
                 "help with the weekly shop"],
    "meals": ["someone to cook a hot meal", "help preparing meals", "lunches cooked at home"],
    "sitting_respite": ["a sitter so the family can have a break", "a few hours of respite a week",
                        "someone to sit with them for a few hours"],
    "transport": ["lifts to hospital appointments", "an escort to the GP and the bank",
                  "transport to a day club"],
    "gardening": ["help keeping the garden tidy", "someone to mow the lawn",
                  "small jobs around the house"],
    "day_activities": ["a day club or group to join", "a lunch club nearby",
                       "something to do during the day"],
    "wellbeing": ["gentle exercise such as chair yoga", "a walking group",
                  "help to get moving again"],
    "arts": ["a singing or craft group", "music sessions", "an art class"],
    "pet_care": ["someone to walk the dog", "help looking after the cat",
                 "dog walking while in hospital"],
}  # fmt: skip
REASONS = ["after a fall", "since coming out of hospital", "with early dementia",
           "after a stroke", "after a hip replacement", "and is getting lonely",
           "as their sight is failing", "since a Parkinson's diagnosis", "", ""]  # fmt: skip
# Only what a son, daughter or grandchild would say (not a husband or wife).
FAMILY_REASONS = ["since being widowed", "as the family live a long way away",
                  "while I am at work", "as I live in London"]  # fmt: skip
SELF_REASONS = ["since my operation", "as my family are in London", "after a fall last month",
                "as I've stopped driving", ""]  # fmt: skip
BACKGROUNDS = ["Has helped a neighbour for two years", "Retired nurse",
               "Former care agency worker", "Recently retired teacher",
               "Runs a community lunch club", "Qualified yoga teacher",
               "Looked after her own mum for years", "Gardener with a van",
               "Ex-army, now retired", "Student nurse looking for flexible work",
               "Hairdresser who visits older clients at home",
               "Musician who plays in care homes"]  # fmt: skip
# (relationship, summary) for stakeholders
STAKEHOLDER = [
    ("parish council", "Parish council in {town} asking how to promote local micro-providers"),
    ("social prescriber",
     "Social prescriber at a {town} surgery wants the latest list of {label} providers"),
    ("housing officer", "Housing officer asking about {label} for tenants in {town}"),
    ("church", "Church in {town} wants to start a {label} group"),
    ("voluntary sector", "Voluntary sector partner asking for leaflets for {town}"),
]  # fmt: skip
OTHER = ["Asked about {label}; gave general information",
         "Wanted advice about paying for care", "Asked how direct payments work",
         "Wanted the council's care needs assessment team"]  # fmt: skip
PROFESSIONAL_ROLES = [
    ("social worker", "Social worker referral"), ("occupational therapist", "OT referral"),
    ("social prescriber", "Social prescriber referral"),
    ("district nurse", "District nurse referral"),
    ("hospital discharge coordinator", "Hospital discharge"),
]  # fmt: skip
PROFESSIONAL_EXTRA = ["Has a direct payment.", "Self-funding.", "Direct payment being set up.",
                      "Agency cannot cover such short calls.", "Lives with a learning disability.",
                      "Family visit at weekends.", ""]  # fmt: skip

STAGE_WEIGHT = {
    "active": 45, "registered": 14, "enquiry": 8, "developing": 12, "checks": 9, "paused": 6,
    "ceased": 6,
}  # fmt: skip
MOVE_NOTES: dict[str, list[str | None]] = {
    "enquiry": ["First call: interested in setting up", "Referred by a social worker",
                "Came to a drop-in session", None],
    "developing": ["Business plan started", "Working on pricing and insurance", None],
    "checks": ["DBS applied for; insurance in place", "Evidence being gathered for QA", None],
    "registered": ["QA approved", "Passed QA; added to the directory", None],
    "active": ["First clients started", "Delivering to first clients", None],
    "paused": ["Paused: provider unwell", "Paused: caring for a family member",
               "Paused for the summer"],
    "ceased": ["Ceased: moved away", "Ceased: took a job with an agency", "Ceased: retired",
               "Ceased: not enough work"],
}  # fmt: skip
VISIT_NOTES = {
    "initial": ["First meeting at home; talked through what they want to offer and to whom.",
                "Met at {town} library; keen to start. Explained the programme and the QA steps."],
    "development": ["Worked through pricing and a simple business plan.",
                    "Helped with insurance quotes; public liability about £90 a year.",
                    "Went through the safeguarding policy template.",
                    "Set up a bookkeeping spreadsheet together.",
                    "Talked about registering with HMRC as self-employed."],
    "qa": ["Went through the QA checklist; DBS and insurance seen.",
           "Checked policies and risk assessments.", "QA visit: references followed up."],
    "review": ["Review: going well, {people} people supported.",
               "Review: feedback from clients positive; wants to take on more in {town}.",
               "Annual review of evidence and policies."],
    "support": ["Support call: wants more clients in {town}.",
                "Advised on raising prices for the new year.",
                "Helped with a difficult conversation with a client's family.",
                "Talked about taking on a first employee."],
    "closure": ["Closing visit: thanked them for their work.", "Closing: records returned."],
}  # fmt: skip
VISIT_ACTIONS = ["Send DBS application link", "Email insurance contacts",
                 "Book on safeguarding course", "Chase references", "Share policy templates",
                 "Add to the directory", "Introduce to the local social work team"]  # fmt: skip

COURSES = [
    ("Safeguarding adults (level 2)", "safeguarding", "safeguarding_training", 36),
    ("Emergency first aid", "first aid", "first_aid", 36),
    ("Moving and handling", "moving and handling", None, None),
    ("Medication awareness", "medication", None, None),
    ("Food hygiene (level 2)", "food hygiene", "food_hygiene", 36),
    ("Dementia awareness", "dementia", None, None),
    ("Business skills: pricing, tax and insurance", "business", None, None),
    ("Data protection for small providers", "data protection", None, None),
    ("Lone working and personal safety", "lone working", None, None),
    ("Mental health first aid", "mental health", None, None),
]
TRAINERS = ["Kent Safeguarding Training Ltd", "St John Ambulance", "Alison Beal",
            "Community Learning Kent", "Demo worker"]  # fmt: skip
GRANT_PURPOSES = ["Public liability insurance (first year)", "DBS check fee", "First aid course",
                  "Laptop and phone for bookings", "Leaflets and a simple website"]  # fmt: skip
# Purposes that only make sense for some services.
GRANT_PURPOSES_FOR = {
    "gardening": ["Equipment: gardening tools", "Equipment: strimmer and mower"],
    "arts": ["Art and craft materials", "Keyboard and songbooks"],
    "wellbeing": ["Seated exercise equipment", "Venue hire for three months"],
    "day_activities": ["Venue hire for three months", "Tables, chairs and a tea urn"],
    "meals": ["Food hygiene course and kitchen kit"],
    "personal_care": ["CQC registration fee", "Moving and handling course"],
    "transport": ["Business car insurance (first year)"],
    "pet_care": ["Dog walking licence and leads"],
}
SPECIALISM_WORDS = {"parkinsons": "Parkinson's", "lgbtq+": "LGBTQ+ people",
                    "end of life": "end-of-life care"}  # fmt: skip


# Enquiries: who rings, how, how urgent, and what was done.
KIND = Choice(["seeking_support", "family_carer", "professional", "would_be_provider",
                "stakeholder", "other"], [28, 32, 20, 9, 5, 6])  # fmt: skip
CHANNEL = Choice(["phone", "email", "in_person", "other"], [70, 18, 9, 3])
CHANNEL_PROFESSIONAL = Choice(["referral", "email", "phone"], [50, 25, 25])
URGENCY = Choice(["routine", "soon", "urgent"], [75, 20, 5])
# Most gaps (no suitable provider) arise when nobody listed offers the need nearby.
OUTCOME_HELP = Choice(["signposted", "no_suitable_provider", "information_sent",
                       "referred_elsewhere", "follow_up", "closed"],
                      [62, 4, 9, 9, 12, 4])  # fmt: skip
OUTCOME_WOULD_BE = Choice(["information_sent", "follow_up", "closed", "referred_to_programme"],
                          [45, 20, 15, 20])  # fmt: skip
OUTCOME_OTHER = Choice(["information_sent", "closed", "follow_up", "referred_elsewhere"],
                       [55, 20, 15, 10])  # fmt: skip
SIGNPOST_OUTCOME = Choice(["unknown", "contacted", "started", "declined"], [40, 25, 25, 10])
