package demo

import "time"

// The fixed part of the demo's helpdesk. Its settings belong to the ESN (igs), so
// that the tickets of every client use them; the ESN's technicians work them.

const (
	calendarZone  = "Europe/Paris"
	calendarHours = "mon-fri 08:30-12:30 13:30-18:00"
)

// ticketCategories is a small tree; approval: tickets opened in it wait for the
// validation of a manager of the requester's groups.
var ticketCategories = []struct {
	name, parent, code, comment string
	approval                    bool
}{
	{"Matériel", "", "MAT", "Postes, écrans, imprimantes, téléphones.", false},
	{"Poste de travail", "Matériel", "MAT-PC", "Portables, postes fixes, écrans, stations d'accueil.", false},
	{"Imprimante", "Matériel", "MAT-IMP", "Imprimantes, multifonctions et scanners.", false},
	{"Téléphonie", "Matériel", "MAT-TEL", "Téléphones IP et smartphones.", false},
	{"Logiciel", "", "LOG", "", false},
	{"Messagerie", "Logiciel", "LOG-MAIL", "", false},
	{"Logiciel métier", "Logiciel", "LOG-MET", "Caisses, comptabilité, production, gestion des dossiers.", false},
	{"Réseau", "", "RES", "", false},
	{"Wi-Fi", "Réseau", "RES-WIFI", "", false},
	{"VPN / accès distant", "Réseau", "RES-VPN", "", false},
	{"Accès / comptes", "", "ACC", "", false},
	{"Création de compte", "Accès / comptes", "ACC-NEW", "Validée par le responsable du demandeur.", true},
	{"Mot de passe", "Accès / comptes", "ACC-MDP", "", false},
}

// slaSpecs: times in business minutes of the calendar (a day is 510 minutes). An
// SLA on a parent category covers its sub-categories; the lawyers' contract
// replaces the ESN's SLAs for their tickets.
var slaSpecs = []struct {
	org, name, category string
	priority, tto, ttr  int64
	comment             string
}{
	{"igs", "Standard", "", 0, 240, 1020, "Prise en compte sous 4 h ouvrées, résolution sous 2 jours ouvrés."},
	{"igs", "Matériel", "Matériel", 0, 240, 1530, "Toutes les sous-catégories du matériel : 3 jours ouvrés, le temps de recevoir une pièce."},
	{"igs", "Réseau", "Réseau", 0, 60, 510, "Wi-Fi, VPN et liens : résolution dans la journée."},
	{"igs", "Accès et comptes", "Accès / comptes", 0, 120, 255, "Comptes et mots de passe : une demi-journée."},
	{"igs", "Urgence (priorité 5)", "", 5, 30, 240, "Activité arrêtée, sans SLA de catégorie : résolution sous 4 h ouvrées."},
	{"cda", "Cabinet Durand : contrat premium", "", 0, 60, 510, "Contrat premium du cabinet : prise en compte sous 1 h, résolution dans la journée."},
}

var kbCategories = []string{"Impression", "Accès distant", "Comptes et mots de passe", "Messagerie", "Procédures techniciens"}

