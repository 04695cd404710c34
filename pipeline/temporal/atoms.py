"""Atomic lexical pieces of French dates, shared by every pattern that needs them.

Each table maps a written form (lower case) to what it means. The patterns in
``grammar.py`` build their alternations from these keys, so adding a word here is
enough for every construction that uses it.
"""
from __future__ import annotations

MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1,
    "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2,
    "mars": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juil": 7,
    "août": 8, "aout": 8,
    "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
}

# Abbreviations are months only with their full stop or before a year: `sept` alone is seven.
MONTH_ABBREVIATIONS = frozenset({"janv", "févr", "fevr", "fév", "avr", "juil", "sept", "oct", "nov", "déc", "dec"})

WEEKDAYS: dict[str, int] = {
    "lundi": 1, "mardi": 2, "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6, "dimanche": 7,
}

# Cardinal numbers in words; compounds (dix-huit, soixante-dix, vingt et un) are sums.
NUMBER_WORDS: dict[str, int] = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "quatre-vingt": 80, "quatre-vingts": 80,
}
# Multipliers: "deux cents" = 2 x 100.
NUMBER_MULTIPLIERS: dict[str, int] = {"cent": 100, "cents": 100, "mille": 1000}

# Approximate counts: "une dizaine de jours" -> 10 days, APPROX.
APPROXIMATE_NUMBERS: dict[str, int] = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100,
}

# Determiners of an unknown amount: "quelques mois" -> PXM.
VAGUE_AMOUNTS = ("quelques", "plusieurs", "des", "de nombreux", "de nombreuses", "nombreux", "nombreuses",
                 "de longs", "de longues", "certains", "certaines", "des dizaines d", "des centaines d")

# Calendar units (singular and plural) -> ISO 8601 duration designator.
# Minutes are "MIN" here so they never clash with months ("M"); see timex.duration_value.
UNITS: dict[str, str] = {
    "seconde": "S", "secondes": "S", "minute": "MIN", "minutes": "MIN", "heure": "H", "heures": "H",
    "jour": "D", "jours": "D", "journée": "D", "journées": "D", "nuit": "D", "nuits": "D",
    "semaine": "W", "semaines": "W", "mois": "M", "trimestre": "Q", "trimestres": "Q",
    "semestre": "SEM", "semestres": "SEM",
    "an": "Y", "ans": "Y", "année": "Y", "années": "Y", "décennie": "DE", "décennies": "DE",
    "siècle": "CE", "siècles": "CE", "millénaire": "ML", "millénaires": "ML",
}
# Units written as one word with their amount built in.
UNIT_NOUNS: dict[str, str] = {
    "quinquennat": "P5Y", "septennat": "P7Y", "biennale": "P2Y", "décennie": "P10Y",
    "quart d'heure": "PT15M", "trois quarts d'heure": "PT45M", "trois-quarts d'heure": "PT45M",
    "demi-heure": "PT30M", "demi-journée": "PT12H",
    "quart de siècle": "P25Y", "demi-siècle": "P50Y",
}

# After a duration, make it a shift from another time: "un an auparavant".
RELATIVE_POSTMODIFIERS = ("auparavant", "plus tôt", "plus tard")

# Directions after (or before) a unit: "la semaine prochaine", "l'année dernière".
DIRECTIONS: dict[str, int] = {
    "prochain": 1, "prochaine": 1, "prochains": 1, "prochaines": 1,
    "suivant": 1, "suivante": 1, "suivants": 1, "suivantes": 1, "à venir": 1,
    "dernier": -1, "dernière": -1, "derniers": -1, "dernières": -1,
    "passé": -1, "passée": -1, "passés": -1, "passées": -1,
    "précédent": -1, "précédente": -1, "précédents": -1, "précédentes": -1,
}

