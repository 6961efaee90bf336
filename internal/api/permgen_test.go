package api_test

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"parc/internal/apitest"
	"parc/internal/record"
)

// recordGen makes a valid input for any registry type from its fields: required
// fields get a value of their kind, references a record made for the purpose in the
// same organisation. special lists the types whose hooks ask for more.
type recordGen struct {
	e    *apitest.Env
	mu   sync.Mutex
	seq  int
	refs map[string]int64 // referenced records made so far, by "type@organisation"
}

// ref gives a record for reference field f of a new t in org. Records referenced
// are shared, except by links (types of two or more required references, a group
// member...), whose pairs must differ.
func (g *recordGen) ref(t *record.Type, f *record.Field, org int64, depth int) (int64, error) {
	refs := 0
	for _, x := range t.Fields {
		if x.Kind == record.Ref && x.Required && x.Ref != "organizations" {
			refs++
		}
	}
	key := fmt.Sprintf("%s@%d", f.Ref, org)
	if refs < 2 {
		g.mu.Lock()
		id, ok := g.refs[key]
		g.mu.Unlock()
		if ok {
			return id, nil
		}
	}
	id, err := g.create(g.e.App.Reg.MustType(f.Ref), org, depth+1)
	if err == nil && refs < 2 {
		g.mu.Lock()
		if g.refs == nil {
			g.refs = map[string]int64{}
		}
		g.refs[key] = id
		g.mu.Unlock()
	}
	return id, err
}

// special: inputs the fields alone do not make valid, by type (set in init: some
// make records themselves).
var special map[string]func(g *recordGen, org int64) record.Input

func init() { special = specialInputs() }

func specialInputs() map[string]func(g *recordGen, org int64) record.Input {
	return map[string]func(g *recordGen, org int64) record.Input{
		"profiles":        func(g *recordGen, org int64) record.Input { return record.Input{"rights": `{"computers":["read"]}`} },
		"inventory-rules": func(g *recordGen, org int64) record.Input { return record.Input{"match_on": "serial"} },
		"slas":            func(g *recordGen, org int64) record.Input { return record.Input{"ttr_minutes": 240} },
		"software-rules": func(g *recordGen, org int64) record.Input {
			return record.Input{"action": "ignore", "match_name": fmt.Sprintf("gen-%d", g.next())}
		},
		// A ticket's item is a record of the type it names, in the ticket's organisation.
		"ticket-items": func(g *recordGen, org int64) record.Input {
			id, err := g.create(g.e.App.Reg.MustType("computers"), org, 1)
			if err != nil {
				g.e.T.Fatal(err)
			}
			return record.Input{"item_type": "computers", "item_id": id}
		},
		// Hand-overs, reservations and loan equipment name an asset of their
		// organisation; one open hand-over per asset, a reservation's asset is loan
		// equipment (loanInput, loans_test.go).
		"handovers":    func(g *recordGen, org int64) record.Input { return g.loanInput(org, false) },
		"reservations": func(g *recordGen, org int64) record.Input { return g.loanInput(org, true) },
		"loan-items":   func(g *recordGen, org int64) record.Input { return g.loanInput(org, false) },
		// A covered asset is a record of the type it names, in the contract's organisation.
		"contract-assets": func(g *recordGen, org int64) record.Input {
			id, err := g.create(g.e.App.Reg.MustType("computers"), org, 1)
			if err != nil {
				g.e.T.Fatal(err)
			}
			return record.Input{"item_type": "computers", "item_id": id}
		},
		// Lifecycle records (disposals, wipes) name an asset of their organisation,
		// a new one each: an asset is disposed of once.
		"disposals":       lifecycleAsset("recycler_id"),
		"reconditionings": lifecycleAsset("technician_id"),
		// An order line's quantity comes from its request, else is given.
		"purchase-order-lines": func(g *recordGen, org int64) record.Input { return record.Input{"quantity": 2} },
		// Agents are written by the inventory only (SystemOnly): the read-only fields
		// come from the agent's documents; the test stores them as the system does.
		"agents": func(g *recordGen, org int64) record.Input {
			return record.Input{"device_id": fmt.Sprintf("gen-device-%d", g.next()), "format": "parc"}
		},
	}
}

// lifecycleAsset: with no organisation (a CSV import, which takes no asset
// made for it) the input names its reference field ref, which keeps it out of
// the CSV checks.
func lifecycleAsset(ref string) func(g *recordGen, org int64) record.Input {
	return func(g *recordGen, org int64) record.Input {
		if org == 0 {
			return record.Input{ref: nil}
		}
		id, err := g.create(g.e.App.Reg.MustType("computers"), org, 1)
		if err != nil {
			g.e.T.Fatal(err)
		}
		return record.Input{"asset_type": "computers", "asset_id": id}
	}
}

