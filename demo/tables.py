"""The demo data's vocabulary: regions, names, employers, notes and the weights of outcomes."""

import bisect
import itertools
import random
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.text import slugify

DEMO_PASSWORD = "werkakademie-demo"
OPERATOR_EMAIL = "betrieb@werkakademie.example"
ANALYST_EMAIL = "analyse@werkakademie.example"
BATCH_SIZE = 2000
MAX_YEARS = 30

# --- Regions: name | Land | licence plate | postal code | area code | towns -----------------
# The first three give one jobcenter per Land; the rest follow Land by Land.
_REGION_TABLE = """
Dortmund                      | NW | DO   | 44137 | 0231  | Dortmund, Lünen, Castrop-Rauxel
Region Hannover               | NI | H    | 30159 | 0511  | Hannover, Garbsen, Langenhagen, Laatzen
Kassel                        | HE | KS   | 34117 | 0561  | Kassel
Essen                         | NW | E    | 45127 | 0201  | Essen
Braunschweig                  | NI | BS   | 38100 | 0531  | Braunschweig
Frankfurt am Main             | HE | F    | 60311 | 069   | Frankfurt am Main
Bielefeld                     | NW | BI   | 33602 | 0521  | Bielefeld
Osnabrück                     | NI | OS   | 49074 | 0541  | Osnabrück
Wiesbaden                     | HE | WI   | 65183 | 0611  | Wiesbaden
Köln                          | NW | K    | 50667 | 0221  | Köln
Oldenburg                     | NI | OL   | 26122 | 0441  | Oldenburg
Darmstadt                     | HE | DA   | 64283 | 06151 | Darmstadt
Bochum                        | NW | BO   | 44787 | 0234  | Bochum
Duisburg                      | NW | DU   | 47051 | 0203  | Duisburg
Düsseldorf                    | NW | D    | 40210 | 0211  | Düsseldorf
Gelsenkirchen                 | NW | GE   | 45879 | 0209  | Gelsenkirchen
Wuppertal                     | NW | W    | 42103 | 0202  | Wuppertal
Münster                       | NW | MS   | 48143 | 0251  | Münster
Hagen                         | NW | HA   | 58095 | 02331 | Hagen
Hamm                          | NW | HAM  | 59065 | 02381 | Hamm
Herne                         | NW | HER  | 44623 | 02323 | Herne
Bottrop                       | NW | BOT  | 46236 | 02041 | Bottrop
Oberhausen                    | NW | OB   | 46045 | 0208  | Oberhausen
Mülheim an der Ruhr           | NW | MH   | 45468 | 0208  | Mülheim an der Ruhr
Krefeld                       | NW | KR   | 47798 | 02151 | Krefeld
Mönchengladbach               | NW | MG   | 41061 | 02161 | Mönchengladbach
Leverkusen                    | NW | LEV  | 51373 | 0214  | Leverkusen
Bonn                          | NW | BN   | 53111 | 0228  | Bonn
Remscheid                     | NW | RS   | 42853 | 02191 | Remscheid
Solingen                      | NW | SG   | 42651 | 0212  | Solingen
StädteRegion Aachen           | NW | AC   | 52062 | 0241  | Aachen, Eschweiler, Stolberg
Kreis Recklinghausen          | NW | RE   | 45657 | 02361 | Recklinghausen, Marl, Dorsten, Herten
Kreis Unna                    | NW | UN   | 59423 | 02303 | Unna, Kamen, Bergkamen, Schwerte
Kreis Wesel                   | NW | WES  | 46483 | 0281  | Wesel, Moers, Dinslaken
Ennepe-Ruhr-Kreis             | NW | EN   | 58452 | 02302 | Witten, Hattingen, Schwelm
Märkischer Kreis              | NW | MK   | 58636 | 02371 | Iserlohn, Lüdenscheid, Menden
Kreis Mettmann                | NW | ME   | 40878 | 02102 | Ratingen, Velbert, Hilden
Rhein-Kreis Neuss             | NW | NE   | 41460 | 02131 | Neuss, Grevenbroich, Dormagen
Rhein-Erft-Kreis              | NW | BM   | 50126 | 02271 | Bergheim, Kerpen, Hürth
Rhein-Sieg-Kreis              | NW | SU   | 53721 | 02241 | Siegburg, Troisdorf, Sankt Augustin
Rheinisch-Bergischer Kreis    | NW | GL   | 51465 | 02202 | Bergisch Gladbach, Overath, Burscheid
Oberbergischer Kreis          | NW | GM   | 51643 | 02261 | Gummersbach, Wiehl, Radevormwald
Kreis Düren                   | NW | DN   | 52349 | 02421 | Düren, Jülich
Kreis Euskirchen              | NW | EU   | 53879 | 02251 | Euskirchen, Mechernich
Kreis Heinsberg               | NW | HS   | 52525 | 02452 | Heinsberg, Erkelenz, Geilenkirchen
Kreis Viersen                 | NW | VIE  | 41747 | 02162 | Viersen, Nettetal, Kempen
Kreis Kleve                   | NW | KLE  | 47533 | 02821 | Kleve, Emmerich am Rhein, Goch
Kreis Borken                  | NW | BOR  | 46325 | 02861 | Borken, Bocholt, Ahaus, Gronau
Kreis Coesfeld                | NW | COE  | 48653 | 02541 | Coesfeld, Dülmen, Lüdinghausen
Kreis Steinfurt               | NW | ST   | 48565 | 02551 | Steinfurt, Rheine, Ibbenbüren
Kreis Warendorf               | NW | WAF  | 48231 | 02581 | Warendorf, Ahlen, Oelde
Kreis Gütersloh               | NW | GT   | 33330 | 05241 | Gütersloh, Rheda-Wiedenbrück, Verl
Kreis Herford                 | NW | HF   | 32052 | 05221 | Herford, Bünde, Löhne
Kreis Minden-Lübbecke         | NW | MI   | 32423 | 0571  | Minden, Bad Oeynhausen, Lübbecke
Kreis Lippe                   | NW | LIP  | 32756 | 05231 | Detmold, Lemgo, Bad Salzuflen
Kreis Paderborn               | NW | PB   | 33098 | 05251 | Paderborn, Delbrück, Büren
Kreis Höxter                  | NW | HX   | 37671 | 05271 | Höxter, Warburg, Brakel
Hochsauerlandkreis            | NW | HSK  | 59821 | 02931 | Arnsberg, Meschede, Brilon
Kreis Soest                   | NW | SO   | 59494 | 02921 | Soest, Lippstadt, Werl
Kreis Olpe                    | NW | OE   | 57462 | 02761 | Olpe, Attendorn, Lennestadt
Kreis Siegen-Wittgenstein     | NW | SI   | 57072 | 0271  | Siegen, Kreuztal, Bad Berleburg
Landkreis Göttingen           | NI | GOE  | 37073 | 0551  | Göttingen, Hann. Münden, Duderstadt
Wolfsburg                     | NI | WOB  | 38440 | 05361 | Wolfsburg
Salzgitter                    | NI | SZ   | 38226 | 05341 | Salzgitter
Delmenhorst                   | NI | DEL  | 27749 | 04221 | Delmenhorst
Emden                         | NI | EMD  | 26721 | 04921 | Emden
Wilhelmshaven                 | NI | WHV  | 26382 | 04421 | Wilhelmshaven
Landkreis Osnabrück           | NI | OS   | 49324 | 05422 | Melle, Georgsmarienhütte, Bramsche
Landkreis Hildesheim          | NI | HI   | 31134 | 05121 | Hildesheim, Alfeld, Sarstedt
Landkreis Celle               | NI | CE   | 29221 | 05141 | Celle, Bergen
Landkreis Lüneburg            | NI | LG   | 21335 | 04131 | Lüneburg, Adendorf
Landkreis Stade               | NI | STD  | 21682 | 04141 | Stade, Buxtehude
Landkreis Cuxhaven            | NI | CUX  | 27472 | 04721 | Cuxhaven, Geestland
Landkreis Harburg             | NI | WL   | 21423 | 04171 | Winsen (Luhe), Buchholz in der Nordheide
Landkreis Emsland             | NI | EL   | 49716 | 05931 | Meppen, Lingen (Ems), Papenburg
Landkreis Grafschaft Bentheim | NI | NOH  | 48529 | 05921 | Nordhorn, Bad Bentheim
Landkreis Leer                | NI | LER  | 26789 | 0491  | Leer, Weener
Landkreis Aurich              | NI | AUR  | 26603 | 04941 | Aurich, Norden
Landkreis Friesland           | NI | FRI  | 26441 | 04461 | Jever, Varel
Landkreis Ammerland           | NI | WST  | 26655 | 04488 | Westerstede, Bad Zwischenahn
Landkreis Cloppenburg         | NI | CLP  | 49661 | 04471 | Cloppenburg, Friesoythe
Landkreis Vechta              | NI | VEC  | 49377 | 04441 | Vechta, Lohne, Damme
Landkreis Diepholz            | NI | DH   | 49356 | 05441 | Diepholz, Syke, Weyhe
Landkreis Nienburg/Weser      | NI | NI   | 31582 | 05021 | Nienburg/Weser, Stolzenau
Landkreis Schaumburg          | NI | SHG  | 31655 | 05721 | Stadthagen, Bückeburg, Rinteln
Landkreis Hameln-Pyrmont      | NI | HM   | 31785 | 05151 | Hameln, Bad Pyrmont
Landkreis Holzminden          | NI | HOL  | 37603 | 05531 | Holzminden, Stadtoldendorf
Landkreis Northeim            | NI | NOM  | 37154 | 05551 | Northeim, Einbeck
Landkreis Goslar              | NI | GS   | 38640 | 05321 | Goslar, Bad Harzburg, Seesen
Landkreis Peine               | NI | PE   | 31224 | 05171 | Peine, Ilsede
Landkreis Gifhorn             | NI | GF   | 38518 | 05371 | Gifhorn, Wittingen
Landkreis Helmstedt           | NI | HE   | 38350 | 05351 | Helmstedt, Schöningen
Landkreis Wolfenbüttel        | NI | WF   | 38300 | 05331 | Wolfenbüttel
Landkreis Uelzen              | NI | UE   | 29525 | 0581  | Uelzen, Bad Bevensen
Landkreis Verden              | NI | VER  | 27283 | 04231 | Verden (Aller), Achim
Landkreis Rotenburg (Wümme)   | NI | ROW  | 27356 | 04261 | Rotenburg (Wümme), Zeven, Bremervörde
Heidekreis                    | NI | HK   | 29614 | 05191 | Soltau, Walsrode, Munster
Landkreis Osterholz           | NI | OHZ  | 27711 | 04791 | Osterholz-Scharmbeck, Lilienthal
Offenbach am Main             | HE | OF   | 63065 | 069   | Offenbach am Main
Main-Kinzig-Kreis             | HE | MKK  | 63450 | 06181 | Hanau, Gelnhausen, Maintal
Landkreis Gießen              | HE | GI   | 35390 | 0641  | Gießen, Lich, Hungen
Landkreis Marburg-Biedenkopf  | HE | MR   | 35037 | 06421 | Marburg, Stadtallendorf, Biedenkopf
Landkreis Fulda               | HE | FD   | 36037 | 0661  | Fulda, Hünfeld
Lahn-Dill-Kreis               | HE | LDK  | 35578 | 06441 | Wetzlar, Dillenburg, Herborn
Wetteraukreis                 | HE | FB   | 61169 | 06031 | Friedberg (Hessen), Bad Vilbel, Büdingen
Hochtaunuskreis               | HE | HG   | 61348 | 06172 | Bad Homburg vor der Höhe, Oberursel
Main-Taunus-Kreis             | HE | MTK  | 65719 | 06192 | Hofheim am Taunus, Eschborn, Hattersheim
Kreis Groß-Gerau              | HE | GG   | 65428 | 06142 | Rüsselsheim am Main, Groß-Gerau
Kreis Bergstraße              | HE | HP   | 64646 | 06252 | Heppenheim, Bensheim, Viernheim
Odenwaldkreis                 | HE | ERB  | 64711 | 06062 | Erbach, Michelstadt
Landkreis Darmstadt-Dieburg   | HE | DA   | 64807 | 06071 | Dieburg, Griesheim, Pfungstadt
Landkreis Limburg-Weilburg    | HE | LM   | 65549 | 06431 | Limburg an der Lahn, Weilburg
Rheingau-Taunus-Kreis         | HE | RUED | 65307 | 06124 | Bad Schwalbach, Taunusstein, Geisenheim
Vogelsbergkreis               | HE | VB   | 36341 | 06641 | Lauterbach, Alsfeld
Landkreis Hersfeld-Rotenburg  | HE | HEF  | 36251 | 06621 | Bad Hersfeld, Rotenburg an der Fulda
Werra-Meißner-Kreis           | HE | ESW  | 37269 | 05651 | Eschwege, Witzenhausen
Schwalm-Eder-Kreis            | HE | HR   | 34576 | 05681 | Homberg (Efze), Schwalmstadt, Melsungen
Landkreis Waldeck-Frankenberg | HE | KB   | 34497 | 05631 | Korbach, Frankenberg (Eder), Bad Arolsen
Landkreis Kassel              | HE | KS   | 34225 | 0561  | Baunatal, Vellmar, Hofgeismar
Kreis Offenbach               | HE | OF   | 63128 | 06074 | Dietzenbach, Neu-Isenburg, Dreieich
"""

