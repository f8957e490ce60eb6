package bench

// The vocabulary of the synthetic articles: French news words about
// technology, economy and politics, close to the built-in corpus, so that
// analysis (stems, n-grams, stopwords) does the same work as on real text.

var entities = []string{
	"OpenAI", "Mistral AI", "Google", "Microsoft", "Anthropic", "Meta", "Nvidia", "Synthesia",
	"la Commission européenne", "le gouvernement britannique", "l’Élysée", "Bercy", "la CNIL",
	"le ministère de l’Économie", "Bpifrance", "la Banque de France", "l’Assemblée nationale",
	"le Sénat", "la Maison Blanche", "le Pentagone", "Amazon", "Apple", "Capgemini", "Orange",
	"Thales", "Airbus", "Dassault Systèmes", "l’Inria", "le CNRS", "l’OCDE", "le FMI",
	"la start-up Hugging Face", "le fonds Sequoia", "SoftBank", "Alibaba", "Baidu", "Samsung",
}

var people = []string{
	"Peter Kyle", "Keir Starmer", "Emmanuel Macron", "Sam Altman", "Arthur Mensch",
	"Clara Chappaz", "Ursula von der Leyen", "Thierry Breton", "Satya Nadella", "Sundar Pichai",
	"Jensen Huang", "Dario Amodei", "Margrethe Vestager", "Bruno Le Maire", "Yann LeCun",
	"Marie Dupont", "Jean Martin", "Sophie Bernard", "Luc Moreau", "Claire Petit",
}

var topics = []string{
	"l’intelligence artificielle", "les centres de données", "la cybersécurité", "les semi-conducteurs",
	"la souveraineté numérique", "les modèles de langage", "la régulation des plateformes",
	"la formation des fonctionnaires", "la santé publique", "la transition énergétique",
	"les infrastructures de calcul", "la protection des données personnelles", "le cloud souverain",
	"la recherche publique", "les agents conversationnels", "la productivité des entreprises",
	"la défense nationale", "l’éducation numérique", "les droits d’auteur", "la désinformation",
	"l’emploi des jeunes", "les réseaux électriques", "la robotique industrielle", "les start-up françaises",
}

var headVerbs = []string{
	"annonce un plan pour", "investit massivement dans", "signe un accord sur", "présente sa stratégie pour",
	"lève des fonds pour", "s’engage dans", "mise sur", "relance le débat sur",
}

var verbs = []string{
	"a annoncé", "a confirmé", "a démenti", "a présenté", "a signé", "a dévoilé", "prévoit",
	"envisage", "a obtenu", "a levé", "souhaite renforcer", "compte développer", "a critiqué",
}

var when = []string{
	"lundi", "mardi", "mercredi", "jeudi", "vendredi", "ce week-end", "la semaine dernière",
	"en mars", "en juin", "en septembre", "d’ici 2030", "depuis janvier", "au premier trimestre",
	"cette année", "l’an prochain", "en 2025", "en 2026",
}

var places = []string{
	"Paris", "Londres", "Bruxelles", "Washington", "Berlin", "Pékin", "Tokyo", "Marseille", "Lyon",
	"Toulouse", "Grenoble", "San Francisco", "New York", "Genève", "Montréal", "Dubaï", "Singapour",
}

// templates are sentence frames: {E}/{F} entities, {P} a person, {V} a
// verb, {T} a topic, {W} a time, {N} a share, {A} an amount, {C} a place.
var templates = []string{
	"{E} {V} {W} un investissement de {A} dans {T}.",
	"Selon {P}, {T} représente désormais {N} du budget consacré à l’innovation.",
	"« Nous devons accélérer sur {T} », a déclaré {P} lors d’une conférence à {C}.",
	"{E} et {F} ont conclu un partenariat stratégique portant sur {T}, pour un montant de {A}.",
	"La croissance du secteur a atteint {N} {W}, portée par {T}.",
	"Les détails de l’accord restent flous, mais {E} espère s’imposer parmi les leaders de {T}.",
	"{P} a rappelé que {E} emploie plus de {N} de ses effectifs à {C}.",
	"D’après un rapport publié {W}, {T} pourrait créer {A} de valeur d’ici cinq ans.",
	"Les syndicats s’inquiètent des conséquences de {T} sur l’emploi à {C}.",
	"{E} {V} l’ouverture d’un nouveau site à {C} consacré à {T}.",
	"Le chiffre d’affaires de {E} a progressé de {N} sur un an, à {A}.",
	"Interrogé {W}, {P} a refusé de commenter les rumeurs de rachat de {E}.",
	"Face à la concurrence américaine et chinoise, {C} veut devenir une capitale de {T}.",
	"Ce projet, estimé à {A}, doit être validé par {E} avant la fin de l’année.",
	"Les experts jugent toutefois que {T} reste un sujet complexe, qui exige des garanties.",
	"Plus de {N} des entreprises interrogées disent utiliser déjà des outils liés à {T}.",
	"{P}, directeur général de {E}, a salué une étape décisive pour {T}.",
	"Le texte, adopté {W} par {E}, encadre strictement {T}.",
}

var questionTemplates = []string{
	"Combien {E} investit-elle dans {T} ?",
	"Quel accord {E} a-t-elle signé sur {T} ?",
	"Qu’a déclaré {P} à propos de {T} ?",
	"Quel site {E} ouvre-t-elle à {C} ?",
	"Quelle part du budget représente {T} selon {P} ?",
	"Qui a investi {A} dans {T} ?",
	"Pourquoi {C} veut-elle devenir une capitale de {T} ?",
	"Quel est le chiffre d’affaires de {E} ?",
}
