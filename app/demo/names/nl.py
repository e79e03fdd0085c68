"""Dutch and Flemish school and person names."""

from app.demo.names.style import NamingStyle

# fmt: off
#: Trees, birds and animals Dutch-speaking primary schools are named after.
NATURE_NL = (
    "Eik", "Wilg", "Berk", "Esdoorn", "Kastanje", "Merel", "Zwaluw", "Uil", "Reiger",
    "Ooievaar", "Egel", "Vos", "Otter", "Klaproos", "Margriet", "Lijster", "Specht", "Eekhoorn",
)

DUTCH = NamingStyle(
    language="nl",
    first_names=(
        "Jan", "Pieter", "Sanne", "Lotte", "Daan", "Bram", "Femke", "Anouk", "Joost", "Maarten",
        "Eva", "Lieke", "Thijs", "Ruben", "Marieke", "Willemijn", "Sven", "Anke", "Esther",
        "Koen", "Inge", "Roel", "Floor", "Niels", "Jeroen", "Ilse", "Mirjam", "Wouter", "IJsbrand",
    ),
    last_names=(
        "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
        "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
        "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "de Graaf",
        "van der Meer", "van der Linden", "Kok", "de Haan", "IJzerman",
    ),
    material={
        "noun": (
            "De Regenboog", "De Zonnewijzer", "De Wereldwijzer", "Het Kompas", "De Vlinder",
            "De Springplank", "De Klimop", "Het Palet", "De Sterrenwacht", "De Meander",
            "De Fontein", "Het Mozaïek", "De Wilgenhoek", "De Notenkraker", "De Windroos",
            "De Klaverweide", "De Linde", "Het Avontuur", "De Horizon", "De Kameleon",
            "De Piramide", "De Tweemaster", "De Bolster", "Het Startpunt", "De Triangel",
            "De IJsvogel",
            *(f"De {noun}" for noun in NATURE_NL),
        ),
        "saint": ("Sint-Jozef", "Sint-Jan", "Sint-Maarten", "Sint-Franciscus", "Sint-Willibrordus"),
        "figure": (
            "Erasmus", "Spinoza", "Vincent van Gogh", "Rembrandt", "Hugo de Groot", "Comenius",
            "Willem van Oranje", "Maerlant", "Thomas More", "Anne Frank", "Christiaan Huygens",
            "Johan de Witt", "Coornhert", "Vossius", "Bonhoeffer",
        ),
    },
    kinds=(
        ("primary", 0.6, (
            "Basisschool {noun}", "Openbare Basisschool {noun}", "Christelijke Basisschool {noun}",
            "Katholieke Basisschool {saint}", "Montessorischool {city}", "Daltonschool {noun}",
            "Jenaplanschool {noun}",
        )),
        ("lower_upper", 0.3, (
            "{figure} College", "{figure} Lyceum", "Stedelijk Gymnasium {city}",
            "Christelijk Lyceum {city}", "{city} College", "Montessori Lyceum {city}",
        )),
        ("vocational", 0.1, ("Vakcollege {city}", "Technisch College {city}", "ROC {city}")),
    ),
)

FLEMISH = NamingStyle(
    language="nl",
    first_names=(
        "Jens", "Wout", "Lien", "Griet", "Annelies", "Pieter-Jan", "Sofie", "Elke", "Tom",
        "Bart", "Kristof", "Katrien", "Joke", "Stijn", "Nele", "Dries", "Hanne", "Wim",
        "Liesbeth", "Evelien", "Sander", "Tine", "Geert", "Veerle", "Toon", "Lore",
    ),
    last_names=(
        "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
        "Wouters", "De Smet", "Vermeulen", "Van Damme", "De Backer", "Van den Broeck",
        "Verstraete", "Hermans", "Pauwels", "Michiels", "Coppens", "Vandenberghe", "Aerts",
        "Van de Velde", "Stevens", "De Clercq", "Verhoeven", "Cools",
    ),
    material={
        "noun": (
            "De Regenboog", "De Klimboom", "Het Klavertje", "De Vlindertuin", "De Boomhut",
            "Het Kompas", "De Sleutelbloem", "De Zonnebloem", "De Wegwijzer", "Het Speelhof",
            "De Tuimelaar", "De Kleine Prins", *(f"De {noun}" for noun in NATURE_NL),
        ),
        "college": (
            "Sint-Jozefscollege", "Sint-Barbaracollege", "Sint-Lodewijkscollege",
            "Sint-Lievenscollege", "Sint-Jan Berchmanscollege", "Sint-Michielscollege",
            "Sint-Ursulainstituut", "Sint-Victorinstituut", "Sint-Vincentiusinstituut",
            "Onze-Lieve-Vrouwecollege", "Heilig-Hartcollege", "Sint-Niklaasinstituut",
        ),
        "saint": ("Sint-Jozef", "Sint-Lodewijk", "Sint-Victor", "Sint-Vincentius", "Sint-Jan"),
    },
    kinds=(
        ("pre_primary", 0.05, ("Kleuterschool {noun}",)),
        ("primary", 0.45, (
            "Vrije Basisschool {noun}", "GO! Basisschool {noun}",
            "Gemeentelijke Basisschool {city}", "Stedelijke Basisschool {noun}",
            "Vrije Basisschool {saint}",
        )),
        ("lower_upper", 0.35, (
            "{college}", "Koninklijk Atheneum {city}", "Atheneum {city}", "GO! Atheneum {city}",
        )),
        ("vocational", 0.15, (
            "VTI {city}", "Technisch Instituut {saint}", "GO! Technisch Atheneum {city}",
            "Provinciaal Technisch Instituut {city}",
        )),
    ),
)
# fmt: on