_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "/": " "}
)


def ascii_slug(text: str) -> str:
    return slugify(text.translate(_TRANSLITERATION))


@dataclass(frozen=True)
class Region:
    name: str
    land: str
    plate: str
    postal_code: str
    area_code: str
    towns: tuple[str, ...]

    @property
    def code(self) -> str:
        return "jc-" + ascii_slug(self.name.removeprefix("Region "))


def _parse_regions(table: str) -> tuple[Region, ...]:
    regions = []
    for line in table.strip().splitlines():
        name, land, plate, postal_code, area_code, towns = (p.strip() for p in line.split("|"))
        regions.append(Region(name, land, plate, postal_code, area_code,
                              tuple(t.strip() for t in towns.split(","))))
    return tuple(regions)


REGIONS = _parse_regions(_REGION_TABLE)


@dataclass(frozen=True)
class ProgrammeSpec:
    key: str  # prefix of the cohort codes
    name: str
    length_days: int
    capacity: int
    per_coach: int
    # The absence rule: unexcused absences in a row, in total.
    absences_in_row: int
    absences_total: int


PROGRAMMES = (
    ProgrammeSpec("WA", "Werkakademie", 42, 16, 16, 2, 4),
    ProgrammeSpec("JA", "Jobakademie u25", 180, 9, 3, 3, 6),
    ProgrammeSpec("JC", "Jobclub", 28, 12, 12, 2, 4),
)
# Programme of the n-th cohort of a year: mostly Werkakademie, as in the field.
PROGRAMME_CYCLE = ("WA", "WA", "JC", "WA", "JA", "WA")
COHORTS_PER_YEAR = len(PROGRAMME_CYCLE)
SESSIONS_PER_COHORT = 18
SESSION_WEEKDAYS = (0, 1, 3)  # Monday, Tuesday, Thursday