// articleSpecs: public ones are the requesters' FAQ; internal ones the
// technicians' notes; one is still a draft.
var articleSpecs = []struct {
	key, title, category, visibility string
	published                        bool
	by                               string
	at                               when
	body                             string
}{
	{"jam", "Imprimante : débloquer un bourrage papier", "Impression", "public", true, "tech.paris", day(34, "10:00"), `Quand l'imprimante affiche **Bourrage papier** :

1. Éteignez l'imprimante et attendez une minute que le four refroidisse.
2. Ouvrez le capot avant, retirez la cartouche de toner et le tambour.
3. Tirez doucement la feuille coincée **dans le sens du papier**, sans la déchirer.
4. Vérifiez le bac 2 et le capot arrière : un morceau de feuille suffit à bloquer.
5. Remettez le tambour, refermez, rallumez.

Si le bourrage revient plusieurs fois par jour, ouvrez un ticket en indiquant le nom de l'imprimante (étiquette **IMP-…** sur le capot).`},
	{"vpn", "Se connecter au VPN depuis chez soi", "Accès distant", "public", true, "tech.lyon", day(33, "11:30"), `Le VPN vous donne accès aux dossiers partagés et aux logiciels de l'entreprise.

1. Lancez **FortiClient** (icône bouclier bleu près de l'horloge).
2. Choisissez la connexion *Entreprise* et saisissez votre identifiant Windows.
3. Validez la notification reçue sur votre téléphone (double authentification).

En cas d'échec, vérifiez d'abord votre connexion Internet, puis redémarrez le poste. Le VPN se coupe après 8 heures : reconnectez-vous simplement.`},
	{"password", "Changer son mot de passe Windows", "Comptes et mots de passe", "public", true, "tech.paris", day(33, "15:00"), `Sur un poste de l'entreprise : **Ctrl + Alt + Suppr**, puis *Modifier un mot de passe*.

Le mot de passe doit compter au moins 12 caractères. Évitez les dates de naissance et les noms d'enfants, et n'utilisez pas le même mot de passe ailleurs.

Après le changement, mettez aussi à jour le mot de passe de la messagerie sur votre téléphone (voir l'article dédié).`},
	{"mail-mobile", "Configurer sa messagerie professionnelle sur smartphone", "Messagerie", "public", true, "tech.lyon", day(32, "09:45"), `Sur iPhone comme sur Android, utilisez l'application **Outlook** :

1. Installez Outlook depuis l'App Store ou le Play Store.
2. Saisissez votre adresse professionnelle, puis votre mot de passe Windows.
3. Acceptez l'inscription de l'appareil demandée par l'entreprise.

Après un changement de mot de passe, Outlook le redemande : saisissez le nouveau. Si la synchronisation ne reprend pas, supprimez le compte dans Outlook et ajoutez-le de nouveau.`},
	{"new-pc", "Procédure : préparer et livrer un nouveau poste de travail", "Procédures techniciens", "internal", true, "tech.paris", day(31, "14:00"), `## Avant la livraison
- Inscrire le poste dans parc (numéro d'inventaire, série, utilisateur, lieu).
- Déployer le master Windows 11 et joindre le domaine du client.
- Installer FortiClient et le profil VPN du client, puis Office et les logiciels métier listés dans la fiche client.

## Sur site
- Brancher la station d'accueil et les écrans ; tester la visioconférence.
- Transférer les données de l'ancien poste (OneDrive, favoris, signatures Outlook).
- Faire signer le rapport d'intervention (lien *Rapport* du ticket).

## Après
- Passer l'ancien poste à l'état *Réformé* ou *En stock* dans parc.
- Effacement sécurisé avant recyclage : certificat à joindre au ticket.`},
	{"unifi", "Bornes UniFi : redémarrer et réadopter une borne", "Procédures techniciens", "internal", true, "tech.lyon", day(30, "16:20"), `Une borne qui clignote en blanc n'est plus gérée par le contrôleur.

1. Console UniFi du client → *Devices* : la borne apparaît *Disconnected* ou *Adoption failed*.
2. Redémarrer la borne en coupant le port PoE sur le commutateur (**SW-…**), 10 secondes.
3. Si elle reste orpheline : réinitialisation (trombone 10 s), puis *Adopt* depuis la console.
4. Vérifier le canal et la puissance : en 5 GHz, canaux 36 à 48 dans les bureaux.

Noter la borne concernée dans le ticket (onglet *Matériels*).`},
	{"cash-export", "Brouillon : export comptable des caisses en échec", "Procédures techniciens", "internal", false, "tech.lyon", day(2, "17:10"), `À compléter après la correction de l'éditeur.

- Symptôme : les ventes du jour n'arrivent plus dans la comptabilité.
- Cause vue le 1er jour : tâche planifiée *ExportVentes* arrêtée après la mise à jour.
- Contournement : relancer la tâche à la main depuis le poste de la caisse principale.`},
}

