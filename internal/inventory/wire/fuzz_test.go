package wire

import (
	"bytes"
	"errors"
	"testing"

	it "parc/internal/inventory/inventorytest"
)

// FuzzDecode: any body is decoded within the caps or refused as too large, corrupt or
// unsupported; what decodes re-encodes to the same bytes.
func FuzzDecode(f *testing.F) {
	for _, name := range it.Glob(f, "wire/*") {
		f.Add(it.Read(f, name), "application/x-compress")
	}
	sample := []byte("<REQUEST><QUERY>PROLOG</QUERY></REQUEST>")
	for _, c := range []Compression{Zlib, Gzip, Deflate} {
		enc, err := Encode(sample, c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc, c.ContentType(XML))
	}
	f.Add([]byte("\x78\x9c"), "")
	f.Add([]byte("{}"), "application/x-br")
	lim := Limits{MaxCompressed: 1 << 16, MaxDecompressed: 1 << 18}
	f.Fuzz(func(t *testing.T, raw []byte, contentType string) {
		body, c, err := Read(bytes.NewReader(raw), contentType, lim)
		if err != nil {
			if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error of no known kind: %v", err)
			}
			if body != nil {
				t.Fatal("a body with an error")
			}
			return
		}
		if int64(len(body)) > lim.MaxDecompressed {
			t.Fatalf("%d bytes out, cap %d", len(body), lim.MaxDecompressed)
		}
		enc, err := Encode(body, c)
		if err != nil {
			t.Fatal(err)
		}
		ct := ""
		if c == Deflate {
			ct = contentType
		}
		again, c2, err := Decode(enc, ct, Limits{MaxCompressed: 1 << 20, MaxDecompressed: 1 << 20})
		if err != nil || !bytes.Equal(again, body) || (c2 != c && c != None) {
			t.Fatalf("round trip as %s: %v, %v", c, c2, err)
		}
	})
}