# Catalogue order is also the order in which a cohort goes through the topics.
MODULES = (
    ("Kompetenzprofil", "Stärken, Erfahrungen und Ziele sichtbar machen"),
    ("Berufskunde", "Berufe, Branchen und Anforderungen in der Region"),
    ("Bewerbungsunterlagen", "Lebenslauf, Anschreiben, Zeugnisse"),
    ("Digitale Bewerberkarte", "Online-Profil in der Jobbörse und Kurzbewerbung"),
    ("Arbeitskultur in Deutschland", "Pünktlichkeit, Umgangsformen, Rechte und Pflichten"),
    ("Vorstellungsgespräch", "Gesprächsführung und Rollenspiele"),
    ("Zeitmanagement", "Tagesstruktur, Kinderbetreuung und Arbeitswege planen"),
    ("Gesundheit", "Belastungen erkennen, Bewegung, Ernährung"),
)

# Per programme: its modules in order, each with its number of sessions.
CURRICULA = {
    # 42 sessions: seven a week over six weeks.
    "WA": (("Kompetenzprofil", 5), ("Berufskunde", 6), ("Bewerbungsunterlagen", 8),
           ("Digitale Bewerberkarte", 4), ("Arbeitskultur in Deutschland", 5),
           ("Vorstellungsgespräch", 6), ("Zeitmanagement", 4), ("Gesundheit", 4)),
    # 72 sessions: three a week over six months, around the public holidays.
    "JA": (("Kompetenzprofil", 8), ("Berufskunde", 12), ("Bewerbungsunterlagen", 14),
           ("Digitale Bewerberkarte", 6), ("Arbeitskultur in Deutschland", 8),
           ("Vorstellungsgespräch", 10), ("Zeitmanagement", 8), ("Gesundheit", 6)),
    # 12 sessions: three a week over four weeks.
    "JC": (("Kompetenzprofil", 1), ("Bewerbungsunterlagen", 3), ("Digitale Bewerberkarte", 2),
           ("Berufskunde", 2), ("Vorstellungsgespräch", 3), ("Arbeitskultur in Deutschland", 1)),
}
# A group's weekly slots: (weekdays, from, until) each. Per programme the patterns in order
# of preference: a group takes the first whose times no group of the same coach, and no
# group in the same room, has on the same days.
_WEEKDAYS = (0, 1, 2, 3, 4)
MORNINGS, _AFTERNOONS = ((9, 0), (12, 0)), ((13, 0), (16, 0))
SLOT_PATTERNS = {
    # Seven a week: every morning and two afternoons.
    "WA": (((_WEEKDAYS, *MORNINGS), ((1, 3), (13, 0), (15, 0))), ((_WEEKDAYS, *_AFTERNOONS),)),
    "JA": ((((0, 2, 4), *_AFTERNOONS),), (((0, 1, 3), *MORNINGS),)),
    "JC": ((((0, 1, 3), *MORNINGS),), (((0, 2, 4), *_AFTERNOONS),)),
}
# The absence cases of a jobcenter's running groups: the steps taken so far, one list per
# case, from a case just opened to one closed after a good reason.
ABSENCE_CASE_STEPS = (
    (),
    ("contacted",),
    ("contacted", "good_reason"),
    ("contacted", "hearing"),
    ("contacted", "hearing", "handed_over"),
    ("contacted", "good_reason", "closed"),
)
GOOD_REASONS = ("Ärztliches Attest nachgereicht", "Kind erkrankt, Bescheinigung liegt vor",
                "Vorstellungsgespräch, Einladung vorgelegt")
