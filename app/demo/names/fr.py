"""French-speaking Belgian school and person names."""

from app.demo.names.style import NamingStyle

# fmt: off
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