func (g *recordGen) next() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seq++
	return g.seq
}

// input builds the values of a new record of t in org.
func (g *recordGen) input(t *record.Type, org int64, depth int) (record.Input, error) {
	n := g.next()
	in := record.Input{}
	switch t.Scope {
	case record.OrgScoped:
		in["organization_id"] = org
	case record.SelfScoped:
		in["parent_id"] = org
	case record.OrgShared:
		if org != 0 {
			in["organization_id"] = org
		}
	}
	for _, f := range t.Fields {
		if f.ReadOnly || f.Hidden || f.Name == "organization_id" || (t.Scope == record.SelfScoped && f.Name == "parent_id") {
			continue
		}
		if !f.Required && f.Name != t.NameField || f.Default != nil && f.Name != t.NameField {
			continue
		}
		switch f.Kind {
		case record.Text, record.LongText, record.Serial:
			in[f.Name] = fmt.Sprintf("gen-%s-%d", f.Name, n)
		case record.Int, record.Decimal, record.Money:
			v := 1.0
			if f.Min != nil {
				v = *f.Min
			}
			in[f.Name] = v
		case record.Bool:
			in[f.Name] = true
		case record.Date:
			in[f.Name] = "2026-01-02"
		case record.DateTime:
			in[f.Name] = "2026-01-02T10:00:00Z"
		case record.Enum:
			in[f.Name] = f.Options[0]
		case record.IP:
			in[f.Name] = fmt.Sprintf("10.0.%d.%d", n/250, n%250+1)
		case record.MAC:
			in[f.Name] = fmt.Sprintf("02:00:00:00:%02x:%02x", n/256, n%256)
		case record.Email:
			in[f.Name] = fmt.Sprintf("gen%d@example.org", n)
		case record.URL:
			in[f.Name] = fmt.Sprintf("https://example.org/%d", n)
		case record.Ref:
			if f.Ref == "organizations" {
				in[f.Name] = org
				continue
			}
			if depth > 4 {
				return nil, fmt.Errorf("%s.%s: references too deep", t.Name, f.Name)
			}
			id, err := g.ref(t, f, org, depth)
			if err != nil {
				return nil, err
			}
			in[f.Name] = id
		}
	}
	if s := special[t.Name]; s != nil {
		for k, v := range s(g, org) {
			in[k] = v
		}
	}
	return in, nil
}

// create stores a new record of t in org as the system.
func (g *recordGen) create(t *record.Type, org int64, depth int) (int64, error) {
	in, err := g.input(t, org, depth)
	if err != nil {
		return 0, err
	}
	r, err := g.e.App.Records.Create(context.Background(), g.e.Sys, t, in)
	if err != nil {
		return 0, fmt.Errorf("%s %v: %w", t.Name, in, err)
	}
	return r.ID, nil
}

// createOwned stores a new record of t as the system; for a catalogue type
// (OrgShared), owned by org (none: shared) and visible below it when recursive.
func (g *recordGen) createOwned(t *record.Type, org int64, recursive bool) (int64, error) {
	if t.Scope != record.OrgShared {
		return g.create(t, org, 0)
	}
	in, err := g.input(t, org, 0)
	if err != nil {
		return 0, err
	}
	in[record.RecursiveField] = recursive
	r, err := g.e.App.Records.Create(context.Background(), g.e.Sys, t, in)
	if err != nil {
		return 0, fmt.Errorf("%s %v: %w", t.Name, in, err)
	}
	return r.ID, nil
}

// csv gives a one-row import of a new record of t, for types whose generated
// values hold no references (a reference in a CSV is a label to resolve).
func (g *recordGen) csv(t *record.Type) (string, bool) {
	in, err := g.input(t, 0, 99)
	if err != nil {
		return "", false
	}
	var head, row []string
	for k, v := range in {
		if k == "organization_id" || k == "parent_id" {
			continue
		}
		if f := t.Field(k); f == nil || f.Kind == record.Ref {
			return "", false
		}
		head = append(head, k)
		row = append(row, fmt.Sprint(v))
	}
	if len(head) == 0 {
		return "", false
	}
	return strings.Join(head, ";") + "\n" + strings.Join(row, ";") + "\n", true
}

// change gives an update of t: a new value for its first free text field.
func (g *recordGen) change(t *record.Type) map[string]any {
	for _, f := range t.Fields {
		if (f.Kind == record.Text || f.Kind == record.LongText) && !f.ReadOnly && !f.Hidden {
			return map[string]any{f.Name: fmt.Sprintf("changed-%d", g.next())}
		}
	}
	return nil
}