STEP_NOTES = {
    "contacted": ("Telefonisch erreicht, kommt wieder", "Nachricht hinterlassen, Rückruf erfolgt"),
    "hearing": ("Anhörung nach § 24 SGB X verschickt, Frist zwei Wochen",),
    "handed_over": ("An die Integrationsfachkraft übergeben",),
    "closed": ("Nimmt wieder regelmäßig teil",),
}

STREETS = (
    "Bahnhofstraße", "Hauptstraße", "Kaiserstraße", "Lindenstraße", "Friedrich-Ebert-Straße",
    "Schillerstraße", "Goethestraße", "Gartenstraße", "Berliner Straße", "Mühlenweg",
    "Industriestraße", "Am Stadtgarten", "Kirchplatz", "Rathausplatz", "Wilhelmstraße",
    "Königsallee", "Poststraße", "Marktstraße", "Schulstraße", "Ringstraße",
)
REGULAR_SITES = ("Standort Mitte", "Standort Nord", "Standort Süd")
OUTREACH_SITES = ("Bürgerhaus West", "Stadtteilzentrum Ost", "Familienzentrum am Markt")
ROOMS = ("Raum 1.12", "Raum 1.14", "Raum 2.03", "Raum 2.07", "Schulungsraum EG")
OUTREACH_ROOMS = ("Saal", "Gruppenraum 1", "Kursraum")


