package demo

import "parc/internal/record"

// cannedSpecs are the service desk's canned responses; category "" is for every
// category.
var cannedSpecs = []struct {
	name, kind, category, content string
}{
	{"Demande de précisions", "followup", "",
		"Bonjour,\n\nPour avancer sur votre demande, pouvez-vous nous dire depuis quand le problème se produit et quel message s'affiche ? Une capture d'écran nous aide beaucoup.\n\nCordialement,\nLe support InfoGérance"},
	{"Intervention planifiée", "followup", "",
		"Bonjour,\n\nUn technicien passera sur votre poste à l'heure convenue. Merci de le laisser allumé et de fermer vos documents ouverts.\n\nCordialement,\nLe support InfoGérance"},
	{"Imprimante : premiers gestes", "followup", "Imprimante",
		"Bonjour,\n\nPouvez-vous éteindre l'imprimante 30 secondes, vérifier qu'aucune feuille n'est coincée dans les bacs, puis la rallumer ? Dites-nous si le voyant reste orange.\n\nCordialement,\nLe support InfoGérance"},
	{"Résolu à distance", "solution", "",
		"Le problème a été corrigé lors d'une prise en main à distance, avec votre accord. Si le problème revient, répondez simplement à ce ticket."},
	{"Mot de passe réinitialisé", "solution", "Mot de passe",
		"Votre mot de passe a été réinitialisé. Un mot de passe provisoire vous a été donné par téléphone : un nouveau vous sera demandé à la première connexion."},
	{"Pilote mis à jour", "solution", "Poste de travail",
		"Le pilote du matériel a été mis à jour et le poste redémarré ; le périphérique est de nouveau reconnu."},
}

// canned writes the canned responses, as the administrator.
func (d *desk) canned() error {
	for _, c := range cannedSpecs {
		in := record.Input{"name": c.name, "kind": c.kind, "content": c.content, "organization_id": d.orgs["igs"]}
		if c.category != "" {
			in["category_id"] = d.cats[c.category]
		}
		if _, err := d.create(d.actors[AdminLogin], "canned-responses", in); err != nil {
			return err
		}
	}
	return nil
}

// templateSpecs are the service desk's ticket templates: the form filled in and
// the task checklist created with the ticket.
var templateSpecs = []struct {
	name, category, typ, title, description, group, tasks string
	impact, urgency                                       int
}{
	{"Arrivée d'un collaborateur", "Création de compte", "request", "Arrivée de : (nom, service, date)",
		"Nom, prénom, service, responsable, date d'arrivée, matériel à prévoir.", "Support N1",
		"Créer le compte et la boîte aux lettres\nPréparer et inventorier le poste\nAjouter aux groupes du service\nRemettre le matériel et faire signer la fiche de prêt", 2, 3},
	{"Imprimante : bourrage ou toner", "Imprimante", "incident", "Imprimante : ",
		"Modèle et emplacement de l'imprimante, message affiché.", "Support N1",
		"Vérifier les bacs et le circuit papier\nContrôler le niveau de toner et commander si besoin", 2, 3},
}

// templates writes the ticket templates, as the administrator.
func (d *desk) templates() error {
	for _, s := range templateSpecs {
		in := record.Input{"name": s.name, "category_id": d.cats[s.category], "type": s.typ, "title": s.title,
			"description": s.description, "assigned_group_id": d.groups[s.group], "tasks": s.tasks,
			"impact": s.impact, "urgency": s.urgency, "organization_id": d.orgs["igs"]}
		if _, err := d.create(d.actors[AdminLogin], "ticket-templates", in); err != nil {
			return err
		}
	}
	return nil
}
