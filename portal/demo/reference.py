"""Fixed reference data of the fictitious district (invented names, realistic sizes)."""

from datetime import date

DISTRICT = {"name": "Landkreis Musterstadt", "key": "08999"}
POPULATION_DATE = date(2025, 12, 31)

# (AGS, name, population, urban)
MUNICIPALITIES = [
    ("08999001", "Musterstadt", 61_842, True),
    ("08999002", "Rheinfelden am Wald", 33_517, True),
    ("08999003", "Lindenau", 24_908, True),
    ("08999004", "Bergheim", 18_233, False),
    ("08999005", "Talhausen", 12_455, False),
    ("08999006", "Eichenbach", 9_871, False),
    ("08999007", "Neuweiler", 8_302, False),
    ("08999008", "Altdorf an der Murg", 7_614, False),
    ("08999009", "Sonnenbühl", 6_980, False),
    ("08999010", "Kirchberg", 6_205, False),
    ("08999011", "Hohenfels", 5_512, False),
    ("08999012", "Wiesental", 4_873, False),
    ("08999013", "Steinach", 4_390, False),
    ("08999014", "Mühlhofen", 3_968, False),
    ("08999015", "Buchenau", 3_541, False),
    ("08999016", "Oberried", 3_107, False),
    ("08999017", "Unterried", 2_844, False),
    ("08999018", "Birkenfeld", 2_512, False),
    ("08999019", "Tannheim", 2_236, False),
    ("08999020", "Rosenau", 1_987, False),
    ("08999021", "Hasenweiler", 1_609, False),
    ("08999022", "Wolfach-Au", 1_248, False),
]

DEMO_PASSWORD = "demo"  # noqa: S105 - demo mode only; seed_demo refuses to run otherwise
# The authenticator-app secret of every demo account with a staff role (printed in the README; while
# DEMO_MODE is on the login's second step also shows the current code). Base32, as the apps expect it.
DEMO_TOTP_SECRET = "MUSTERSTADTDEMOZWEITERFAKTORDEMO"  # noqa: S105 - demo mode only

# (e-mail, first name, last name, role group or None for superuser)
USERS = [
    ("antrag@demo.example", "Amira", "Haddad", "Antragsteller"),
    ("verein@demo.example", "Jonas", "Weber", "Antragsteller"),
    ("gemeinde@demo.example", "Petra", "Kaiser", "Antragsteller"),
    ("kommune@demo.example", "Lena", "Vogt", "Antragsteller"),  # Gemeinde Eichenbach, Soforthilfe (demo/formula.py)
    ("sachbearbeitung@demo.example", "Sabine", "Roth", "Sachbearbeitung"),
    ("sachbearbeitung2@demo.example", "Murat", "Yilmaz", "Sachbearbeitung"),
    ("leitung@demo.example", "Dr. Klaus", "Brenner", "Leitung"),
    ("kasse@demo.example", "Heike", "Fischer", "Finanzen"),
    ("ausschuss@demo.example", "Ursula", "Lang", "Ausschuss"),
    ("admin@demo.example", "Admin", "Demo", None),
]