# Parts of the day -> TIMEX3 codes. "journée" is the daytime (TDT) only after a
# preposition of inclusion ("dans la journée", "en fin de journée"); elsewhere it is the
# day as a whole ("la journée du 5 juillet fut calme"), the DATE of that day: WHOLE_DAY.
DAYTIME = "DT"
WHOLE_DAY = "DAY"
DAY_PARTS: dict[str, str] = {
    "matin": "MO", "matinée": "MO", "après-midi": "AF", "soir": "EV", "soirée": "EV",
    "nuit": "NI", "journée": DAYTIME,
}
# Prepositions that say, after a verb in the present, on which side of publication a date
# lies: "depuis lundi" is behind, "jusqu'à lundi", "dès lundi" ahead.
PREPOSITION_SIDES = {
    "depuis": "past",
    "jusqu'à": "future", "jusqu'au": "future", "jusqu'en": "future",
    "à partir de": "future", "à partir du": "future", "à partir d'": "future", "dès": "future",
    # "A" for "À", as capitals are often written
    "a partir de": "future", "a partir du": "future", "a partir d'": "future",
}
# Parts of the day told with a direction: "la nuit dernière" is last night.
DIRECTED_DAY_PARTS = ("nuit",)
# What follows a plural unit to say the time ahead: "les jours à venir", "les semaines qui viennent".
COMING = ("à venir", "qui viennent")
# What makes "la journée" its daytime: "dans la journée", "en journée", "toute la journée"
# (a position inside it does too: "en fin de journée", "au début de la journée").
WITHIN_PREPOSITIONS = ("dans", "en", "durant", "pendant", "au cours de", "au long de", "toute")
# Times of day that are a clock time.
NAMED_TIMES: dict[str, tuple[int, int]] = {"midi": (12, 0), "minuit": (0, 0)}

# A day part after a clock time says which half of the day its hour is in:
# "9 h du soir" is 21:00 (timex.clock_hour reads the codes).
CLOCK_DAY_PARTS: dict[str, str] = {
    "du matin": "MO", "de l'après-midi": "AF", "du soir": "EV", "de la nuit": "NI",
}
# Minutes written in words after the hour: "huit heures et demie", "dix heures moins le quart".
CLOCK_FRACTIONS: dict[str, int] = {
    "et demie": 30, "et demi": 30, "et quart": 15, "et quart d'heure": 15,
    "moins le quart": -15, "moins quart": -15,
}
# Time zones after a clock time -> an IANA zone (its offset on that day is computed:
# "heure française" is +01 in winter, +02 in summer), "UTC" for Z, "" for local time
# (kept in the span, no offset in the value).
TIME_ZONES: dict[str, str] = {
    "utc": "UTC", "gmt": "UTC", "tu": "UTC", "temps universel": "UTC", "temps universel coordonné": "UTC",
    "heure française": "Europe/Paris", "heure de paris": "Europe/Paris", "heure de france": "Europe/Paris",
    "heure de bruxelles": "Europe/Brussels", "heure belge": "Europe/Brussels", "heure suisse": "Europe/Zurich",
    "heure de londres": "Europe/London", "heure de moscou": "Europe/Moscow", "heure de pékin": "Asia/Shanghai",
    "heure de tokyo": "Asia/Tokyo", "heure de new york": "America/New_York", "heure de washington": "America/New_York",
    "heure de l'est": "America/New_York", "heure de montréal": "America/Toronto", "heure du québec": "America/Toronto",
    "heure de québec": "America/Toronto", "heure de la réunion": "Indian/Reunion",
    "heure locale": "", "heures locales": "", "locale": "", "locales": "",
}

SEASONS: dict[str, str] = {
    "printemps": "SP", "été": "SU", "eté": "SU", "automne": "FA", "hiver": "WI",
}

# Position inside a period: "fin février", "début octobre", "mi-juin".
POSITIONS: dict[str, str] = {
    "début": "START", "debut": "START", "commencement": "START",
    "mi": "MID", "milieu": "MID", "courant": "MID",
    "fin": "END",
    # halves: "la première quinzaine de juillet", "la seconde moitié du mois"
    "première quinzaine": "START", "première moitié": "START",
    "deuxième quinzaine": "END", "seconde quinzaine": "END", "deuxième moitié": "END", "seconde moitié": "END",
}

