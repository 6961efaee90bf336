package demo

// The fixed part of the demo: organisations, sites, catalogues and the people who
// sign in. Everything else (employees, assets) is drawn from a seeded generator.

// orgSpec is one organisation under the root; parent "" is the root.
type orgSpec struct {
	key, name, code, parent, domain, comment string
}

var orgSpecs = []orgSpec{
	{"igs", "InfoGérance Services", "IGS", "", "infogerance-services.fr",
		"ESN : infogérance, support utilisateurs et réseau pour PME et professions libérales."},
	{"bm", "Boulangeries Martin", "BM", "igs", "boulangeries-martin.fr",
		"Client depuis 2019 : siège et fournil à Nantes, boutique à Angers."},
	{"mtr", "Martin Traiteur", "MTR", "bm", "martin-traiteur.fr",
		"Filiale traiteur des Boulangeries Martin."},
	{"cda", "Cabinet Durand Avocats", "CDA", "igs", "durand-avocats.fr",
		"Cabinet d'avocats d'affaires, client depuis 2021."},
}

// siteSpec is a site with its buildings, floors and rooms, and the size of its fleet.
type siteSpec struct {
	org, code, name, address string
	buildings                []string
	floors                   int      // per building, ground floor included
	groundRooms              []string // rooms of every ground floor besides Accueil and Local technique
	computers                int
	landline                 string // phone prefix of the site, "+33 1 42"
	subnet                   int    // 10.<subnet>.0.0/16
}

var siteSpecs = []siteSpec{
	{"igs", "PAR", "Paris - Siège", "12 rue de la Victoire\n75009 Paris", []string{"Bâtiment A", "Bâtiment B"}, 3,
		[]string{"Salle de réunion Seine", "Atelier technique"}, 28, "+33 1 42", 10},
	{"igs", "LYO", "Lyon - Agence", "27 rue de la République\n69002 Lyon", []string{"Bâtiment principal"}, 2,
		[]string{"Salle de réunion Rhône"}, 14, "+33 4 78", 11},
	{"bm", "NTE", "Nantes - Siège et fournil", "8 boulevard Guist'hau\n44000 Nantes", []string{"Bâtiment administratif", "Fournil"}, 2,
		[]string{"Boutique", "Salle de pause"}, 34, "+33 2 40", 20},
	{"bm", "ANG", "Angers - Boutique", "3 rue Lenepveu\n49100 Angers", []string{"Boutique"}, 2,
		[]string{"Laboratoire pâtisserie"}, 16, "+33 2 41", 21},
	{"mtr", "TRS", "Tours - Laboratoire traiteur", "14 rue Nationale\n37000 Tours", []string{"Laboratoire"}, 2,
		[]string{"Quai de livraison"}, 20, "+33 2 47", 22},
	{"cda", "P08", "Paris 8e - Cabinet", "40 rue de Courcelles\n75008 Paris", []string{"Immeuble Courcelles"}, 3,
		[]string{"Salle d'audience Montesquieu", "Bibliothèque"}, 38, "+33 1 45", 30},
}

// NamingPlan is the demo's naming plan for computers.
const NamingPlan = "PC-{site}-{####}"

// orgNamingPlans are the clients' own computer naming plans: the law firm numbers
// its desktops CDA-FIXE-001 (its laptops, CDA-PORT-001, are named by hand).
var orgNamingPlans = map[string]string{"cda": "CDA-FIXE-{###}"}

// person is someone who signs in to the demo.
type person struct {
	login, first, last, org, site, profile, phone string
	// computers assigned to them (most have one; marie.dupont has two).
	computers int
}

