"""Where demo schools are: real towns per region, languages per region, region weights.

Regions themselves always come from the database; this module only knows real
town names for the official region names (``Region.name``), so a school gets a
believable city. A region without an entry uses its own name as the city.
"""

from __future__ import annotations

import re

DEMO_COUNTRIES = ("TR", "RO", "NO", "NL", "BE")

# fmt: off
#: Real towns and districts per region, keyed by country and official region name.
CITIES: dict[str, dict[str, tuple[str, ...]]] = {
    "TR": {
        "İstanbul": (
            "Şişli", "Kadıköy", "Üsküdar", "Beşiktaş", "Fatih", "Bakırköy", "Pendik",
            "Esenyurt", "Sarıyer", "Ümraniye", "Beylikdüzü", "İstanbul",
        ),
        "Ankara": ("Çankaya", "Keçiören", "Yenimahalle", "Etimesgut", "Polatlı", "Ankara"),
        "İzmir": ("Karşıyaka", "Bornova", "Konak", "Buca", "Çeşme", "İzmir"),
        "Bursa": ("Osmangazi", "Nilüfer", "Yıldırım", "İnegöl", "Gemlik"),
        "Antalya": ("Muratpaşa", "Konyaaltı", "Alanya", "Manavgat", "Kemer"),
        "Konya": ("Selçuklu", "Meram", "Karatay", "Ereğli", "Akşehir"),
        "Adana": ("Seyhan", "Çukurova", "Yüreğir", "Ceyhan", "Kozan"),
        "Trabzon": ("Ortahisar", "Akçaabat", "Of", "Araklı"),
        "Gaziantep": ("Şahinbey", "Şehitkamil", "Nizip"),
        "Eskişehir": ("Odunpazarı", "Tepebaşı", "Sivrihisar"),
        "Kocaeli": ("İzmit", "Gebze", "Gölcük", "Darıca", "Körfez"),
        "Diyarbakır": ("Bağlar", "Kayapınar", "Yenişehir", "Ergani"),
        "Mersin": ("Yenişehir", "Mezitli", "Tarsus", "Silifke", "Erdemli"),
        "Samsun": ("İlkadım", "Atakum", "Bafra", "Çarşamba"),
        "Kayseri": ("Melikgazi", "Kocasinan", "Talas", "Develi"),
        "Muğla": ("Menteşe", "Bodrum", "Fethiye", "Marmaris", "Milas"),
        "Çanakkale": ("Çanakkale", "Biga", "Gelibolu", "Ayvacık"),
    },
    "RO": {
        "București": ("București",),
        "Alba": ("Alba Iulia", "Sebeș", "Aiud"),
        "Arad": ("Arad", "Lipova"),
        "Argeș": ("Pitești", "Curtea de Argeș", "Câmpulung"),
        "Bacău": ("Bacău", "Onești", "Moinești"),
        "Bihor": ("Oradea", "Salonta", "Beiuș"),
        "Bistrița-Năsăud": ("Bistrița", "Năsăud"),
        "Botoșani": ("Botoșani", "Dorohoi"),
        "Brașov": ("Brașov", "Făgăraș", "Săcele", "Codlea"),
        "Brăila": ("Brăila", "Ianca"),
        "Buzău": ("Buzău", "Râmnicu Sărat"),
        "Caraș-Severin": ("Reșița", "Caransebeș"),
        "Călărași": ("Călărași", "Oltenița"),
        "Cluj": ("Cluj-Napoca", "Turda", "Dej", "Câmpia Turzii"),
        "Constanța": ("Constanța", "Mangalia", "Medgidia", "Năvodari"),
        "Covasna": ("Sfântu Gheorghe", "Târgu Secuiesc"),
        "Dâmbovița": ("Târgoviște", "Moreni"),
        "Dolj": ("Craiova", "Băilești", "Calafat"),
        "Galați": ("Galați", "Tecuci"),
        "Giurgiu": ("Giurgiu", "Bolintin-Vale"),
        "Gorj": ("Târgu Jiu", "Motru"),
        "Harghita": ("Miercurea Ciuc", "Odorheiu Secuiesc", "Gheorgheni"),
        "Hunedoara": ("Deva", "Hunedoara", "Petroșani", "Orăștie"),
        "Ialomița": ("Slobozia", "Fetești", "Urziceni"),
        "Iași": ("Iași", "Pașcani", "Hârlău"),
        "Ilfov": ("Voluntari", "Otopeni", "Buftea", "Popești-Leordeni"),
        "Maramureș": ("Baia Mare", "Sighetu Marmației", "Borșa"),
        "Mehedinți": ("Drobeta-Turnu Severin", "Orșova"),
        "Mureș": ("Târgu Mureș", "Sighișoara", "Reghin"),
        "Neamț": ("Piatra Neamț", "Roman", "Târgu Neamț"),
        "Olt": ("Slatina", "Caracal"),
        "Prahova": ("Ploiești", "Câmpina", "Sinaia", "Mizil"),
        "Satu Mare": ("Satu Mare", "Carei"),
        "Sălaj": ("Zalău", "Șimleu Silvaniei"),
        "Sibiu": ("Sibiu", "Mediaș", "Cisnădie"),
        "Suceava": ("Suceava", "Rădăuți", "Fălticeni", "Câmpulung Moldovenesc"),
        "Teleorman": ("Alexandria", "Roșiorii de Vede", "Turnu Măgurele"),
        "Timiș": ("Timișoara", "Lugoj", "Sânnicolau Mare"),
        "Tulcea": ("Tulcea", "Măcin"),
        "Vaslui": ("Vaslui", "Bârlad", "Huși"),
        "Vâlcea": ("Râmnicu Vâlcea", "Drăgășani"),
        "Vrancea": ("Focșani", "Adjud"),
    },
    "NO": {
        "Oslo": ("Oslo",),
        "Rogaland": ("Stavanger", "Sandnes", "Haugesund", "Egersund"),
        "Møre og Romsdal": ("Ålesund", "Molde", "Kristiansund"),
        "Nordland": ("Bodø", "Narvik", "Mo i Rana", "Svolvær"),
        "Viken": ("Drammen", "Fredrikstad", "Sarpsborg", "Lillestrøm", "Asker", "Bærum"),
        "Innlandet": ("Hamar", "Lillehammer", "Gjøvik", "Elverum"),
        "Vestfold og Telemark": ("Tønsberg", "Sandefjord", "Larvik", "Skien", "Porsgrunn"),
        "Agder": ("Kristiansand", "Arendal", "Grimstad", "Mandal"),
        "Vestland": ("Bergen", "Førde", "Voss", "Stord"),
        "Trøndelag": ("Trondheim", "Steinkjer", "Levanger", "Stjørdal"),
        "Troms og Finnmark": ("Tromsø", "Alta", "Hammerfest", "Harstad", "Kirkenes"),
        "Østfold": ("Fredrikstad", "Sarpsborg", "Moss", "Halden"),
        "Akershus": ("Lillestrøm", "Asker", "Bærum", "Ski", "Jessheim"),
        "Buskerud": ("Drammen", "Kongsberg", "Hønefoss", "Lier"),
        "Vestfold": ("Tønsberg", "Sandefjord", "Larvik", "Horten"),
        "Telemark": ("Skien", "Porsgrunn", "Notodden", "Kragerø"),
        "Troms": ("Tromsø", "Harstad", "Finnsnes"),
        "Finnmark": ("Alta", "Hammerfest", "Kirkenes", "Vadsø"),
        "Svalbard (Arctic Region)": ("Longyearbyen",),
    },
    "NL": {
        "Noord-Holland": ("Amsterdam", "Haarlem", "Zaandam", "Alkmaar", "Hilversum", "Hoorn"),
        "Zuid-Holland": (
            "Rotterdam", "Den Haag", "Leiden", "Delft", "Dordrecht", "Gouda", "IJsselmonde",
            "Zoetermeer",
        ),
        "Utrecht": ("Utrecht", "Amersfoort", "Nieuwegein", "Zeist", "IJsselstein"),
        "Gelderland": ("Arnhem", "Nijmegen", "Apeldoorn", "Ede", "Zutphen"),
        "Noord-Brabant": ("Eindhoven", "Tilburg", "Breda", "'s-Hertogenbosch", "Helmond"),
        "Limburg": ("Maastricht", "Venlo", "Heerlen", "Sittard", "Roermond"),
        "Overijssel": ("Zwolle", "Enschede", "Deventer", "Hengelo", "Almelo"),
        "Groningen": ("Groningen", "Delfzijl", "Veendam"),
        "Fryslân": ("Leeuwarden", "Sneek", "Drachten", "Heerenveen"),
        "Drenthe": ("Assen", "Emmen", "Hoogeveen", "Meppel"),
        "Flevoland": ("Almere", "Lelystad", "Dronten", "Emmeloord"),
        "Zeeland": ("Middelburg", "Vlissingen", "Goes", "Terneuzen"),
        "Aruba": ("Oranjestad",),
        "Curaçao": ("Willemstad",),
        "Sint Maarten": ("Philipsburg",),
        "Bonaire": ("Kralendijk",),
        "Saba": ("The Bottom",),
        "Sint Eustatius": ("Oranjestad",),
    },
    "BE": {
        "Antwerpen": ("Antwerpen", "Mechelen", "Turnhout", "Lier", "Geel", "Mol"),
        "Oost-Vlaanderen": ("Gent", "Aalst", "Sint-Niklaas", "Dendermonde", "Oudenaarde"),
        "West-Vlaanderen": ("Brugge", "Kortrijk", "Oostende", "Roeselare", "Ieper"),
        "Vlaams-Brabant": ("Leuven", "Vilvoorde", "Aarschot", "Halle", "Tienen"),
        "Limburg": ("Hasselt", "Genk", "Sint-Truiden", "Tongeren", "Lommel"),
        "Hainaut": ("Charleroi", "Mons", "Tournai", "La Louvière", "Mouscron", "Ath"),
        "Liège": ("Liège", "Verviers", "Seraing", "Huy", "Spa"),
        "Namur": ("Namur", "Dinant", "Gembloux", "Ciney"),
        "Luxembourg": ("Arlon", "Bastogne", "Marche-en-Famenne", "Virton"),
        "Brabant wallon": ("Wavre", "Nivelles", "Ottignies-Louvain-la-Neuve", "Waterloo"),
        "Bruxelles-Capitale, Région de": (
            "Bruxelles", "Schaerbeek", "Anderlecht", "Ixelles", "Uccle", "Molenbeek-Saint-Jean",
            "Etterbeek", "Saint-Gilles",
        ),
    },
}
# fmt: on

