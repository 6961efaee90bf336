package demo

import (
	"context"
	"fmt"
	"strings"

	"parc/internal/record"
)

// loadDocuments attaches the demo's documents (the printers' maintenance
// contract signed, the disposed computer's collection certificate) and sets the
// hourly rates intervention time is costed with: a default rate for the ESN and
// its clients, one for the second-level support group, one for a technician.
func loadDocuments(ctx context.Context, a *Services, orgs map[string]int64) error {
	sys, err := a.System(ctx, record.OriginCLI)
	if err != nil {
		return err
	}
	rates := a.Reg.MustType("hourly-rates")
	in := []record.Input{{"organization_id": sys.Tree.Root, "name": "Taux par défaut", "rate": 55,
		"comment": "Taux appliqué au temps des techniciens sans taux propre ni taux de groupe."}}
	var n2, n2Org, tech, techOrg int64
	a.DB.QueryRowContext(ctx, "SELECT id, organization_id FROM groups WHERE name = ? AND deleted_at IS NULL", "Support N2").Scan(&n2, &n2Org)
	a.DB.QueryRowContext(ctx, "SELECT id, organization_id FROM users WHERE login = ?", "tech.paris").Scan(&tech, &techOrg)
	if n2 != 0 {
		in = append(in, record.Input{"organization_id": n2Org, "name": "Support N2", "group_id": n2, "rate": 75})
	}
	if tech != 0 {
		in = append(in, record.Input{"organization_id": techOrg, "name": "Technicien Paris", "user_id": tech, "rate": 62.5})
	}
	for _, r := range in {
		if _, err := a.Records.Create(ctx, sys, rates, r); err != nil {
			return describe("hourly-rates", r["name"].(string), err)
		}
	}
	if a.Documents == nil {
		return nil
	}
	var contract, disposal int64
	var certificate, disposedOn string
	a.DB.QueryRowContext(ctx, "SELECT id FROM contracts WHERE number = ? AND deleted_at IS NULL", "LDLC-MNT-0457").Scan(&contract)
	a.DB.QueryRowContext(ctx, "SELECT id, COALESCE(certificate_number, ''), CAST(disposed_on AS TEXT) FROM disposals WHERE deleted_at IS NULL ORDER BY id LIMIT 1").
		Scan(&disposal, &certificate, &disposedOn)
	if contract != 0 {
		doc := pdf("Contrat de maintenance LDLC-MNT-0457", "Maintenance des imprimantes - LDLC Pro", "Exemplaire signe par les deux parties.")
		if _, err := a.Documents.Add(ctx, sys, "contracts", contract, "LDLC-MNT-0457 contrat signé.pdf", doc); err != nil {
			return describe("documents", "LDLC-MNT-0457", err)
		}
	}
	if disposal != 0 {
		doc := pdf("Certificat de collecte DEEE "+certificate, "Atlantique Recyclage - collecte du "+disposedOn, "1 unite centrale, 7,5 kg, recyclage.")
		if _, err := a.Documents.Add(ctx, sys, "disposals", disposal, "Certificat "+certificate+".pdf", doc); err != nil {
			return describe("documents", certificate, err)
		}
	}
	return nil
}

// pdf makes a small one-page PDF with a few lines of text (ASCII).
func pdf(lines ...string) []byte {
	var text strings.Builder
	text.WriteString("BT /F1 14 Tf 60 760 Td 20 TL\n")
	for _, l := range lines {
		l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
		fmt.Fprintf(&text, "(%s) Tj T*\n", l)
	}
	text.WriteString("ET\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", text.Len(), text.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}