class Weighted:
    """A fixed weighted choice, with cumulative weights precomputed for the hot loops."""

    def __init__(self, pairs):
        pairs = tuple(pairs)
        self.values = tuple(value for value, _ in pairs)
        self.cumulative = tuple(itertools.accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random):
        draw = rng.random() * self.cumulative[-1]
        return self.values[bisect.bisect_right(self.cumulative, draw)]


# --- People ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]
    languages: Weighted  # German level
    refugee_share: float


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


GERMAN = Origin(
    _names("Anna Julia Laura Lena Sarah Katharina Lisa Jana Sabine Petra Claudia Andrea Nicole "
           "Stefanie Melanie Jessica Sandra Kerstin Monika Birgit Daniela Christina Vanessa "
           "Jennifer Nadine Tanja Marie Sophie Michelle Chantal"),
    _names("Thomas Michael Andreas Stefan Christian Markus Daniel Sebastian Tobias Jan "
           "Alexander Dennis Kevin Marcel Patrick Sven Dirk Frank Jürgen Uwe Ralf Torsten "
           "Matthias Lukas Jonas Tim Florian Niklas Maximilian Leon"),
    _names("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer "
           "Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger "
           "Hartmann Lange Schmitz Krause Meier Lehmann Schulze Köhler Herrmann König Walter "
           "Kaiser Fuchs Peters Scholz Möller Weiß Jung Hahn Vogel Friedrich Keller Günther "
           "Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Ludwig Winter Kraus "
           "Schumacher Krämer Vogt Stein Jäger Sommer Brandt Haas Schulte Dietrich Kuhn Engel "
           "Horn Busch Bergmann Voigt Arnold Pohl Husemann Brinkmann Tewes Kötter"),
    Weighted((("native", 1),)),
    0.0,
)
TURKISH = Origin(
    _names("Ayse Fatma Elif Zeynep Emine Hatice Merve Büsra Derya Esra Selin Sibel"),
    _names("Mehmet Mustafa Ahmet Ali Hüseyin Hasan Ibrahim Murat Emre Burak Can Serkan Kemal "
           "Yusuf"),
    _names("Yilmaz Kaya Demir Sahin Celik Yildiz Öztürk Aydin Özdemir Arslan Dogan Kilic "
           "Aslan Cetin Koc Kurt Polat Erdem"),
    Weighted((("native", 45), ("C1", 20), ("B2", 25), ("B1", 10))),
    0.0,
)
ARABIC = Origin(
    _names("Fatima Aisha Mariam Nour Rana Huda Amal Layla Yasmin Rasha Hiba Dalia"),
    _names("Mohammad Ahmad Omar Khaled Mahmoud Hassan Ali Yousef Ibrahim Samer Bashar Tarek "
           "Rami Fadi"),
    _names("Al-Hassan Haddad Khalil Ibrahim Mahmoud Hussein Al-Ali Saleh Darwish Nasser "
           "Khoury Abdullah Hamdan Suleiman Al-Ahmad Mustafa"),
    Weighted((("A1", 10), ("A2", 25), ("B1", 40), ("B2", 20), ("C1", 5))),
    0.8,
)
AFGHAN = Origin(
    _names("Zahra Mariam Fatima Soraya Parwana Nasrin Shabnam"),
    _names("Ahmad Mohammad Farid Hamid Jawad Naweed Sayed Rahim Wahid"),
    _names("Ahmadi Hashimi Rahimi Karimi Sultani Hosseini Mohammadi Nazari Haidari Amiri"),
    Weighted((("A1", 20), ("A2", 35), ("B1", 35), ("B2", 10))),
    0.9,
)
POLISH = Origin(
    _names("Katarzyna Agnieszka Magdalena Joanna Anna Monika Ewa Malgorzata"),
    _names("Piotr Krzysztof Tomasz Pawel Marcin Michal Lukasz Jakub Grzegorz"),
    _names("Nowak Wójcik Kowalczyk Kaczmarek Mazur Krawczyk Zajac Król Wieczorek Pawlak "
           "Michalak Walczak"),
    Weighted((("B1", 30), ("B2", 35), ("C1", 20), ("native", 15))),
    0.0,
)
RUSSIAN_GERMAN = Origin(  # Spätaussiedler: German family names, Russian first names
    _names("Olga Natalia Irina Tatjana Swetlana Elena Julia Anastasia"),
    _names("Sergej Alexander Dmitri Andrej Waldemar Viktor Eduard Maxim"),
    _names("Friesen Penner Neufeld Wiebe Klassen Dück Janzen Unruh Reimer Enns"),
    Weighted((("native", 50), ("C1", 30), ("B2", 20))),
    0.0,
)
UKRAINIAN = Origin(
    _names("Oksana Kateryna Olena Iryna Natalija Switlana Julija Tetjana"),
    _names("Oleksandr Mykola Andrij Serhij Wolodymyr Dmytro Jurij"),
    _names("Kowalenko Bondarenko Schewtschenko Tkatschenko Krawtschenko Melnyk Bojko "
           "Lyssenko"),
    Weighted((("A1", 25), ("A2", 35), ("B1", 30), ("B2", 10))),
    0.95,
)
BALKAN = Origin(
    _names("Ana Marija Jelena Ivana Amra Lejla Emina Arta"),
    _names("Dragan Milan Nikola Amir Edin Armin Luan Arben"),
    _names("Hodžić Begić Jovanović Petrović Krasniqi Berisha Gashi Kovačević"),
    Weighted((("native", 40), ("C1", 25), ("B2", 25), ("B1", 10))),
    0.1,
)
ROMANIAN = Origin(
    _names("Ioana Elena Maria Andreea Mihaela Gabriela Iuliana"),
    _names("Ion Andrei Mihai Florin Gheorghe Adrian Stefan"),
    _names("Popescu Ionescu Popa Stan Dumitru Munteanu Stoica Rusu"),
    Weighted((("A2", 25), ("B1", 35), ("B2", 30), ("C1", 10))),
    0.0,
)
EAST_AFRICAN = Origin(
    _names("Senait Helen Saba Hiwet Amina Hodan"),
    _names("Yonas Dawit Tesfay Abdi Mohamed Samuel"),
    _names("Gebremedhin Haile Kidane Tesfay Abdi Hassan Warsame"),
    Weighted((("A2", 30), ("B1", 45), ("B2", 25))),
    0.9,
)
STAFF_ORIGINS = Weighted(((GERMAN, 85), (TURKISH, 10), (RUSSIAN_GERMAN, 5)))
_ORIGINS = ((GERMAN, 52), (TURKISH, 10), (ARABIC, 10), (RUSSIAN_GERMAN, 5), (POLISH, 5),
            (BALKAN, 4), (ROMANIAN, 4), (AFGHAN, 3), (EAST_AFRICAN, 2))