# Amount modifiers before a duration or a clock time.
AMOUNT_MODIFIERS: dict[str, str] = {
    "environ": "APPROX", "vers": "APPROX", "près de": "APPROX", "à peu près": "APPROX",
    "quelque": "APPROX", "aux alentours de": "APPROX", "autour de": "APPROX", "presque": "APPROX",
    "plus de": "MORE_THAN", "au moins": "EQUAL_OR_MORE", "pas moins de": "EQUAL_OR_MORE",
    "moins de": "LESS_THAN", "au plus": "EQUAL_OR_LESS", "pas plus de": "EQUAL_OR_LESS",
    "au maximum": "EQUAL_OR_LESS", "au minimum": "EQUAL_OR_MORE",
    "plus d'": "MORE_THAN", "moins d'": "LESS_THAN", "près d'": "APPROX", "pas moins d'": "EQUAL_OR_MORE",
    "un peu plus de": "MORE_THAN", "un peu plus d'": "MORE_THAN", "un peu moins de": "LESS_THAN", "un peu moins d'": "LESS_THAN",
}

# Days relative to the publication date.
RELATIVE_DAYS: dict[str, int] = {
    "avant-hier": -2, "hier": -1, "aujourd'hui": 0, "demain": 1, "après-demain": 2,
}
# Days relative to another date of the text.
ANCHORED_DAYS: dict[str, int] = {
    "l'avant-veille": -2, "la veille": -1, "le jour même": 0, "le même jour": 0,
    "le lendemain": 1, "le surlendemain": 2,
}

# Periods named with ce/cette/la ... prochaine: unit -> calendar granularity.
PERIOD_UNITS: dict[str, str] = {
    "semaine": "W", "mois": "M", "année": "Y", "an": "Y", "week-end": "WE", "weekend": "WE",
    "trimestre": "Q", "siècle": "CE", "décennie": "DE",
}

# One expression, one frequency.
SET_UNITS: dict[str, str] = {
    "jour": "P1D", "jours": "P1D", "semaine": "P1W", "semaines": "P1W", "mois": "P1M",
    "an": "P1Y", "ans": "P1Y", "année": "P1Y", "années": "P1Y", "heure": "PT1H", "heures": "PT1H",
    "matin": "TMO", "matins": "TMO", "soir": "TEV", "soirs": "TEV", "nuit": "TNI", "nuits": "TNI",
    "week-end": "P1WE", "week-ends": "P1WE", "trimestre": "P3M", "semestre": "P6M",
    "décennie": "P10Y", "demi-heure": "PT30M",
}
# Frequency adjectives (and their adverbs); as nouns after a determiner they are newspapers ("le quotidien").
SET_ADJECTIVES: dict[str, str] = {
    "quotidien": "P1D", "quotidienne": "P1D", "quotidiens": "P1D", "quotidiennes": "P1D",
    "journalier": "P1D", "journalière": "P1D", "journaliers": "P1D", "journalières": "P1D",
    "hebdomadaire": "P1W", "hebdomadaires": "P1W",
    "mensuel": "P1M", "mensuelle": "P1M", "mensuels": "P1M", "mensuelles": "P1M",
    "trimestriel": "P3M", "trimestrielle": "P3M", "trimestriels": "P3M", "trimestrielles": "P3M",
    "semestriel": "P6M", "semestrielle": "P6M", "semestriels": "P6M", "semestrielles": "P6M",
    "annuel": "P1Y", "annuelle": "P1Y", "annuels": "P1Y", "annuelles": "P1Y",
    # and their adverbs
    "quotidiennement": "P1D", "journellement": "P1D", "hebdomadairement": "P1W", "mensuellement": "P1M",
    "trimestriellement": "P3M", "semestriellement": "P6M", "annuellement": "P1Y",
}

