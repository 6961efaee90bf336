package record_test

import (
	"bytes"
	"context"
	"net/url"
	"testing"

	"parc/internal/core"
	"parc/internal/record"
)

// FuzzFieldParse: any input either is refused with a message or gives a value that
// reads back the same once written as text (what history, CSV and forms rely on).
func FuzzFieldParse(f *testing.F) {
	for _, s := range []string{"", "12", "1 234,50", "2025-02-30", "31/12/2024", "00:1A:2b:3c:4d:5e", "::1", "oui", "x\x00y", "\xff", "9999999999999999999"} {
		f.Add(s)
	}
	reg := core.NewRegistry()
	f.Fuzz(func(t *testing.T, s string) {
		for _, ty := range reg.Types() {
			for _, fl := range ty.Fields {
				v, msg := fl.Parse(s)
				if msg != nil {
					if v != nil {
						t.Fatalf("%s.%s: value %v with error %v", ty.Name, fl.Name, v, msg.Key)
					}
					continue
				}
				if v == nil {
					continue
				}
				again, msg := fl.Parse(record.Format(v))
				if msg != nil || !record.Equal(v, again) {
					t.Fatalf("%s.%s: %q -> %v -> %q -> %v (%v)", ty.Name, fl.Name, s, v, record.Format(v), again, msg)
				}
			}
		}
	})
}

// FuzzParseListQuery: list parameters never panic, and an accepted query survives
// being encoded into a saved search and parsed again.
func FuzzParseListQuery(f *testing.F) {
	for _, s := range []string{"filter=name:contains:PC&sort=-name", "filter=purchase_date:gte:2024-01-01&match=any&limit=10", "filter=::&limit=-1", "columns=name,serial&q=%25"} {
		f.Add(s)
	}
	reg := core.NewRegistry()
	comp := reg.MustType("computers")
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := record.ParseListQuery(comp, v)
		if err != nil {
			return
		}
		q2, err := record.ParseListQuery(comp, q.Encode())
		if err != nil {
			t.Fatalf("%q: re-parse of %q: %v", raw, q.Encode().Encode(), err)
		}
		if q2.Encode().Encode() != q.Encode().Encode() {
			t.Fatalf("round trip changed %q into %q", q.Encode().Encode(), q2.Encode().Encode())
		}
	})
}

// FuzzImportCSV: any file is either imported whole or refused with line-numbered
// errors, and a refused file writes nothing.
func FuzzImportCSV(f *testing.F) {
	for _, s := range []string{"name,serial\nPC,S\n", "name;purchase_price\nPC;\"1,5\"\n", "name\n\"unterminated\n", "\ufeffname,colour\nx,y\n", "name,serial\nA\n", "name\n\xff\n"} {
		f.Add([]byte(s))
	}
	a, sys := newApp(f, "sqlite")
	comp := a.Reg.MustType("computers")
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		before, err := a.Records.List(ctx, sys, comp, record.ListQuery{Count: true, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		res, err := a.Records.ImportCSV(ctx, sys, comp, bytes.NewReader(data), record.ImportOptions{OrgID: sys.Tree.Root})
		if err != nil {
			if e, ok := record.AsError(err); ok && e.Code == record.CodeTooLarge {
				return
			}
			t.Fatalf("import: %v", err)
		}
		after, _ := a.Records.List(ctx, sys, comp, record.ListQuery{Count: true, Limit: 1})
		if len(res.Errors) > 0 {
			if after.Total != before.Total {
				t.Fatalf("refused file wrote %d records", after.Total-before.Total)
			}
			for _, e := range res.Errors {
				if e.Line < 1 || e.Msg.Key == "" {
					t.Fatalf("error without line or message: %+v", e)
				}
			}
		} else if after.Total != before.Total+int64(res.Created) {
			t.Fatalf("created %d but count moved by %d", res.Created, after.Total-before.Total)
		}
	})
}