ORIGINS_BEFORE_2022 = Weighted(_ORIGINS)
# Refugees from Ukraine arrive in the groups from spring 2022.
ORIGINS_SINCE_2022 = Weighted((*_ORIGINS, (UKRAINIAN, 5)))
UKRAINE_WAR = date(2022, 3, 1)


# --- Employers ------------------------------------------------------------------------------

# (name pattern, sector, sizes); the placeholders are filled in by _employer_name().
EMPLOYER_PATTERNS = (
    ("Bäckerei {surname}", "Handwerk", ("micro", "small")),
    ("Malerbetrieb {surname}", "Handwerk", ("micro", "small")),
    ("Elektro {surname} GmbH", "Handwerk", ("small",)),
    ("{surname} Haustechnik GmbH", "Handwerk", ("small", "medium")),
    ("Garten- und Landschaftsbau {surname}", "Handwerk", ("micro", "small")),
    ("Spedition {surname} GmbH & Co. KG", "Logistik", ("medium", "large")),
    ("Logistik {direction} GmbH & Co. KG", "Logistik", ("medium", "large")),
    ("{town} Kurierdienst GmbH", "Logistik", ("small",)),
    ("Pflegedienst {nice}", "Pflege", ("small", "medium")),
    ("Seniorenzentrum {home}", "Pflege", ("medium",)),
    ("Ambulante Pflege {surname}", "Pflege", ("small",)),
    ("Gasthaus {inn}", "Gastronomie", ("micro", "small")),
    ("Hotel {surname}", "Gastronomie", ("small", "medium")),
    ("{surname} Catering GmbH", "Gastronomie", ("small", "medium")),
    ("Systemgastronomie {surname} GmbH", "Gastronomie", ("medium",)),
    ("Frischemarkt {surname} e.K.", "Handel", ("small", "medium")),
    ("Getränke {surname} e.K.", "Handel", ("micro", "small")),
    ("Baustoffhandel {surname} GmbH", "Handel", ("small", "medium")),
    ("Modehaus {surname}", "Handel", ("small",)),
    ("{surname} Gebäudereinigung GmbH", "Reinigung", ("medium", "large")),
    ("Glas- und Gebäudereinigung {surname}", "Reinigung", ("small",)),
    ("Clean Service {town} GmbH", "Reinigung", ("medium",)),
    ("Metallbau {surname} GmbH", "Produktion", ("small", "medium")),
    ("{surname} Kunststofftechnik GmbH", "Produktion", ("medium", "large")),
    ("{surname} Verpackungen GmbH", "Produktion", ("medium",)),
    ("Fleischwaren {surname} GmbH", "Produktion", ("medium", "large")),
)
NICE_NAMES = ("Sonnenschein", "Lebensfreude", "Regenbogen", "Am Park", "Herzenswärme", "Vitalis")
CARE_HOMES = ("Am Stadtpark", "Haus Lindenhof", "St. Josef", "Am Mühlenbach", "Haus Abendrot")
INNS = ("Zur Post", "Zum Schwan", "Zur Linde", "Zum Goldenen Anker", "Alte Schmiede")
DIRECTIONS = ("Nord", "Süd", "West", "Ost", "Mitte")
LEGAL_FORM = re.compile(r" (GmbH & Co\. KG|GmbH|e\.K\.)$")
POSITIONS = ("Personalleitung", "Geschäftsführung", "Filialleitung", "Standortleitung",
             "Betriebsleitung", "Ausbildungsleitung")