# Vague references to the past, present or future (TIMEX3 TIME).
VAGUE_REFERENCES: dict[str, str] = {
    "actuellement": "PRESENT_REF", "maintenant": "PRESENT_REF", "désormais": "PRESENT_REF",
    "dorénavant": "PRESENT_REF", "à présent": "PRESENT_REF", "en ce moment": "PRESENT_REF",
    "de nos jours": "PRESENT_REF", "actuel": "PRESENT_REF", "actuelle": "PRESENT_REF",
    "actuels": "PRESENT_REF", "actuelles": "PRESENT_REF", "présentement": "PRESENT_REF",
    "auparavant": "PAST_REF", "autrefois": "PAST_REF", "jadis": "PAST_REF", "naguère": "PAST_REF",
    "récemment": "PAST_REF", "dernièrement": "PAST_REF", "nouvellement": "PAST_REF",
    "l'époque": "PAST_REF", "par le passé": "PAST_REF", "jusqu'ici": "PRESENT_REF",
    "bientôt": "FUTURE_REF", "prochainement": "FUTURE_REF", "dans l'avenir": "FUTURE_REF",
    "à l'avenir": "FUTURE_REF", "dans le futur": "FUTURE_REF", "ultérieurement": "FUTURE_REF",
    "précédemment": "PAST_REF", "antérieurement": "PAST_REF", "un futur proche": "FUTURE_REF",
    "un avenir proche": "FUTURE_REF", "dans le passé": "PAST_REF", "ces derniers temps": "PAST_REF",
    "sous peu": "FUTURE_REF", "l'heure actuelle": "PRESENT_REF", "l'époque actuelle": "PRESENT_REF",
    "ces jours-ci": "PRESENT_REF", "ces temps-ci": "PRESENT_REF",
    "des instants plus tôt": "PAST_REF", "quelques instants plus tôt": "PAST_REF", "quelques instants auparavant": "PAST_REF",
}
# Endings of relational adjectives, which name an era after "l'époque" ("soviétique",
# "coloniale", "romaine", "victorienne", "communiste", "moderne").
RELATIONAL_ADJECTIVE_ENDINGS = ("ique", "ale", "aine", "ienne", "iste", "erne", "ane", "ine")
# Verbs whose complement "à l'avenir" is the future as a topic, not a time: "penser à
# l'avenir", "s'intéresser à l'avenir" (stems: every form of the verb starts with one).
# "l'avenir" alone is a noun too ("l'avenir de la langue"): only "à l'avenir" and "dans
# l'avenir" are adverbs of time.
FUTURE_AS_TOPIC_VERB_STEMS = ("pens", "song", "réfléch", "croi", "cru", "intéress", "prépar", "adapt", "consacr", "travaill")

# Amounts paid by the hour: "9,40 euros brut de l'heure" is a frequency (SET PT1H).
PRICE_WORDS = ("€", "euro", "euros", "dollar", "dollars", "$", "franc", "francs", "livre", "livres",
               "brut", "bruts", "net", "nets", "HT", "TTC")

# "pour l'instant", "pour le moment": the present (the preposition stays out).
FOR_NOW = ("l'instant", "le moment", "l'heure")

# Forms of "avoir" before "N ans": an age ("il avait 45 ans"), not a duration; with the
# adverbs that may come between ("elle a tout juste 18 ans").
HAVE_FORMS = ("a", "ai", "as", "avons", "avez", "ont", "avait", "avais", "avions", "aviez", "avaient", "aura", "auras",
              "aurons", "aurez", "auront", "aurait", "aurais", "aurions", "auriez", "auraient", "ayant", "avoir", "eu")
AGE_ADVERBS = ("tout juste", "juste", "seulement", "déjà", "bientôt", "presque", "alors", "encore", "désormais", "aujourd'hui")

# Participles that set a length (stems: every form starts with one): "condamné à cinq ans",
# "le mandat réduit à cinq ans" is a length of time, not an age, unless the clause is about
# an age ("l'âge de départ porté à 62 ans").
LENGTH_SETTING_STEMS = ("condamn", "rédui", "ramen", "port", "fix", "limit", "plafonn", "allong", "prolong", "relev", "abaiss", "pass")

# Nouns for people: "une fillette de 6 ans" is an age, not a duration.
PERSON_NOUNS = frozenset({
    "enfant", "enfants", "fille", "filles", "fillette", "fillettes", "garçon", "garçons", "garçonnet",
    "homme", "hommes", "femme", "femmes", "bébé", "bébés", "adolescent", "adolescente", "adolescents",
    "jeune", "jeunes", "retraité", "retraitée", "victime", "conducteur", "conductrice", "automobiliste",
    "motard", "piéton", "piétonne", "individu", "quadragénaire", "patient", "patiente", "élève",
    "étudiant", "étudiante", "fils", "frère", "sœur", "mère", "père", "dame", "monsieur", "personne",
    "personnes", "soldat", "joueur", "joueuse", "cycliste", "ouvrier", "agriculteur", "suspect",
    "prévenu", "prévenue", "détenu", "mineur", "mineure", "lycéen", "lycéenne", "collégien",
})

