"""What demo schools and people write, in each school language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrases:
    #: Activity titles per activity type; ``{topic}`` is filled from ``topics``.
    titles: dict[str, tuple[str, ...]]
    descriptions: dict[str, str]
    topics: tuple[str, ...]
    request: str
    #: ``{years}`` is filled with the mentor's years of experience.
    bio: str
    motivation: str
    rejection: str
    decline: str
    feedback_school: str
    feedback_mentor: str


PHRASES: dict[str, Phrases] = {
    "tr": Phrases(
        titles={
            "open_day": (
                "eTwinning Açık Kapı Günü",
                "Okulumuzda eTwinning Tanıtım Günü",
                "Komşu Okullara Açık Ders Günü",
                "eTwinning Projeleri Sergisi ve Açık Gün",
            ),
            "info_session": (
                "eTwinning Bilgilendirme Toplantısı",
                "eTwinning'e İlk Adım: Bilgilendirme Semineri",
                "Okul Yöneticilerine eTwinning Tanıtımı",
                "eTwinning Okulu Etiketi Bilgilendirme Toplantısı",
            ),
            "mentoring_session": (
                "Yeni eTwinning Okulları İçin Mentorluk Oturumu",
                "Proje Ortağı Bulma: Mentorluk Görüşmesi",
                "TwinSpace Kullanımı Üzerine Mentorluk",
            ),
            "professional_development": (
                "Öğretmen Semineri: {topic}",
                "Atölye Çalışması: {topic}",
                "Mesleki Gelişim Kursu: {topic}",
            ),
            "other": (
                "eTwinning Günü Kutlaması",
                "Öğrenci Projeleri Şenliği",
                "Avrupa Diller Günü Etkinliği",
                "Okul eTwinning Ekibi Planlama Toplantısı",
            ),
        },
        descriptions={
            "open_day": "Bölgemizdeki okulların öğretmen ve yöneticilerini okulumuza davet "
            "ediyoruz: eTwinning projelerimizi, sınıflarımızı ve ekip çalışmamızı yerinde görün.",
            "info_session": "eTwinning nedir, nasıl başlanır, okulunuz nasıl eTwinning Okulu "
            "olur? Sorularınızı yanıtlıyoruz.",
            "mentoring_session": "eTwinning'e yeni başlayan okullarla ilk projelerini birlikte "
            "planlıyoruz.",
            "professional_development": "Bölgedeki öğretmenlere açık, uygulamalı bir mesleki "
            "gelişim etkinliği.",
            "other": "Öğrencilerimiz, öğretmenlerimiz ve velilerimizle birlikte düzenlediğimiz "
            "bir etkinlik.",
        },
        topics=(
            "eTwinning'de proje planlama",
            "TwinSpace kullanımı",
            "dijital vatandaşlık",
            "kapsayıcı eğitim",
            "yapay zekâ ve eğitim",
            "eTwinning Okulu etiketine başvuru",
            "proje tabanlı öğrenme",
            "güvenli internet kullanımı",
        ),
        request="Okulumuz eTwinning'e yeni katıldı; ilk projemizi planlamak için bir mentora "
        "ihtiyacımız var.",
        bio="eTwinning projelerinde {years} yıllık deneyime sahip bir öğretmenim; yeni okullara "
        "yardımcı olmaktan mutluluk duyarım.",
        motivation="Bölgemizdeki okullarla eTwinning deneyimimizi paylaşmak istiyoruz.",
        rejection="Başvuruda bölgesel etkinlik planı eksik.",
        decline="Bu dönem programım çok yoğun.",
        feedback_school="Mentorumuz sayesinde ilk projemizi başarıyla tamamladık.",
        feedback_mentor="Çok istekli bir ekip; birlikte çalışmak keyifliydi.",
    ),
    "ro": Phrases(
        titles={
            "open_day": (
                "Ziua porților deschise eTwinning",
                "Școala noastră, model pentru alte școli: zi deschisă",
                "Lecții deschise pentru profesorii din județ",
            ),
            "info_session": (
                "Sesiune de informare despre eTwinning",
                "Primii pași în eTwinning",
                "Eticheta Școală eTwinning: sesiune de informare",
                "Prezentarea eTwinning pentru directorii de școli",
            ),
            "mentoring_session": (
                "Sesiune de mentorat pentru școlile noi în eTwinning",
                "Mentorat: găsirea partenerilor de proiect",
                "Mentorat: primul proiect în TwinSpace",
            ),
            "professional_development": (
                "Atelier pentru profesori: {topic}",
                "Curs de formare: {topic}",
                "Cerc pedagogic: {topic}",
            ),
            "other": (
                "Ziua eTwinning la școala noastră",
                "Expoziția proiectelor elevilor",
                "Ziua Europeană a Limbilor",
                "Întâlnirea echipei eTwinning a școlii",
            ),
        },
        descriptions={
            "open_day": "Invităm profesorii și directorii școlilor din regiune să ne viziteze: "
            "proiecte eTwinning, lecții deschise și discuții cu echipa noastră.",
            "info_session": "Ce este eTwinning, cum începeți și cum devine școala dumneavoastră "
            "Școală eTwinning? Răspundem la întrebări.",
            "mentoring_session": "Însoțim școlile noi în eTwinning în planificarea primului lor "
            "proiect.",
            "professional_development": "O activitate practică de dezvoltare profesională, "
            "deschisă profesorilor din regiune.",
            "other": "O activitate organizată împreună cu elevii, profesorii și părinții noștri.",
        },
        topics=(
            "planificarea proiectelor eTwinning",
            "utilizarea TwinSpace",
            "cetățenia digitală",
            "educația incluzivă",
            "inteligența artificială la clasă",
            "candidatura pentru eticheta Școală eTwinning",
            "învățarea bazată pe proiecte",
            "siguranța pe internet",
        ),
        request="Școala noastră este nouă în eTwinning; avem nevoie de un mentor pentru a "
        "planifica primul nostru proiect.",
        bio="Sunt profesor cu {years} ani de experiență în proiecte eTwinning și ajut cu plăcere "
        "școlile noi.",
        motivation="Dorim să împărtășim experiența noastră eTwinning cu școlile din regiune.",
        rejection="Candidaturii îi lipsește planul de activități regionale.",
        decline="În acest semestru programul meu este prea încărcat.",
        feedback_school="Datorită mentorului nostru am finalizat cu succes primul proiect.",
        feedback_mentor="O echipă foarte motivată; a fost o plăcere să lucrăm împreună.",
    ),
    "nb": Phrases(
        titles={
            "open_day": (
                "Åpen dag: eTwinning på vår skole",
                "Åpen skole for lærere i regionen",
                "Besøksdag: se eTwinning-prosjektene våre",
            ),
            "info_session": (
                "Informasjonsmøte om eTwinning",
                "Kom i gang med eTwinning",
                "eTwinning-skolemerket: informasjonsmøte",
                "eTwinning for skoleledere",
            ),
            "mentoring_session": (
                "Veiledning for nye eTwinning-skoler",
                "Veiledning: finne partnere til prosjektet",
                "Veiledning: første prosjekt i TwinSpace",
            ),
            "professional_development": (
                "Kurs for lærere: {topic}",
                "Verksted: {topic}",
                "Fagdag: {topic}",
            ),
            "other": (
                "eTwinning-dagen på skolen",
                "Utstilling av elevprosjekter",
                "Den europeiske språkdagen",
                "Planleggingsmøte for skolens eTwinning-team",
            ),
        },
        descriptions={
            "open_day": "Vi inviterer lærere og skoleledere fra skolene i regionen til å besøke "
            "oss: eTwinning-prosjekter, åpne klasserom og samtaler med teamet vårt.",
            "info_session": "Hva er eTwinning, hvordan kommer man i gang, og hvordan blir skolen "
            "en eTwinning-skole? Vi svarer på spørsmålene dine.",
            "mentoring_session": "Vi hjelper skoler som er nye i eTwinning, med å planlegge sitt "
            "første prosjekt.",
            "professional_development": "Et praktisk kompetansehevingstilbud, åpent for lærere "
            "i regionen.",
            "other": "Et arrangement vi lager sammen med elever, lærere og foreldre.",
        },
        topics=(
            "prosjektplanlegging i eTwinning",
            "bruk av TwinSpace",
            "digital dømmekraft",
            "inkluderende opplæring",
            "kunstig intelligens i klasserommet",
            "søknad om eTwinning-skolemerket",
            "prosjektbasert læring",
            "nettvett",
        ),
        request="Skolen vår er ny i eTwinning, og vi ønsker en veileder som kan hjelpe oss med "
        "det første prosjektet.",
        bio="Jeg er lærer med {years} års erfaring fra eTwinning-prosjekter og hjelper gjerne "
        "nye skoler.",
        motivation="Vi ønsker å dele eTwinning-erfaringene våre med skolene i regionen.",
        rejection="Søknaden mangler en plan for aktiviteter i regionen.",
        decline="Timeplanen min er for full dette semesteret.",
        feedback_school="Takket være veilederen vår fullførte vi det første prosjektet.",
        feedback_mentor="Et svært motivert team; det var en glede å samarbeide.",
    ),
    "nl": Phrases(
        titles={
            "open_day": (
                "Open dag: eTwinning bij ons op school",
                "Kijkdag voor leraren uit de regio",
                "Open lessen: onze eTwinning-projecten",
            ),
            "info_session": (
                "Informatiebijeenkomst over eTwinning",
                "Aan de slag met eTwinning",
                "Het eTwinning School-label: informatiesessie",
                "eTwinning voor schoolleiders",
            ),
            "mentoring_session": (
                "Begeleiding voor scholen die nieuw zijn in eTwinning",
                "Mentorgesprek: projectpartners vinden",
                "Mentorgesprek: je eerste project in TwinSpace",
            ),
            "professional_development": (
                "Workshop voor leraren: {topic}",
                "Studiedag: {topic}",
                "Nascholing: {topic}",
            ),
            "other": (
                "eTwinning-dag op school",
                "Tentoonstelling van leerlingenprojecten",
                "Europese Dag van de Talen",
                "Overleg van het eTwinning-team van de school",
            ),
        },
        descriptions={
            "open_day": "We nodigen leraren en schoolleiders van scholen uit de regio uit: "
            "eTwinning-projecten, open lessen en gesprekken met ons team.",
            "info_session": "Wat is eTwinning, hoe begin je en hoe wordt je school een eTwinning "
            "School? We beantwoorden je vragen.",
            "mentoring_session": "We helpen scholen die nieuw zijn in eTwinning hun eerste "
            "project te plannen.",
            "professional_development": "Een praktische professionaliseringsactiviteit, open "
            "voor leraren uit de regio.",
            "other": "Een activiteit samen met onze leerlingen, leraren en ouders.",
        },
        topics=(
            "projectplanning in eTwinning",
            "werken met TwinSpace",
            "digitaal burgerschap",
            "inclusief onderwijs",
            "AI in de klas",
            "het eTwinning School-label aanvragen",
            "projectmatig leren",
            "veilig internet",
        ),
        request="Onze school is nieuw in eTwinning; we zoeken een mentor om ons eerste project "
        "te plannen.",
        bio="Ik ben leraar met {years} jaar ervaring in eTwinning-projecten en help graag nieuwe "
        "scholen op weg.",
        motivation="We willen onze eTwinning-ervaring delen met de scholen in onze regio.",
        rejection="De aanvraag bevat geen plan voor activiteiten in de regio.",
        decline="Mijn agenda zit dit semester te vol.",
        feedback_school="Dankzij onze mentor hebben we ons eerste project afgerond.",
        feedback_mentor="Een zeer gemotiveerd team; het was fijn om samen te werken.",
    ),
    "fr": Phrases(
        titles={
            "open_day": (
                "Journée portes ouvertes eTwinning",
                "Classes ouvertes pour les enseignants de la région",
                "Découvrez nos projets eTwinning : journée ouverte",
            ),
            "info_session": (
                "Séance d'information sur eTwinning",
                "Premiers pas dans eTwinning",
                "Le label École eTwinning : séance d'information",
                "eTwinning pour les directions d'école",
            ),
            "mentoring_session": (
                "Accompagnement des écoles qui débutent dans eTwinning",
                "Mentorat : trouver des partenaires de projet",
                "Mentorat : un premier projet dans le TwinSpace",
            ),
            "professional_development": (
                "Atelier pour enseignants : {topic}",
                "Formation : {topic}",
                "Journée pédagogique : {topic}",
            ),
            "other": (
                "Journée eTwinning à l'école",
                "Exposition des projets des élèves",
                "Journée européenne des langues",
                "Réunion de l'équipe eTwinning de l'école",
            ),
        },
        descriptions={
            "open_day": "Nous invitons les enseignants et les directions des écoles de la région "
            ": projets eTwinning, classes ouvertes et échanges avec notre équipe.",
            "info_session": "Qu'est-ce qu'eTwinning, comment commencer et comment votre école "
            "peut-elle devenir École eTwinning ? Nous répondons à vos questions.",
            "mentoring_session": "Nous accompagnons les écoles qui débutent dans eTwinning dans "
            "la préparation de leur premier projet.",
            "professional_development": "Une activité pratique de développement professionnel, "
            "ouverte aux enseignants de la région.",
            "other": "Une activité organisée avec nos élèves, nos enseignants et les parents.",
        },
        topics=(
            "planifier un projet eTwinning",
            "utiliser le TwinSpace",
            "la citoyenneté numérique",
            "l'enseignement inclusif",
            "l'intelligence artificielle en classe",
            "candidater au label École eTwinning",
            "la pédagogie de projet",
            "la sécurité en ligne",
        ),
        request="Notre école débute dans eTwinning ; nous cherchons un mentor pour préparer "
        "notre premier projet.",
        bio="J'enseigne et j'ai {years} ans d'expérience de projets eTwinning ; j'aide volontiers "
        "les écoles qui débutent.",
        motivation="Nous souhaitons partager notre expérience eTwinning avec les écoles de notre "
        "région.",
        rejection="La candidature ne contient pas de plan d'activités régionales.",
        decline="Mon emploi du temps est trop chargé ce semestre.",
        feedback_school="Grâce à notre mentor, nous avons mené à bien notre premier projet.",
        feedback_mentor="Une équipe très motivée ; ce fut un plaisir de travailler ensemble.",
    ),
}