# Per sector: (vacancy title, occupation, weekly hours).
VACANCIES = {
    "Logistik": (("Lagerhelfer (m/w/d)", "Helfer/in – Lagerwirtschaft", "40"),
                 ("Berufskraftfahrer (m/w/d) Klasse CE", "Berufskraftfahrer/in", "40"),
                 ("Kommissionierer (m/w/d)", "Helfer/in – Lagerwirtschaft", "30")),
    "Pflege": (("Pflegehelfer (m/w/d)", "Altenpflegehelfer/in", "30"),
               ("Betreuungskraft (m/w/d) nach § 43b SGB XI", "Alltagsbegleiter/in", "25"),
               ("Hauswirtschaftskraft (m/w/d)", "Helfer/in – Hauswirtschaft", "20")),
    "Gastronomie": (("Küchenhilfe (m/w/d)", "Küchenhelfer/in", "30"),
                    ("Servicekraft (m/w/d)", "Restaurantfachmann/-frau", "35"),
                    ("Koch (m/w/d)", "Koch/Köchin", "39")),
    "Handel": (("Verkäufer (m/w/d)", "Verkäufer/in", "30"),
               ("Kassierer (m/w/d)", "Kassierer/in", "25"),
               ("Mitarbeiter Warenverräumung (m/w/d)", "Helfer/in – Verkauf", "20")),
    "Handwerk": (("Malerhelfer (m/w/d)", "Helfer/in – Maler und Lackierer", "39"),
                 ("Helfer Garten- und Landschaftsbau (m/w/d)", "Helfer/in – Gartenbau", "40"),
                 ("Auszubildender Anlagenmechaniker SHK (m/w/d)", "Anlagenmechaniker/in – SHK",
                  "39")),
    "Reinigung": (("Reinigungskraft (m/w/d)", "Reinigungskraft", "25"),
                  ("Gebäudereiniger (m/w/d)", "Gebäudereiniger/in", "39")),
    "Produktion": (("Produktionshelfer (m/w/d)", "Helfer/in – Produktion", "38.5"),
                   ("Maschinenbediener (m/w/d)", "Maschinen- und Anlagenführer/in", "38.5"),
                   ("Staplerfahrer (m/w/d)", "Gabelstaplerfahrer/in", "40")),
}