// people are the demo accounts; all use Password. The first is AdminLogin.
var people = []person{
	{AdminLogin, "Camille", "Rousseau", "", "PAR", "super-admin", "+33 1 42 80 10 01", 1},
	{"tech.paris", "Julien", "Moreau", "igs", "PAR", "technician", "+33 1 42 80 10 12", 1},
	{"tech.lyon", "Sophie", "Bernard", "igs", "LYO", "technician", "+33 4 78 42 20 14", 1},
	{"chef.support", "Nathalie", "Leroy", "igs", "PAR", "supervisor", "+33 1 42 80 10 02", 1},
	{"resp.martin", "Pierre", "Martin", "bm", "NTE", "admin", "+33 2 40 35 11 01", 1},
	{"marie.dupont", "Marie", "Dupont", "bm", "NTE", "self-service", "+33 2 40 35 11 23", 2},
	{"audit.durand", "Paul", "Lambert", "cda", "P08", "observer", "+33 1 45 63 30 40", 1},
	{"antoine.roux", "Antoine", "Roux", "cda", "P08", "self-service", "+33 1 45 63 30 17", 1},
}

// groupSpec is a group of users; members are logins, the first one its manager.
// level is the helpdesk support level tickets are escalated through (0: none).
type groupSpec struct {
	org, name, comment string
	members            []string
	level              int64
}

var groupSpecs = []groupSpec{
	{"igs", "Support N1", "Centre de services : appels et tickets de premier niveau.", []string{"tech.paris", "tech.lyon"}, 1},
	{"igs", "Support N2", "Interventions sur site et escalades.", []string{"tech.paris", "chef.support"}, 2},
	{"igs", "Réseau & sécurité", "Pare-feu, commutateurs, Wi-Fi des clients.", []string{"chef.support"}, 3},
	{"bm", "Direction Martin", "Direction et comptabilité des Boulangeries Martin.", []string{"resp.martin", "marie.dupont"}, 0},
	{"cda", "Associés", "Avocats associés du cabinet.", []string{"antoine.roux"}, 0},
}

var manufacturerNames = []string{"Dell", "HP", "Lenovo", "Apple", "Samsung", "Cisco", "Ubiquiti", "Fortinet",
	"Brother", "Canon", "Yealink", "Logitech", "Jabra", "Eaton"}

// model is a catalogue model with what the generator needs to make assets of it.
type model struct {
	name, maker, category, typ, product string
	price                               float64 // typical unit price, euros excl. VAT
	laptop                              bool
	warrantyYears                       int
	size                                float64 // monitors: inches; switches: ports
}

