package demo_test

import (
	"context"
	"strings"
	"testing"

	"parc/internal/app"
	"parc/internal/record"
)

// checkDocuments: the signed maintenance contract and the disposal's collection
// certificate are attached as PDF documents, and the hourly rates cost the
// demo's intervention time.
func checkDocuments(t *testing.T, a *app.App) {
	t.Helper()
	ctx := context.Background()
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ typ, q, name string }{
		{"contracts", "SELECT id FROM contracts WHERE number = 'LDLC-MNT-0457'", "LDLC-MNT-0457 contrat signé.pdf"},
		{"disposals", "SELECT MIN(id) FROM disposals", "Certificat ARD-"},
	} {
		var id int64
		if err := a.DB.QueryRowContext(ctx, c.q).Scan(&id); err != nil {
			t.Fatal(err)
		}
		_, docs, err := a.Documents.List(ctx, sys, c.typ, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 1 || !strings.HasPrefix(docs[0].Name, c.name) || docs[0].Type != "application/pdf" {
			t.Errorf("%s %d: documents %+v", c.typ, id, docs)
		}
	}
	if n := len(listAll(t, a, sys, "hourly-rates")); n != 3 {
		t.Errorf("%d hourly rates, want 3", n)
	}
}