CALL_OUTCOMES = (
    "Bedarf an zwei Helfern ab nächstem Monat",
    "Kein aktueller Bedarf, im Frühjahr erneut anfragen",
    "Interesse an Probearbeit für Teilnehmende",
    "Stellenangebot aufgenommen",
    "Rückmeldung zu vorgeschlagenen Bewerbern erhalten",
)
VISIT_OUTCOMES = (
    "Betrieb besichtigt, Arbeitsplätze für Quereinsteiger vorhanden",
    "Gespräch mit der Personalleitung über Eingliederungszuschuss",
    "Arbeitsbedingungen und Schichtzeiten geklärt",
)
NEXT_STEPS = (
    "Teilnehmende für Probearbeit vorschlagen",
    "Rückruf vereinbaren",
    "Stellenprofil an die Coaches weitergeben",
    "Termin für Betriebsbesichtigung abstimmen",
    "Bewerbungsunterlagen von drei Teilnehmenden schicken",
)
CONFIDENTIAL_NOTES = (
    "Lebenslauf überarbeitet", "Anschreiben für Helferstelle erstellt",
    "Gespräch zur Vorbereitung auf ein Vorstellungsgespräch", "Kinderbetreuung geklärt",
    "Berufliche Ziele besprochen", "Unterlagen zur Anerkennung des Berufsabschlusses gesichtet",
    "Profil in der Jobbörse angelegt", "Fehlzeiten angesprochen",
    "Mobilität besprochen: Führerschein vorhanden, kein Auto", "Bewerbungsfoto besprochen",
)
NEXT_STEPS_PARTICIPANT = (
    "Zwei Bewerbungen bis zum nächsten Termin", "Zeugnisse mitbringen",
    "Termin bei der Schuldnerberatung vereinbaren", "Ärztliches Attest nachreichen",
    "Probearbeit vereinbaren", "",
)
ENROLMENT_NOTES = (
    "Kinderbetreuung ab 8 Uhr gesichert", "Teilzeit wegen Pflege eines Angehörigen",
    "Führerschein Klasse B vorhanden", "Sprachkurs parallel am Abend",
)
SESSION_NOTES = (
    "Übung Telefonakquise", "Besuch im BiZ", "Gastbeitrag des Arbeitgeber-Service",
    "Rollenspiel Vorstellungsgespräch",
)
EXCUSE_NOTES = ("krankgemeldet", "Arzttermin", "Vorstellungsgespräch", "Kind krank",
                "Termin bei der Ausländerbehörde")
LATE_NOTES = ("Bus verpasst", "15 Minuten verspätet")


# Exits of a finished cohort's entrants; with the dropouts who find work later, about 42 %
# integrated and 27 % dropped out, in the middle of the ranges jobcenters report.
FINISHED_OUTCOMES = Weighted((("job_during", 27), ("job_after", 14), ("dropout", 28),
                              ("completed", 17), ("transfer", 7), ("other", 3), ("minijob", 4)))
DROPOUT_REASONS = Weighted((("no_show", 40), ("health", 20), ("family", 15), ("moved", 8),
                            ("excluded", 7), ("other", 10)))
GENDERS = Weighted((("f", 46), ("m", 53), ("d", 1)))
SINGLE_PARENT_GENDERS = Weighted((("f", 88), ("m", 12)))
AGE_BANDS = Weighted((((18, 24), 12), ((25, 49), 63), ((50, 62), 25)))
WEEKLY_HOURS = Weighted(((Decimal("20"), 2), (Decimal("25"), 2), (Decimal("30"), 3),
                         (Decimal("35"), 2), (Decimal("38.5"), 3), (Decimal("39"), 3),
                         (Decimal("40"), 5)))
SUBSIDIES = Weighted((("", 79), ("egz", 18), ("other", 3)))
ATTENDANCE = Weighted((("present", 80), ("late", 8), ("excused", 7), ("unexcused", 5)))
ATTENDANCE_DROPOUT = Weighted((("present", 55), ("late", 10), ("excused", 10),
                               ("unexcused", 25)))
ATTENDANCE_BEFORE_DROPOUT = Weighted((("present", 20), ("excused", 20), ("unexcused", 60)))
FOLLOWUP_ANSWERS = Weighted((("yes", 72), ("no", 18), ("unknown", 10)))
MINUTES = Weighted(((20, 2), (30, 4), (45, 3), (60, 2)))
CHANNELS = Weighted((("in_person", 70), ("phone", 20), ("video", 10)))
APPLICATION_COUNTS = Weighted(((0, 20), (1, 25), (2, 25), (3, 15), (4, 10), (5, 5)))
STAGES_OPEN = Weighted((("proposed", 8), ("applied", 35), ("interview", 20), ("trial_work", 8),
                        ("offer", 4), ("rejected", 22), ("withdrawn", 3)))
STAGES_CLOSED = Weighted((("applied", 15), ("interview", 8), ("rejected", 60),
                          ("withdrawn", 17)))
VACANCY_STATUSES = Weighted((("open", 45), ("filled", 35), ("closed", 20)))
