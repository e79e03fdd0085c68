"""Romanian school and person names."""

from app.demo.names.style import NamingStyle

# fmt: off
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
# fmt: on
