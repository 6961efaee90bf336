package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"parc/internal/app"
	"parc/internal/helpdesk/calendar"
	"parc/internal/record"
	"parc/internal/search"
	"parc/internal/store"
)

// HelpdeskMarkerKey marks a bench store whose helpdesk setup (calendar, SLAs,
// categories, groups, technicians) exists.
const HelpdeskMarkerKey = "bench.helpdesk"

// HelpdeskFixture is a bench store with tickets.
type HelpdeskFixture struct {
	*Fixture
	Tickets, Followups int
	TechUserID         int64
	SLAs               []int64
	// techs and groups per organisation; categories per organisation.
	techs, groups, cats map[int64][]int64
	slaByPrio           map[int]slaRef
	cal                 *calendar.Calendar
}

type slaRef struct {
	id       int64
	tto, ttr time.Duration
}

var ticketCategories = []string{"Poste de travail", "Imprimante", "Réseau", "Messagerie", "Logiciel métier", "Téléphonie", "Comptes et accès", "Matériel"}

var ticketSubjects = []string{"Imprimante", "PC portable", "Écran", "VPN", "Outlook", "Teams", "Wi-Fi", "Téléphone", "Badge", "Compte Active Directory",
	"SAP", "Scanner", "Printer", "Laptop", "Docking station", "Excel", "Serveur de fichiers", "Clavier", "Souris", "Webcam"}
var ticketProblems = []string{"ne démarre plus", "bloqué au démarrage", "très lent", "erreur à la connexion", "plus de réseau", "mot de passe expiré",
	"bourrage papier", "écran noir", "demande d'installation", "does not connect", "keeps crashing", "message d'erreur 0x80070005",
	"impossible d'imprimer", "synchronisation impossible", "accès refusé", "demande de remplacement"}
var ticketSentences = []string{"Bonjour, depuis ce matin", "Hello, since the last update", "Suite à la coupure de courant,", "Après le redémarrage,",
	"Depuis mon retour de congés,", "Lors de la réunion de 10h,"}
var ticketDetails = []string{"l'utilisateur ne peut plus travailler.", "le service est complètement bloqué.", "cela arrive une fois sur deux.",
	"the user cannot open any document.", "le voyant orange clignote.", "plusieurs collègues ont le même souci.", "merci de rappeler au poste 4521."}
var followupTexts = []string{"Pris en charge, je regarde.", "Pouvez-vous redémarrer le poste et me dire si le problème persiste ?",
	"Le problème persiste après redémarrage.", "J'ai relancé le spouleur d'impression.", "Intervention sur site prévue demain matin.",
	"Pièce commandée chez le fournisseur, ticket fournisseur", "Mise à jour du pilote effectuée.", "Could you send a screenshot of the error?",
	"Voici la capture d'écran demandée.", "Le câble réseau était débranché.", "Réinitialisation du mot de passe faite, merci de vous reconnecter.",
	"Escalade au niveau 2 pour analyse.", "Toujours en attente du retour de l'utilisateur.", "Merci, tout fonctionne à nouveau."}

// analyzed caches the index terms of the generator's fixed phrases: analysis is
// per word, so the terms of a text are those of its parts joined.
type analyzed map[string]string

func (c analyzed) of(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		t, ok := c[p]
		if !ok {
			t = search.Analyze(p)
			if len(c) < 100000 {
				c[p] = t
			}
		}
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	return b.String()
}

// PrepareHelpdesk makes the store a helpdesk bench store holding at least n
// tickets and about three follow-ups each: the organisations and accounts of
// Prepare, then a calendar, one SLA per priority, categories, groups and
// technicians through the record service, then tickets, follow-ups and their
// search index rows with batched INSERTs.
func PrepareHelpdesk(ctx context.Context, a *app.App, n int, log io.Writer) (*HelpdeskFixture, error) {
	if log == nil {
		log = io.Discard
	}
	base, err := Prepare(ctx, a, 0, log)
	if err != nil {
		return nil, err
	}
	hf := &HelpdeskFixture{Fixture: base}
	marked, err := a.Records.Setting(ctx, a.DB, HelpdeskMarkerKey)
	if err != nil {
		return nil, err
	}
	if marked == "" {
		if err := helpdeskSetup(ctx, a, base, n, log); err != nil {
			return nil, err
		}
		if err := a.Records.SetSetting(ctx, HelpdeskMarkerKey, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return nil, err
		}
	}
	if err := loadHelpdesk(ctx, a, hf); err != nil {
		return nil, err
	}
	if missing := n - hf.Tickets; missing > 0 {
		start := time.Now()
		if err := insertTickets(ctx, a.DB, hf, missing, log); err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "inserted %d tickets and their follow-ups in %v\n", missing, time.Since(start).Round(time.Millisecond))
		t0 := time.Now()
		if err := analyze(ctx, a.DB); err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "planner statistics in %v\n", time.Since(t0).Round(time.Millisecond))
		if err := loadHelpdesk(ctx, a, hf); err != nil {
			return nil, err
		}
	}
	return hf, nil
}

