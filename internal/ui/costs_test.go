package ui_test

import (
	"strings"
	"testing"

	"parc/internal/record"
	"parc/internal/storetest"
)

// TestCostsReport: the report per model sorts on a column and exports
// the whole report as CSV in the reader's spreadsheet style; the asset's finance
// tab has its costs block and the details tab its documents block.
func TestCostsReport(t *testing.T) {
	storetest.EachStore(t, func(t *testing.T, kind string) {
		e := newEnv(t, kind)
		root := e.sys.Tree.Root
		man := e.create("manufacturers", record.Input{"name": "Dell"})
		cheap := e.create("models", record.Input{"name": "Optiplex", "category": "computer", "manufacturer_id": man})
		dear := e.create("models", record.Input{"name": "Precision", "category": "computer", "manufacturer_id": man})
		e.create("computers", record.Input{"name": "PC-1", "organization_id": root, "model_id": cheap, "purchase_price": 500, "purchase_date": "2024-01-01"})
		e.create("computers", record.Input{"name": "PC-2", "organization_id": root, "model_id": cheap, "purchase_price": 700, "purchase_date": "2024-01-01"})
		ws := e.create("computers", record.Input{"name": "WS-1", "organization_id": root, "model_id": dear, "purchase_price": "2500,50", "purchase_date": "2024-01-01"})

		b := e.browser("en")
		b.login("admin", adminPassword)
		p := b.get("/costs").must(t, 200, "Total cost of ownership", "Precision", "Optiplex", "€2,500.50", "€1,200.00", "€600.00", `aria-sort="descending"`)
		if strings.Index(p.Body, "Precision") > strings.Index(p.Body, "Optiplex") {
			t.Errorf("not sorted by total, descending")
		}
		p = b.get("/costs?sort=total").must(t, 200, `aria-sort="ascending"`)
		if strings.Index(p.Body, "Precision") < strings.Index(p.Body, "Optiplex") {
			t.Errorf("not sorted by total, ascending")
		}
		b.get("/costs?by=organization").must(t, 200, "€3,700.50")
		csv := b.get("/costs/export.csv?sort=name").must(t, 200, "Model,Assets,Purchase", "Optiplex,2,1200.00", "Precision,1,2500.50")
		if ct := csv.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type %q", ct)
		}
		fr := e.browser("fr")
		fr.login("admin", adminPassword)
		fr.get("/costs/export.csv?sort=name").must(t, 200, "Modèle;Matériels;Achat", "Optiplex;2;1200,00")

		b.get("/computers/"+itoa(ws)+"?tab=finance").must(t, 200, `id="costs"`, "€2,500.50", "Bought on")
		b.get("/computers/"+itoa(ws)).must(t, 200, `id="documents"`, "No document yet.", `enctype="multipart/form-data"`)
		b.get("/tickets").lacks(t, `id="documents"`)
	})
}
