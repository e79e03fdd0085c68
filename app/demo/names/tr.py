"""Turkish school and person names."""

from app.demo.names.style import NamingStyle

# fmt: off
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
# fmt: on
