"""Norwegian school and person names."""

from app.demo.names.style import NamingStyle

# fmt: off
NORWEGIAN = NamingStyle(
    language="nb",
    first_names=(
        "Ole", "Lars", "Kari", "Ingrid", "Anne", "Per", "Bjørn", "Knut", "Silje", "Marit",
        "Hilde", "Kristin", "Åse", "Eirik", "Håkon", "Sindre", "Ida", "Nora", "Ragnhild", "Tone",
        "Jørgen", "Øystein", "Astrid", "Solveig", "Magnus", "Sigrid", "Torbjørn", "Henrik",
    ),
    last_names=(
        "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
        "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
        "Dahl", "Jørgensen", "Halvorsen", "Henriksen", "Lund", "Sørensen", "Strand", "Solberg",
        "Bakken", "Aas", "Økland", "Bråten",
    ),
    material={
        "place": (
            "Sagene", "Grünerløkka", "Bjølsen", "Ullevål", "Tåsen", "Nordstrand", "Kjelsås",
            "Lambertseter", "Rønvik", "Hunstad", "Åsen", "Solberg", "Haugen", "Nordby",
            "Bakkeløkka", "Fjellsrud", "Lia", "Vika", "Berg", "Tveit", "Holmen", "Eikeli",
            "Skjold", "Kvaløya", "Hov", "Ås", "Bryn", "Frøen", "Møllenberg", "Blussuvoll",
            "Hellerud", "Furuset", "Kringsjå", "Steinerud", "Ila", "Fagerheim", "Høvik",
            "Tjensvoll", "Madla", "Hundvåg", "Nordnes", "Fana", "Åsane", "Hafrsfjord",
            # Common place-name compounds: Furuvik, Solheim, Lyngdal, Bjørkelia …
            *(prefix + suffix
              for prefix in ("Bjørke", "Eike", "Furu", "Lille", "Sol", "Strand", "Vest",
                             "Nord", "Sør", "Fjell", "Skog", "Rød", "Lyng", "Å", "Gran")
              for suffix in ("vik", "dal", "heim", "lia", "berg", "haug", "åsen", "bakken",
                             "moen", "stad", "holt", "nes", "sund", "vang", "tun")),
        ),
    },
    kinds=(
        ("pre_primary", 0.04, ("{place} barnehage",)),
        ("primary", 0.34, ("{place} barneskole", "{place} skole")),
        ("primary_lower", 0.25, ("{place} skole", "{place} oppvekstsenter")),
        ("lower", 0.15, ("{place} ungdomsskole",)),
        ("upper", 0.13, ("{place} videregående skole", "{city} videregående skole")),
        ("vocational", 0.09, ("{place} videregående skole", "{city} videregående skole")),
    ),
)
# fmt: on