#: Relative number of schools of sparsely populated or overseas regions (default 1.0).
SPARSE_REGIONS: dict[str, dict[str, float]] = {
    "NO": {"Svalbard (Arctic Region)": 0.05, "Jan Mayen (Arctic Region)": 0.0},
    "NL": {
        "Aruba": 0.2,
        "Curaçao": 0.2,
        "Sint Maarten": 0.1,
        "Bonaire": 0.1,
        "Saba": 0.02,
        "Sint Eustatius": 0.02,
    },
}

#: The teaching language(s) of a country, first the usual one.
COUNTRY_LANGUAGES = {"TR": ("tr",), "RO": ("ro",), "NO": ("nb",), "NL": ("nl",)}

#: Interface locales the application offers (``fr`` is not one of them).
UI_LOCALES = ("en", "nl", "tr", "nb", "ro")

_PARENTHESIS = re.compile(r"\s*\(.*\)$")


def region_languages(country: str, region_code: str) -> tuple[str, ...]:
    """Teaching languages of a region, the most common first.

    Belgium's Flemish provinces (``BE-V…``) teach in Dutch, the Walloon ones
    (``BE-W…``) in French, and Brussels in French and Dutch.
    """
    if country != "BE":
        return COUNTRY_LANGUAGES[country]
    if region_code.startswith("BE-V"):
        return ("nl",)
    if region_code.startswith("BE-W"):
        return ("fr",)
    return ("fr", "nl")


def region_cities(country: str, region_name: str) -> tuple[str, ...]:
    """Real towns of a region, or the region's own name without its qualifier."""
    cities = CITIES.get(country, {}).get(region_name)
    if cities:
        return cities
    return (_PARENTHESIS.sub("", region_name).split(",")[0].strip(),)


def region_weight(country: str, region_name: str) -> float:
    """How many schools a region gets relative to the others of its country."""
    sparse = SPARSE_REGIONS.get(country, {})
    if region_name in sparse:
        return sparse[region_name]
    return 1.0 + len(CITIES.get(country, {}).get(region_name, ())) / 2


def user_locale(language: str) -> str | None:
    """The interface locale for a teaching language, when the application offers it."""
    return language if language in UI_LOCALES else None