func helpdeskSetup(ctx context.Context, a *app.App, fx *Fixture, n int, log io.Writer) error {
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		return err
	}
	create := func(typ string, in record.Input) (int64, error) {
		r, err := a.Records.Create(ctx, sys, a.Reg.MustType(typ), in)
		if err != nil {
			return 0, fmt.Errorf("bench %s %v: %w", typ, in["name"], err)
		}
		return r.ID, nil
	}
	top := fx.Orgs[0].ID
	cal, err := create("calendars", record.Input{"name": "Heures ouvrées", "organization_id": top, "timezone": "Europe/Paris",
		"hours": "mon-fri 08:00-12:00 13:30-18:00", "holidays": "01-01 Jour de l'an\n05-01 Fête du travail\n07-14 Fête nationale\n12-25 Noël"})
	if err != nil {
		return err
	}
	// Business minutes to own and to resolve, by priority (GLPI-like contracts).
	times := map[int][2]int{1: {480, 4800}, 2: {240, 2400}, 3: {120, 1020}, 4: {60, 480}, 5: {30, 240}, 6: {15, 120}}
	for p := 1; p <= 6; p++ {
		if _, err := create("slas", record.Input{"name": fmt.Sprintf("P%d", p), "organization_id": top, "priority": p,
			"tto_minutes": times[p][0], "ttr_minutes": times[p][1], "calendar_id": cal}); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(7, 42))
	var techRows [][2]any
	for i, c := range clients {
		o := fx.Orgs[i]
		for _, name := range ticketCategories {
			if _, err := create("ticket-categories", record.Input{"name": name, "organization_id": o.ID}); err != nil {
				return err
			}
		}
		for _, lvl := range []string{"N1", "N2"} {
			if _, err := create("groups", record.Input{"name": lvl + " " + c.code, "organization_id": o.ID}); err != nil {
				return err
			}
		}
		// One technician per 6,000 tickets of the organisation, two at least.
		for k := 0; k < max(2, n*c.weight/100/6000); k++ {
			techRows = append(techRows, [2]any{o.ID, fmt.Sprintf("tech.%s.%03d", strings.ToLower(c.code), k+1)})
		}
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		for _, r := range techRows {
			first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
			if _, err := tx.ExecContext(ctx, `INSERT INTO users (organization_id, login, firstname, lastname, email, language, active, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, 'fr', ?, 1, ?, ?)`, r[0], r[1], first, last, r[1].(string)+"@bench.example", true, now, now); err != nil {
				return err
			}
		}
		// Each technician, the bench one included, belongs to the level-1 group of
		// their organisation.
		_, err := tx.ExecContext(ctx, `INSERT INTO group_members (organization_id, group_id, user_id, version, created_at, updated_at)
			SELECT u.organization_id, g.id, u.id, 1, ?, ? FROM users u JOIN groups g ON g.organization_id = u.organization_id AND g.name LIKE 'N1 %'
			WHERE u.login LIKE 'tech.%' OR u.login = ?`, now, now, TechLogin)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "helpdesk setup: calendar, 6 SLAs, %d categories, %d groups, %d technicians\n", len(clients)*len(ticketCategories), 2*len(clients), len(techRows))
	// Requesters: one employee per 50 tickets.
	return insertEmployees(ctx, a.DB, fx, n/50+len(fx.Orgs), rng)
}

func loadHelpdesk(ctx context.Context, a *app.App, hf *HelpdeskFixture) error {
	db := a.DB
	hf.techs, hf.groups, hf.cats, hf.slaByPrio = map[int64][]int64{}, map[int64][]int64{}, map[int64][]int64{}, map[int]slaRef{}
	hf.SLAs = nil
	byOrg := func(q string, into map[int64][]int64, args ...any) error {
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var org, id int64
			if err := rows.Scan(&org, &id); err != nil {
				return err
			}
			into[org] = append(into[org], id)
		}
		return rows.Err()
	}
	if err := byOrg("SELECT organization_id, id FROM users WHERE login LIKE 'tech.%' OR login = ? ORDER BY id", hf.techs, TechLogin); err != nil {
		return err
	}
	if err := byOrg("SELECT organization_id, id FROM groups WHERE name LIKE 'N_ %' ORDER BY id", hf.groups); err != nil {
		return err
	}
	if err := byOrg("SELECT organization_id, id FROM ticket_categories ORDER BY id", hf.cats); err != nil {
		return err
	}
	rows, err := db.QueryContext(ctx, "SELECT id, priority, tto_minutes, ttr_minutes, calendar_id FROM slas WHERE deleted_at IS NULL ORDER BY id")
	if err != nil {
		return err
	}
	var calID int64
	for rows.Next() {
		var id, p, tto, ttr int64
		if err := rows.Scan(&id, &p, &tto, &ttr, &calID); err != nil {
			rows.Close()
			return err
		}
		hf.SLAs = append(hf.SLAs, id)
		hf.slaByPrio[int(p)] = slaRef{id: id, tto: time.Duration(tto) * time.Minute, ttr: time.Duration(ttr) * time.Minute}
	}
	rows.Close()
	var zone, hours, holidays string
	if err := db.QueryRowContext(ctx, "SELECT timezone, hours, holidays FROM calendars WHERE id = ?", calID).Scan(&zone, &hours, &holidays); err != nil {
		return fmt.Errorf("bench calendar: %w", err)
	}
	if hf.cal, err = calendar.Parse(zone, hours, holidays); err != nil {
		return err
	}
	if err := db.QueryRowContext(ctx, "SELECT id FROM users WHERE login = ?", TechLogin).Scan(&hf.TechUserID); err != nil {
		return err
	}
	return db.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM tickets), (SELECT COUNT(*) FROM ticket_followups)").Scan(&hf.Tickets, &hf.Followups)
}