var models = []model{
	{"Latitude 5440", "Dell", "computer", "Portable", "N011L544014EMEA", 1190, true, 3, 0},
	{"OptiPlex 7010 SFF", "Dell", "computer", "Poste fixe", "N010O7010SFF", 790, false, 3, 0},
	{"EliteBook 840 G10", "HP", "computer", "Portable", "818H4EA", 1390, true, 3, 0},
	{"ProDesk 400 G9 SFF", "HP", "computer", "Poste fixe", "6A7R9EA", 690, false, 3, 0},
	{"ThinkPad T14 Gen 4", "Lenovo", "computer", "Portable", "21HD004KFR", 1290, true, 3, 0},
	{"ThinkCentre M70q Gen 4", "Lenovo", "computer", "Poste fixe", "12E3004AFR", 760, false, 3, 0},
	{"MacBook Pro 14 M3", "Apple", "computer", "Portable", "MR7J3FN/A", 2149, true, 1, 0},
	{"MacBook Air 13 M2", "Apple", "computer", "Portable", "MLY33FN/A", 1199, true, 1, 0},

	{"P2423D", "Dell", "monitor", "Écran", "210-BDEG", 249, false, 3, 23.8},
	{"P2723DE", "Dell", "monitor", "Écran", "210-BDPZ", 379, false, 3, 27},
	{"E24 G5", "HP", "monitor", "Écran", "6N6E9AA", 199, false, 3, 23.8},
	{"ThinkVision T24i-30", "Lenovo", "monitor", "Écran", "63CFMAT3EU", 219, false, 3, 23.8},
	{"ViewFinity S6 S27C", "Samsung", "monitor", "Écran", "LS27C612EQUXEN", 329, false, 3, 27},

	{"FortiGate 60F", "Fortinet", "network-equipment", "Pare-feu", "FG-60F", 890, false, 5, 10},
	{"Catalyst 9200L-24P-4G", "Cisco", "network-equipment", "Commutateur", "C9200L-24P-4G-E", 2450, false, 5, 28},
	{"CBS350-48P-4G", "Cisco", "network-equipment", "Commutateur", "CBS350-48P-4G-EU", 1290, false, 5, 52},
	{"UniFi U6 Pro", "Ubiquiti", "network-equipment", "Borne Wi-Fi", "U6-Pro", 169, false, 2, 1},

	{"MFC-L8900CDW", "Brother", "printer", "Multifonction", "MFCL8900CDWRE1", 689, false, 3, 0},
	{"HL-L5210DN", "Brother", "printer", "Imprimante laser", "HLL5210DNRE1", 289, false, 3, 0},
	{"Color LaserJet Pro MFP 4302fdw", "HP", "printer", "Multifonction", "5HH64F", 599, false, 1, 0},
	{"i-SENSYS MF455dw", "Canon", "printer", "Multifonction", "5161C006", 399, false, 1, 0},

	{"Galaxy A54 5G", "Samsung", "phone", "Smartphone", "SM-A546BZKCEUB", 389, false, 2, 0},
	{"iPhone 15", "Apple", "phone", "Smartphone", "MTP03ZD/A", 869, false, 1, 0},
	{"T54W", "Yealink", "phone", "Téléphone IP", "SIP-T54W", 179, false, 2, 0},

	{"WD19S", "Dell", "peripheral", "Station d'accueil", "210-AZBX", 219, false, 3, 0},
	{"USB-C Dock G5", "HP", "peripheral", "Station d'accueil", "5TW10AA", 199, false, 3, 0},
	{"ThinkPad Universal USB-C Dock", "Lenovo", "peripheral", "Station d'accueil", "40AY0090EU", 209, false, 3, 0},
	{"C920 HD Pro", "Logitech", "peripheral", "Webcam", "960-001055", 79, false, 2, 0},
	{"Evolve2 40 SE", "Jabra", "peripheral", "Casque", "24189-989-999", 99, false, 2, 0},
	{"5E 1100i USB", "Eaton", "peripheral", "Onduleur", "5E1100IUSB", 149, false, 2, 0},
}

// assetTypes are the types filed under each category.
var assetTypes = []struct{ name, category string }{
	{"Portable", "computer"}, {"Poste fixe", "computer"},
	{"Écran", "monitor"},
	{"Pare-feu", "network-equipment"}, {"Commutateur", "network-equipment"}, {"Borne Wi-Fi", "network-equipment"},
	{"Multifonction", "printer"}, {"Imprimante laser", "printer"},
	{"Smartphone", "phone"}, {"Téléphone IP", "phone"},
	{"Station d'accueil", "peripheral"}, {"Webcam", "peripheral"}, {"Casque", "peripheral"}, {"Onduleur", "peripheral"},
}

var supplierSpecs = []struct{ name, email, phone, website, address string }{
	{"Bechtle France", "commandes@bechtle.example.fr", "+33 1 60 11 22 33", "https://www.bechtle.com/fr", "1 avenue des Tropiques\n91940 Les Ulis"},
	{"LDLC Pro", "pro@ldlc.example.fr", "+33 4 27 46 60 00", "https://www.ldlc.pro", "2 rue des Érables\n69760 Limonest"},
	{"Inmac Wstore", "ventes@inmac.example.fr", "+33 1 69 32 20 00", "https://www.inmac-wstore.com", "Parc Médicis\n94260 Fresnes"},
	{"Econocom", "reseau@econocom.example.fr", "+33 1 41 67 30 00", "https://www.econocom.com/fr", "40 quai de Dion-Bouton\n92800 Puteaux"},
	{"Orange Business", "flotte@orange-business.example.fr", "+33 1 44 44 22 22", "https://www.orange-business.com/fr", "1 place des Droits de l'Homme\n93210 Saint-Denis"},
}