# Words that follow a year, not a count: "de 1975 à 1983", "en 2009 et 2010", "le budget
# 2013 pour", "2012 a été". A bare four-digit number followed by any other lower-case
# word is a count ("1500 manifestants").
YEAR_FOLLOWERS = frozenset({
    "à", "au", "aux", "de", "des", "du", "d", "en", "dans", "par", "pour", "sur", "sous", "avec", "sans",
    "contre", "entre", "vers", "avant", "après", "depuis", "dès", "jusqu", "pendant", "durant", "selon", "chez",
    "et", "ou", "ni", "mais", "puis", "donc", "or", "car", "comme", "lorsque", "quand", "si",
    "qui", "que", "qu", "où", "dont", "le", "la", "les", "l", "un", "une", "ce", "cet", "cette", "ces",
    "il", "ils", "elle", "elles", "on", "nous", "vous", "je", "j", "se", "s", "ne", "n", "y",
    "a", "ont", "est", "sont", "était", "étaient", "avait", "avaient", "fut", "furent", "sera", "seront", "serait",
    "déjà", "encore", "aussi", "seulement", "notamment", "également", "alors", "enfin", "inclus", "compris",
})

# Generic words of addresses: "le 10, rue Paul-Bert" is a street number.
STREET_WORDS = ("rue", "avenue", "boulevard", "bd", "place", "chemin", "route", "allée", "quai", "impasse",
                "cours", "square", "passage", "bis", "ter")

# Nouns of an ordered series: after "le prochain" they are the next of the series, not a
# time ("le prochain match", "la prochaine fois").
SERIES_NOUNS = ("fois", "match", "matchs", "manche", "manches", "tour", "tours", "round", "set", "étape", "étapes",
                "épisode", "épisodes", "numéro", "chapitre", "page", "station", "arrêt", "journée", "course",
                "adversaire", "candidat", "titre", "album", "film", "livre")

# Words of a superlative: "la journée la plus chaude de l'année" is this year's.
SUPERLATIVE_WORDS = ("plus", "moins", "meilleur", "meilleure", "meilleurs", "meilleures", "pire", "pires")
# What may follow "l'année" and make it another year than the calendar one of publication.
OTHER_YEAR_FOLLOWERS = ("dernière", "prochaine", "suivante", "précédente", "passée", "écoulée", "en cours", "scolaire",
                        "universitaire", "civile", "fiscale", "budgétaire", "même", "où", "de", "d'", "d’", "qui", "que")

# Words of a lasting state before "aujourd'hui": it then means nowadays (PRESENT_REF).
LASTING_WORDS = ("encore", "toujours", "continue", "continuent", "reste", "restent", "demeure", "demeurent",
                 "perdure", "perdurent", "subsiste", "subsistent")

# Words after a length of time that introduce another amount of the same unit, the unit
# left out: "en trois ans au lieu de quatre", "cinq ans contre sept".
ELIDED_UNIT_JOINERS = ("au lieu de", "au lieu d'", "contre", "et non", "et non pas", "plutôt que")

# Directions relative to the last date of the text, not to publication.
ANAPHORIC_DIRECTIONS = frozenset({"suivant", "suivante", "suivants", "suivantes", "précédent", "précédente",
                                  "précédents", "précédentes"})

# Ranks of a weekday in its month: "le premier lundi du mois", "le dernier vendredi de juin".
NTH: dict[str, int] = {"premier": 1, "1er": 1, "deuxième": 2, "second": 2, "troisième": 3, "quatrième": 4,
                       "cinquième": 5, "dernier": -1}

# Words that start a noun phrase (or a clause): "deux ans après | la guerre" is a
# preposition, "deux ans après | par" an adverb kept in the span.
NOUN_PHRASE_STARTS = ("le", "la", "les", "l'", "un", "une", "des", "du", "de", "d'", "son", "sa", "ses", "leur",
                      "leurs", "ce", "cet", "cette", "ces", "mon", "ma", "mes", "notre", "nos", "votre", "vos",
                      "que", "qu'", "sa", "avoir", "être", "tout", "toute", "tous", "toutes", "chaque", "cela", "ça")