// ticketSpecs are the demo's tickets, grouped by the status they end in: 6 new,
// 8 assigned, 4 planned, 5 pending, 6 solved, 9 closed. Steps use the
// demo accounts; requesters "#n" are employees without a login, whose tickets the
// technicians open for them (phone calls) and the automatic closing closes.
var ticketSpecs = []ticketSpec{
	// New.
	{org: "bm", requester: "marie.dupont", by: "marie.dupont", title: "L'imprimante de la boutique n'imprime plus les étiquettes",
		description: "Depuis ce matin, les étiquettes des prix sortent blanches. Le témoin de l'imprimante est orange.", urgency: 4, at: ago(35 * time.Minute)},
	{org: "cda", requester: "antoine.roux", by: "antoine.roux", title: "Impossible d'ouvrir les pièces jointes PDF dans Outlook",
		description: "Les PDF reçus par courriel affichent « format non pris en charge ». Les autres pièces jointes s'ouvrent.", at: ago(2*time.Hour + 10*time.Minute)},
	{org: "mtr", requester: "#0", by: "tech.lyon", title: "Téléphone du quai de livraison sans tonalité", category: "Téléphonie",
		description: "Appel reçu : le téléphone IP du quai n'a plus de tonalité depuis le passage du livreur (câble arraché ?).", at: day(1, "16:40")},
	{org: "igs", requester: "#0", by: "tech.paris", title: "Compte bloqué après plusieurs essais de mot de passe", category: "Mot de passe",
		description: "Le compte Windows est verrouillé ; l'utilisateur a changé son mot de passe hier soir.", urgency: 4, at: ago(50 * time.Minute)},
	{org: "bm", requester: "marie.dupont", by: "tech.lyon", title: "Création d'un compte pour la nouvelle comptable", category: "Création de compte", request: true,
		description: "Arrivée lundi de Mme Léa Girard : compte Windows, messagerie et accès au dossier Comptabilité.", at: day(1, "10:15"),
		steps: []act{reply(day(1, "10:20"), "tech.lyon", "Demande reçue : elle est transmise à M. Martin pour validation. Nous créerons le compte dès son accord.")}},
	{org: "cda", requester: "#1", by: "tech.paris", title: "Wi-Fi très lent dans la salle d'audience Montesquieu", category: "Wi-Fi",
		description: "Les visioconférences coupent dans la salle d'audience ; le reste de l'étage fonctionne.", item: "network-equipment:AP-P08-01", at: ago(3 * time.Hour)},

	// Assigned.
	{org: "igs", requester: "#1", by: "tech.paris", title: "Écran externe non détecté après la mise à jour", category: "Poste de travail", item: "computer",
		description: "Depuis la mise à jour de mardi, l'écran branché sur la station d'accueil reste noir.", at: day(3, "09:20"),
		steps: []act{
			assign(day(3, "09:25"), "tech.paris", "tech.paris", "Support N1"),
			reply(day(3, "09:40"), "tech.paris", "Pouvez-vous essayer un autre câble USB-C entre le portable et la station ?"),
			task(day(2, "11:00"), "tech.paris", "Mise à jour du pilote graphique et du micrologiciel de la station d'accueil.", 30),
			note(day(2, "11:35"), "tech.paris", "Toujours pas d'image : tester une autre station d'accueil sur site."),
		}},
	{org: "bm", requester: "#0", by: "tech.lyon", title: "La caisse n'envoie plus les ventes vers la comptabilité", category: "Logiciel métier", impact: 4, urgency: 4,
		description: "Les ventes d'hier n'apparaissent pas dans le logiciel comptable.", at: day(2, "08:50"),
		steps: []act{
			assign(day(2, "08:55"), "tech.lyon", "tech.lyon", "Support N1"),
			note(day(2, "09:30"), "tech.lyon", "La tâche planifiée ExportVentes est arrêtée depuis la mise à jour de la caisse. Ticket ouvert chez l'éditeur."),
			task(day(2, "10:10"), "tech.lyon", "Relance manuelle de l'export depuis la caisse principale.", 45),
			reply(day(2, "10:15"), "tech.lyon", "Les ventes d'hier sont transmises. Nous attendons le correctif de l'éditeur pour l'export automatique."),
		}},
	{org: "mtr", requester: "#1", by: "tech.lyon", title: "Le portable ne charge plus", category: "Poste de travail", item: "computer",
		description: "Le voyant de charge ne s'allume plus, avec ou sans la station.", at: day(1, "14:05"),
		steps: []act{
			assign(day(1, "14:10"), "tech.lyon", "tech.lyon", ""),
			reply(day(1, "14:30"), "tech.lyon", "Un chargeur de prêt part ce soir par coursier ; nous testerons la batterie à réception du portable."),
		}},
	{org: "cda", requester: "antoine.roux", by: "antoine.roux", title: "Signature électronique : le certificat a expiré",
		description: "Le logiciel de signature refuse mon certificat depuis ce matin.", at: day(2, "09:05"),
		steps: []act{
			setCategory(day(2, "09:25"), "tech.paris", "Logiciel métier"),
			assign(day(2, "09:30"), "tech.paris", "tech.paris", "Support N1"),
			note(day(2, "10:00"), "tech.paris", "Certificat RGS** à renouveler auprès du prestataire : commande passée, délai annoncé 3 jours."),
			reply(day(2, "10:05"), "tech.paris", "Le renouvellement du certificat est commandé. En attendant, Maître Lambert peut signer pour le cabinet."),
		}},
	{org: "igs", requester: "#2", by: "tech.paris", title: "Le VPN se déconnecte toutes les 10 minutes", category: "VPN / accès distant", item: "computer",
		description: "En télétravail, FortiClient se déconnecte sans message environ toutes les dix minutes.", at: day(1, "11:30"),
		steps: []act{
			assign(day(1, "11:40"), "tech.paris", "", "Réseau & sécurité"),
			note(day(1, "11:45"), "tech.paris", "Journaux FortiClient joints au ticket du fournisseur. Box de l'utilisateur : Freebox Pop."),
		}},
	{org: "bm", requester: "#2", by: "tech.lyon", title: "Messagerie : boîte aux lettres pleine", category: "Messagerie",
		description: "Message « boîte aux lettres presque pleine » ; les courriels entrants sont refusés.", at: day(4, "10:00"),
		steps: []act{
			assign(day(4, "10:05"), "tech.lyon", "tech.lyon", "Support N1"),
			task(day(4, "10:40"), "tech.lyon", "Archivage des messages de plus de deux ans dans l'archive en ligne.", 15),
			reply(day(4, "10:45"), "tech.lyon", "De la place est libérée. Nous proposons à la direction de passer la boîte à 100 Go."),
		}},
	{org: "cda", requester: "#2", by: "tech.paris", title: "Le logiciel de gestion des dossiers refuse les connexions", category: "Logiciel métier", impact: 4, urgency: 5,
		description: "Plus personne au cabinet ne peut ouvrir les dossiers : « base de données indisponible ».", at: day(1, "08:45"),
		steps: []act{
			assign(day(1, "08:50"), "tech.paris", "tech.paris", "Support N1"),
			reply(day(1, "08:55"), "tech.paris", "Nous regardons tout de suite."),
			task(day(1, "09:20"), "tech.paris", "Redémarrage du service applicatif et du serveur : sans effet.", 20),
			escalate(day(1, "09:40"), "tech.paris", "Support N2", "Base de données probablement endommagée : expertise de niveau 2 nécessaire."),
		}},
	{org: "mtr", requester: "#2", by: "tech.lyon", title: "Bourrages à répétition sur l'imprimante du laboratoire", category: "Imprimante", item: "printers:IMP-TRS-01",
		description: "Trois bourrages depuis ce matin sur les bons de livraison.", at: ago(5 * time.Hour),
		steps: []act{
			assign(ago(4*time.Hour+50*time.Minute), "tech.lyon", "tech.lyon", "Support N1"),
			reply(ago(4*time.Hour+45*time.Minute), "tech.lyon", "Pouvez-vous suivre l'article « Imprimante : débloquer un bourrage papier » ? Si cela recommence, nous passerons demain."),
		}},

	// Planned.
	{org: "bm", requester: "resp.martin", by: "tech.lyon", title: "Installation d'un poste pour le nouveau responsable de production", category: "Poste de travail", request: true,
		description: "Portable, double écran et téléphone pour M. Faure, qui arrive au fournil.", at: day(5, "10:00"),
		steps: []act{
			assign(day(5, "10:05"), "tech.lyon", "tech.lyon", "Support N2"),
			reply(day(4, "15:00"), "tech.lyon", "Le portable est préparé ; nous passons l'installer au fournil."),
			plan(day(4, "15:05"), "tech.lyon", "Installation et configuration du poste sur site (Nantes, fournil).", 1, "09:00", "11:00"),
		}},
	{org: "cda", requester: "#3", by: "tech.paris", title: "Déménagement de deux postes au 2e étage", category: "Poste de travail", request: true,
		description: "Deux collaboratrices changent de bureau : postes, écrans et téléphones à déplacer.", at: day(6, "15:00"),
		steps: []act{
			assign(day(6, "15:05"), "tech.paris", "tech.paris", "Support N2"),
			askApproval(day(6, "15:10"), "tech.paris", "antoine.roux", "Intervention facturée hors contrat : merci de valider."),
			answerApproval(day(5, "09:30"), "antoine.roux", true, "D'accord, de préférence en fin de semaine."),
			plan(day(5, "10:00"), "tech.paris", "Déménagement des deux postes et des téléphones, brassage réseau.", 2, "14:00", "17:00"),
		}},
	{org: "igs", requester: "#3", by: "tech.lyon", title: "Remplacement de la batterie du portable", category: "Poste de travail", item: "computer",
		description: "La batterie ne tient plus qu'une demi-heure.", at: day(4, "09:00"),
		steps: []act{
			assign(day(4, "09:05"), "tech.lyon", "tech.lyon", ""),
			reply(day(4, "09:30"), "tech.lyon", "Batterie commandée chez Bechtle : nous la posons dès réception."),
			plan(day(1, "16:00"), "tech.lyon", "Pose de la batterie à l'agence de Lyon.", 1, "14:00", "14:30"),
		}},
	{org: "bm", requester: "#3", by: "tech.lyon", title: "Ajout d'une borne Wi-Fi dans le fournil", category: "Wi-Fi", request: true, item: "network-equipment:AP-NTE-01",
		description: "Les terminaux de commande perdent le Wi-Fi au fond du fournil.", at: day(8, "11:00"),
		steps: []act{
			assign(day(8, "11:10"), "tech.lyon", "tech.paris", "Réseau & sécurité"),
			note(day(7, "10:00"), "tech.paris", "Relevé de couverture fait : une borne U6 Pro au-dessus du four 3 suffit, câble à tirer depuis SW-NTE-01."),
			plan(day(7, "10:15"), "tech.paris", "Pose de la borne et tirage du câble (prévoir la nacelle).", 3, "08:30", "12:00"),
		}},

	// Pending.
	{org: "bm", requester: "marie.dupont", by: "marie.dupont", title: "Le lecteur de carte bancaire de la boutique se déconnecte",
		description: "Le terminal de paiement perd la liaison avec la caisse plusieurs fois par jour.", at: day(3, "11:10"),
		steps: []act{
			setCategory(day(3, "11:30"), "tech.lyon", "Matériel"),
			assign(day(3, "11:31"), "tech.lyon", "tech.lyon", "Support N1"),
			reply(day(3, "11:35"), "tech.lyon", "Pouvez-vous nous indiquer le numéro de série inscrit sous le terminal ?"),
			pending(day(3, "11:36"), "tech.lyon", "En attente du numéro de série du terminal (demandeuse)."),
		}},
	{org: "mtr", requester: "#0", by: "tech.lyon", title: "Commande d'un écran supplémentaire", category: "Poste de travail", request: true,
		description: "Un second écran pour le poste de planification des tournées.", at: day(6, "09:40"),
		steps: []act{
			assign(day(6, "09:45"), "tech.lyon", "tech.lyon", ""),
			reply(day(6, "10:30"), "tech.lyon", "Écran Dell P2423D commandé chez LDLC Pro."),
			pending(day(6, "10:31"), "tech.lyon", "En attente de la livraison du fournisseur (LDLC Pro)."),
		}},
	{org: "cda", requester: "#0", by: "tech.paris", title: "Scanner du secrétariat : numérisation vers dossier impossible", category: "Imprimante", item: "printers:IMP-P08-01",
		description: "La numérisation vers le dossier partagé échoue (« erreur d'envoi »).", at: day(4, "14:20"),
		steps: []act{
			assign(day(4, "14:25"), "tech.paris", "tech.paris", "Support N1"),
			task(day(4, "15:30"), "tech.paris", "Contrôle du carnet d'adresses et du partage SMB : conformes.", 25),
			pending(day(4, "15:40"), "tech.paris", "Intervention du constructeur planifiée (Canon) pour la carte réseau."),
		}},
	{org: "igs", requester: "#4", by: "tech.paris", title: "Licence Adobe Acrobat à réattribuer", category: "Logiciel", request: true,
		description: "Reprendre la licence d'un collaborateur parti pour la nouvelle assistante.", at: day(5, "16:00"),
		steps: []act{
			assign(day(5, "16:05"), "tech.paris", "tech.paris", ""),
			pending(day(5, "16:30"), "tech.paris", "En attente de la réponse de l'éditeur (transfert de licence)."),
		}},
	{org: "bm", requester: "#1", by: "tech.lyon", title: "Coupures réseau répétées à la boutique d'Angers", category: "Réseau", impact: 4, urgency: 4, item: "network-equipment:FW-ANG-01",
		description: "Internet et la caisse coupent plusieurs minutes, trois à quatre fois par jour.", at: day(3, "08:40"),
		steps: []act{
			assign(day(3, "08:45"), "tech.lyon", "tech.paris", "Réseau & sécurité"),
			note(day(3, "10:00"), "tech.paris", "Nombreuses réinitialisations du lien WAN côté box de l'opérateur."),
			reply(day(3, "10:10"), "tech.paris", "Le problème vient de la ligne : l'opérateur doit intervenir."),
			pending(day(3, "10:15"), "tech.paris", "En attente de l'intervention de l'opérateur (ticket Orange 8841-22)."),
		}},

	// Solved, within the last days: the requester may still answer.
	{org: "bm", requester: "marie.dupont", by: "marie.dupont", title: "Mot de passe de la messagerie oublié",
		description: "Je ne peux plus lire mes courriels, ni sur le poste ni sur mon téléphone.", at: day(3, "09:00"),
		steps: []act{
			setCategory(day(3, "09:20"), "tech.lyon", "Mot de passe"),
			assign(day(3, "09:21"), "tech.lyon", "tech.lyon", "Support N1"),
			solve(day(3, "09:40"), "tech.lyon", "fixed", "Mot de passe réinitialisé ; un nouveau vous sera demandé à la prochaine connexion.", ""),
			refuse(day(2, "08:30"), "Je n'arrive toujours pas à lire mes courriels sur mon téléphone."),
			reply(day(2, "09:00"), "tech.lyon", "Il faut aussi saisir le nouveau mot de passe dans Outlook sur le téléphone : je vous appelle pour le faire ensemble."),
			task(day(2, "09:20"), "tech.lyon", "Reconfiguration d'Outlook sur le smartphone, par téléphone.", 15),
			solve(day(2, "09:25"), "tech.lyon", "fixed", "", "mail-mobile"),
		}},
	{org: "igs", requester: "#1", by: "tech.paris", title: "Imprimante du 1er étage : bourrage papier", category: "Imprimante", item: "printers:IMP-PAR-02",
		description: "Bourrage papier affiché, impossible de le retirer.", at: day(2, "14:00"),
		steps: []act{
			assign(day(2, "14:05"), "tech.paris", "tech.paris", ""),
			solve(day(2, "14:30"), "tech.paris", "fixed", "Morceau de feuille retiré du capot arrière ; la marche à suivre est dans l'article de la base de connaissances.", "jam"),
		}},
	{org: "mtr", requester: "#1", by: "tech.lyon", title: "Le logiciel de production ne démarre plus : fabrication arrêtée", category: "Logiciel métier", impact: 5, urgency: 5,
		description: "Le logiciel de planification de la production plante au démarrage ; le laboratoire est à l'arrêt.", at: day(1, "07:55"),
		steps: []act{
			assign(day(1, "08:00"), "tech.lyon", "tech.lyon", "Support N1"),
			note(day(1, "08:30"), "tech.lyon", "La mise à jour de la nuit a corrompu la base locale. Sauvegarde de 2 h disponible."),
			task(day(1, "09:20"), "tech.lyon", "Restauration de la base locale depuis la sauvegarde de la nuit.", 50),
			solve(day(1, "09:30"), "tech.lyon", "workaround", "Base restaurée depuis la sauvegarde de la nuit : la fabrication reprend. L'éditeur corrige la mise à jour.", ""),
		}},
	{org: "cda", requester: "antoine.roux", by: "antoine.roux", title: "Double écran qui clignote",
		description: "Le second écran s'éteint et se rallume toutes les minutes.", item: "computer", at: day(2, "15:10"),
		steps: []act{
			setCategory(day(2, "15:30"), "tech.paris", "Poste de travail"),
			assign(day(2, "15:31"), "tech.paris", "tech.paris", ""),
			task(day(1, "10:15"), "tech.paris", "Remplacement du câble DisplayPort sur site.", 20),
			solve(day(1, "10:30"), "tech.paris", "fixed", "Câble DisplayPort défectueux remplacé.", ""),
		}},
	{org: "bm", requester: "#2", by: "tech.lyon", title: "Accès au dossier partagé Comptabilité", category: "Accès / comptes",
		description: "Droits en lecture sur le dossier Comptabilité pour préparer la clôture.", request: true, at: day(1, "09:10"),
		steps: []act{
			assign(day(1, "09:12"), "tech.lyon", "tech.lyon", ""),
			solve(day(1, "09:45"), "tech.lyon", "fixed", "Ajout au groupe de lecture du dossier Comptabilité, validé par M. Martin.", ""),
		}},
	{org: "igs", requester: "#2", by: "tech.paris", title: "Souris sans fil qui ne répond plus", category: "Poste de travail",
		description: "Le pointeur ne bouge plus.", at: ago(4 * time.Hour),
		steps: []act{
			assign(ago(3*time.Hour+50*time.Minute), "tech.paris", "tech.paris", ""),
			solve(ago(3*time.Hour+30*time.Minute), "tech.paris", "fixed", "Piles remplacées.", ""),
		}},

	// Closed: accepted by the requester, or closed automatically after a week.
	{org: "bm", requester: "marie.dupont", by: "marie.dupont", title: "Outlook demande le mot de passe en boucle",
		description: "Outlook redemande mon mot de passe toutes les cinq minutes.", item: "computer", at: day(12, "10:00"),
		steps: []act{
			setCategory(day(12, "10:15"), "tech.lyon", "Messagerie"),
			assign(day(12, "10:16"), "tech.lyon", "tech.lyon", "Support N1"),
			reply(day(12, "10:30"), "tech.lyon", "Je prends la main à distance sur votre poste."),
			task(day(12, "10:55"), "tech.lyon", "Suppression des identifiants enregistrés et du profil Outlook, recréation.", 25),
			solve(day(12, "11:00"), "tech.lyon", "fixed", "Profil Outlook recréé : le mot de passe n'est plus demandé.", ""),
			accept(day(11, "09:00"), 5, "Merci pour la rapidité !"),
		}},
	{org: "cda", requester: "antoine.roux", by: "antoine.roux", title: "Installer le nouveau modèle de lettre du cabinet",
		description: "Le nouveau papier à en-tête doit être le modèle par défaut dans Word pour tous.", request: true, at: day(15, "14:00"),
		steps: []act{
			setCategory(day(15, "14:20"), "tech.paris", "Logiciel"),
			assign(day(15, "14:21"), "tech.paris", "tech.paris", ""),
			solve(day(14, "10:00"), "tech.paris", "fixed", "Modèle déployé par stratégie de groupe sur tous les postes du cabinet.", ""),
			accept(day(14, "16:00"), 4, "Parfait, sauf sur le portable de la bibliothèque, mais ce n'est pas urgent."),
		}},
	{org: "bm", requester: "#0", by: "tech.lyon", title: "Ticket de caisse illisible", category: "Imprimante",
		description: "L'imprimante de tickets de la caisse 2 imprime très pâle.", at: day(20, "09:30"),
		steps: []act{
			assign(day(20, "09:35"), "tech.lyon", "tech.lyon", ""),
			reply(day(20, "10:00"), "tech.lyon", "Il s'agit probablement du rouleau : pouvez-vous essayer un rouleau neuf ?"),
			solve(day(19, "11:00"), "tech.lyon", "fixed", "Rouleau thermique posé à l'envers : remis dans le bon sens.", ""),
		}},
	{org: "mtr", requester: "#2", by: "tech.lyon", title: "Création d'une adresse commandes@martin-traiteur.fr", category: "Messagerie", request: true,
		description: "Une boîte partagée pour les commandes des clients, lue par trois personnes.", at: day(18, "10:00"),
		steps: []act{
			assign(day(18, "10:05"), "tech.lyon", "tech.lyon", ""),
			solve(day(18, "15:00"), "tech.lyon", "fixed", "Boîte partagée créée et ajoutée aux trois utilisateurs.", ""),
		}},
	{org: "cda", requester: "#1", by: "tech.paris", title: "Remplacement d'un disque SSD défectueux", category: "Poste de travail", item: "computer",
		description: "Le poste redémarre seul ; l'outil de diagnostic signale des erreurs sur le disque.", at: day(25, "09:00"),
		steps: []act{
			assign(day(25, "09:05"), "tech.paris", "tech.paris", "Support N2"),
			note(day(25, "09:30"), "tech.paris", "SMART : 214 secteurs réalloués. Disque sous garantie : échange demandé à Lenovo."),
			task(day(22, "14:00"), "tech.paris", "Remplacement du disque et restauration de l'image du poste.", 90),
			solve(day(22, "15:45"), "tech.paris", "fixed", "Disque remplacé sous garantie, poste restauré et données resynchronisées.", ""),
		}},
	{org: "igs", requester: "#3", by: "tech.lyon", title: "Accès VPN pour un stagiaire", category: "VPN / accès distant", request: true,
		description: "Stagiaire de l'agence de Lyon pour trois mois.", at: day(16, "09:00"),
		steps: []act{
			assign(day(16, "09:10"), "tech.lyon", "tech.lyon", ""),
			solve(day(16, "11:00"), "tech.lyon", "fixed", "Profil VPN créé, valable jusqu'à la fin du stage.", "vpn"),
		}},
	{org: "bm", requester: "#3", by: "tech.lyon", title: "Le Wi-Fi invité ne fonctionne plus à la boutique", category: "Wi-Fi", item: "network-equipment:AP-ANG-01",
		description: "Les clients ne peuvent plus se connecter au Wi-Fi invité.", at: day(10, "15:00"),
		steps: []act{
			assign(day(10, "15:05"), "tech.lyon", "", "Réseau & sécurité"),
			solve(day(10, "16:00"), "chef.support", "duplicate", "Même panne que les coupures du lien Internet de la boutique, traitées dans un autre ticket.", ""),
		}},
	{org: "cda", requester: "#2", by: "tech.paris", title: "Mise à jour de Windows bloquée à 35 %", category: "Logiciel",
		description: "La mise à jour tourne depuis hier soir sans avancer.", at: day(30, "08:45"),
		steps: []act{
			assign(day(30, "08:50"), "tech.paris", "tech.paris", ""),
			task(day(30, "10:00"), "tech.paris", "Nettoyage du cache Windows Update et relance de la mise à jour.", 40),
			solve(day(29, "09:00"), "tech.paris", "fixed", "Mise à jour installée après nettoyage du cache.", ""),
		}},
	{org: "igs", requester: "#0", by: "tech.paris", title: "Clavier : des touches restent enfoncées", category: "Poste de travail",
		description: "Café renversé sur le clavier.", at: day(9, "13:40"),
		steps: []act{
			assign(day(9, "13:45"), "tech.paris", "tech.paris", ""),
			solve(day(9, "14:00"), "tech.paris", "workaround", "Clavier de prêt fourni ; remplacement commandé.", ""),
		}},
}