// orgPrefs are each organisation's buying habits: computer makers and suppliers.
var orgPrefs = map[string]struct {
	makers   []string // computer manufacturers, most used first
	supplier string
	landline bool // desk IP phones
}{
	"igs": {[]string{"Dell", "Lenovo", "Apple"}, "Bechtle France", true},
	"bm":  {[]string{"HP", "HP", "Dell"}, "LDLC Pro", false},
	"mtr": {[]string{"HP"}, "LDLC Pro", false},
	"cda": {[]string{"Lenovo", "Lenovo", "Apple"}, "Inmac Wstore", true},
}

var firstNames = []string{"Léa", "Hugo", "Chloé", "Louis", "Emma", "Gabriel", "Manon", "Arthur", "Inès", "Jules",
	"Camille", "Lucas", "Sarah", "Nathan", "Julie", "Thomas", "Clara", "Maxime", "Pauline", "Antoine",
	"Élodie", "Nicolas", "Aurélie", "Mathieu", "Céline", "Romain", "Laura", "Guillaume", "Émilie", "Kévin",
	"Anaïs", "Sébastien", "Margaux", "Alexandre", "Océane", "François", "Hélène", "Benoît", "Justine", "Yann"}

var lastNames = []string{"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
	"Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
	"Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André",
	"Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Perrin"}

var osChoices = []struct{ name, version string }{
	{"Windows 11 Professionnel", "23H2"},
	{"Windows 11 Professionnel", "22H2"},
	{"Windows 10 Professionnel", "22H2"},
	{"Ubuntu", "22.04 LTS"},
}

var macOS = []struct{ name, version string }{{"macOS", "14.6 Sonoma"}, {"macOS", "13.6 Ventura"}}

// stateWeights: how often each state appears among generated computers (per mille).
var stateWeights = []struct {
	code   string
	weight int
}{
	{"in_use", 800}, {"stock", 70}, {"repair", 35}, {"loan", 30}, {"reserved", 20}, {"retired", 35}, {"disposed", 10},
}

var comments = map[string][]string{
	"repair": {
		"Écran fêlé : pris en charge sous garantie, retour prévu sous 10 jours.",
		"Batterie gonflée, envoyée au constructeur.",
		"Disque SSD en défaut (SMART), remplacement commandé.",
		"Carte mère remplacée par le technicien du constructeur, tests en cours.",
	},
	"loan": {
		"Prêt pour un déplacement client, retour prévu en fin de mois.",
		"Poste de prêt pendant la réparation du portable habituel.",
	},
	"reserved": {"Réservé pour l'arrivée d'un nouveau collaborateur.", "Réservé pour le renouvellement de la direction."},
	"retired":  {"Remplacé lors du renouvellement du parc, en attente d'effacement sécurisé.", "Hors garantie et trop lent : réformé."},
	"disposed": {"Collecté par l'éco-organisme ; certificat d'effacement des données archivé."},
}

// clientCatalogue: Boulangeries Martin's own state, supplier and dictionary rule.
var clientCatalogue = []struct {
	org, typ string
	values   map[string]any
}{
	{"bm", "states", map[string]any{"name": "Prêté à une boutique", "code": "bm_boutique",
		"comment": "Matériel du siège prêté à une boutique pour une période donnée."}},
	{"bm", "suppliers", map[string]any{"name": "Fournil Équipement Nantes", "email": "contact@fournil-equipement.example",
		"phone": "+33 2 40 00 12 34", "comment": "Fournisseur des caisses et balances des boutiques."}},
	{"bm", "software-rules", map[string]any{"name": "Logiciel de caisse", "position": int64(50), "match_name": "^caisse",
		"action": "rename", "new_name": "Caisse Boulangeries Martin"}},
}
