"""Realistic school and person names, one naming style per language community."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cached_property

#: Education levels (app.models.enums.EducationLevel values) of each kind of school.
KIND_LEVELS: dict[str, tuple[str, ...]] = {
    "pre_primary": ("pre_primary",),
    "primary": ("primary",),
    "primary_lower": ("primary", "lower_secondary"),
    "lower": ("lower_secondary",),
    "lower_upper": ("lower_secondary", "upper_secondary"),
    "upper": ("upper_secondary",),
    "vocational": ("upper_secondary", "vocational"),
}


@dataclass(frozen=True)
class NamingStyle:
    """How schools and people are named in one language community."""

    language: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    #: Values for the ``{placeholders}`` of the templates.
    material: dict[str, tuple[str, ...]]
    #: (kind of school, weight, name templates).
    kinds: tuple[tuple[str, float, tuple[str, ...]], ...]

    @cached_property
    def kind_weights(self) -> list[float]:
        return [weight for _kind, weight, _templates in self.kinds]

    def person(self, rng: random.Random) -> str:
        return f"{rng.choice(self.first_names)} {rng.choice(self.last_names)}"


# fmt: off
#: Trees, birds and animals Dutch-speaking primary schools are named after.
NATURE_NL = (
    "Eik", "Wilg", "Berk", "Esdoorn", "Kastanje", "Merel", "Zwaluw", "Uil", "Reiger",
    "Ooievaar", "Egel", "Vos", "Otter", "Klaproos", "Margriet", "Lijster", "Specht", "Eekhoorn",
)

TURKISH = NamingStyle(
    language="tr",
    first_names=(
        "Ahmet", "Mehmet", "Mustafa", "Ayşe", "Fatma", "Emine", "Hüseyin", "İbrahim", "Hasan",
        "Zeynep", "Elif", "Osman", "Yusuf", "Ali", "Murat", "Ömer", "Halil", "Süleyman",
        "Hatice", "Merve", "Büşra", "Deniz", "Serkan", "Özlem", "Şule", "Tuğba", "Kübra", "Ece",
        "Burak", "Emre", "İsmail", "Özge", "Işıl", "Gökhan",
    ),
    last_names=(
        "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
        "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan",
        "Şimşek", "Polat", "Korkmaz", "Erdem", "Güneş", "Akın", "Bulut", "Işık", "Tekin", "Ünal",
    ),
    material={
        "figure": (
            "Atatürk", "Gazi Mustafa Kemal", "Fatih Sultan Mehmet", "Mimar Sinan", "Yunus Emre",
            "Mehmet Akif Ersoy", "Barbaros Hayrettin Paşa", "Piri Reis", "Kazım Karabekir",
            "Fevzi Çakmak", "Cumhuriyet", "75. Yıl", "100. Yıl", "Hacı Bektaş Veli", "Mevlana",
            "Namık Kemal", "Ziya Gökalp", "Nasreddin Hoca", "İstiklal", "Kurtuluş", "Aşık Veysel",
            "Halide Edip Adıvar", "Cahit Arf", "Sabiha Gökçen", "Nene Hatun",
        ),
        "place": (
            "Merkez", "Yenimahalle", "Bahçelievler", "Çamlıca", "Güzelyurt", "Esentepe",
            "Çınarlı", "Kocatepe", "Fevzipaşa", "Gülbahar", "Yeşiltepe", "Aydınlıkevler", "İnönü",
            "Hürriyet", "Zafer", "Bağlarbaşı", "Kavaklıdere", "Çiçekli", "Ilıca", "Işıklar",
            "İncirli", "Atakent", "Gaziosmanpaşa",
        ),
    },
    kinds=(
        ("pre_primary", 0.05, ("{place} Anaokulu", "{figure} Anaokulu")),
        ("primary", 0.3, (
            "{figure} İlkokulu", "Şehit {person} İlkokulu", "{place} İlkokulu", "{city} İlkokulu",
        )),
        ("lower", 0.3, (
            "{figure} Ortaokulu", "Şehit {person} Ortaokulu", "{place} Ortaokulu",
            "{city} Ortaokulu", "{person} Ortaokulu",
        )),
        ("upper", 0.2, (
            "{figure} Anadolu Lisesi", "{city} Anadolu Lisesi", "{city} Fen Lisesi",
            "{figure} Sosyal Bilimler Lisesi", "{place} Anadolu Lisesi",
            "Şehit {person} Anadolu Lisesi", "{city} Anadolu İmam Hatip Lisesi",
        )),
        ("vocational", 0.15, (
            "{city} Mesleki ve Teknik Anadolu Lisesi", "{figure} Mesleki ve Teknik Anadolu Lisesi",
            "{place} Mesleki ve Teknik Anadolu Lisesi",
        )),
    ),
)

ROMANIAN = NamingStyle(
    language="ro",
    first_names=(
        "Andrei", "Alexandru", "Mihai", "Ionuț", "Cristian", "Ștefan", "Gheorghe", "Vasile",
        "Elena", "Ioana", "Maria", "Ana", "Mihaela", "Andreea", "Cristina", "Alina", "Daniela",
        "Gabriela", "Raluca", "Oana", "Bogdan", "Florin", "Adrian", "Răzvan", "Corina", "Irina",
        "Simona", "Teodora", "Radu", "Ștefania",
    ),
    last_names=(
        "Popescu", "Ionescu", "Popa", "Pop", "Constantin", "Stan", "Dumitru", "Stoica",
        "Gheorghe", "Rusu", "Munteanu", "Matei", "Ciobanu", "Moldovan", "Lungu", "Țurcanu",
        "Dobre", "Bălan", "Ștefănescu", "Marinescu", "Florea", "Nistor", "Cristea", "Sârbu",
        "Mureșan", "Dragomir", "Toma", "Ene", "Oprea", "Avram",
    ),
    material={
        "figure": (
            "Mihai Eminescu", "Ion Creangă", "George Coșbuc", "Nicolae Bălcescu",
            "Mihai Viteazul", "Ștefan cel Mare", "Alexandru Ioan Cuza", "Spiru Haret",
            "Gheorghe Lazăr", "Ion Luca Caragiale", "Lucian Blaga", "Tudor Vladimirescu",
            "Avram Iancu", "Octavian Goga", "Emil Racoviță", "Grigore Moisil", "Henri Coandă",
            "Traian Vuia", "Constantin Brâncuși", "George Enescu", "Vasile Alecsandri",
            "Liviu Rebreanu", "Nicolae Iorga", "Titu Maiorescu", "Mircea cel Bătrân",
        ),
        "nickname": ("Rază de Soare", "Căsuța Fermecată", "Licurici", "Piticot", "Ghiocelul"),
        "n": tuple(str(number) for number in range(1, 41)),
    },
    kinds=(
        ("pre_primary", 0.08, (
            "Grădinița cu Program Prelungit nr. {n}", "Grădinița cu Program Normal nr. {n}",
            "Grădinița „{nickname}”",
        )),
        ("primary_lower", 0.5, ("Școala Gimnazială nr. {n}", "Școala Gimnazială „{figure}”")),
        ("upper", 0.25, (
            "Colegiul Național „{figure}”", "Liceul Teoretic „{figure}”",
            "Colegiul Național Pedagogic „{figure}”",
        )),
        ("vocational", 0.17, (
            "Liceul Tehnologic „{figure}”", "Liceul Tehnologic nr. {n}",
            "Colegiul Tehnic „{figure}”", "Școala Profesională {city}",
        )),
    ),
)

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

FRENCH = NamingStyle(
    language="fr",
    first_names=(
        "Jean", "Marie", "Nathalie", "Isabelle", "Philippe", "Christophe", "Sophie", "Julie",
        "Nicolas", "Thomas", "Céline", "Françoise", "Benoît", "Frédéric", "Hélène", "Valérie",
        "Véronique", "Pierre", "Luc", "Anne-Sophie", "Amélie", "Mathieu", "Aurélie", "Jérôme",
        "Chloé", "Élodie", "Delphine", "Cédric", "Sébastien",
    ),
    last_names=(
        "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent", "Leclercq", "Lejeune",
        "Renard", "Dumont", "Collard", "Lefèvre", "Denis", "Dumortier", "François", "Gérard",
        "Thiry", "Hubert", "Lemaire", "Leroy", "Noël", "Deprez", "Colin", "Masson", "Piret",
        "Delvaux", "Henrard", "Gilson", "Bodart",
    ),
    material={
        "noun": (
            "Les Tilleuls", "Les Coquelicots", "La Source", "Les Marronniers", "Le Petit Prince",
            "Les Étoiles", "L'Arc-en-ciel", "La Clairière", "Les Castors", "Les Bruyères",
            "Le Chêne", "Les Hirondelles", "Les Peupliers", "Les Lilas", "Les Glycines",
            "Les Mésanges", "Les Écureuils", "Le Verger", "Les Sources", "Le Cerisier",
            "La Ruche", "Les Colibris", "Les Saules", "Le Moulin", "La Marelle", "Les Genêts",
        ),
        "saint": (
            "Saint-Joseph", "Saint-Louis", "Sainte-Marie", "Saint-Michel", "Saint-Luc",
            "Saint-Berthuin", "Sainte-Julienne", "Saint-Roch", "Saint-Laurent", "Sainte-Ursule",
            "Saint-Benoît", "Notre-Dame",
        ),
        "figure": (
            "Jules Bordet", "Adolphe Max", "Charles Janssens", "Victor Horta", "Simone Veil",
            "Marie Curie", "Jean Jaurès", "Paul-Henri Spaak", "Léonard Defrance",
            "Georges Simenon", "Jacques Brel", "René Magritte", "Fernand Blum", "Émile Verhaeren",
        ),
    },
    kinds=(
        ("pre_primary", 0.05, ("École maternelle {noun}",)),
        ("primary", 0.45, (
            "École communale {noun}", "École communale {de_city}", "École fondamentale {noun}",
            "École libre {saint}", "École primaire {noun}",
        )),
        ("lower_upper", 0.35, (
            "Athénée Royal {de_city}", "Athénée Royal {figure}", "Institut {saint}",
            "Collège {saint}", "Lycée {figure}",
        )),
        ("vocational", 0.15, (
            "Institut technique {de_city}", "Institut technique {saint}",
            "Institut provincial d'enseignement secondaire {de_city}",
        )),
    ),
)
# fmt: on

STYLES = {"tr": TURKISH, "ro": ROMANIAN, "nb": NORWEGIAN, "nl": DUTCH, "fr": FRENCH}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_VOWELS = "AEIOUYÂÉÈÊÎÔÛ"


def naming_style(country: str, language: str) -> NamingStyle:
    """Flemish schools are named unlike Dutch ones; everyone else by language."""
    return FLEMISH if country == "BE" and language == "nl" else STYLES[language]


def school_name(rng: random.Random, style: NamingStyle, city: str) -> tuple[str, tuple[str, ...]]:
    """A school name for ``city`` and the education levels its kind of school teaches."""
    kind, _weight, templates = rng.choices(style.kinds, weights=style.kind_weights)[0]

    def fill(match: re.Match[str]) -> str:
        field = match.group(1)
        if field == "city":
            return city
        if field == "de_city":
            return f"d'{city}" if city[0] in _VOWELS else f"de {city}"
        if field == "person":
            return style.person(rng)
        return rng.choice(style.material[field])

    return _PLACEHOLDER.sub(fill, rng.choice(templates)), KIND_LEVELS[kind]
