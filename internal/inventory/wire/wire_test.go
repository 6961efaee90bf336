package wire

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	it "parc/internal/inventory/inventorytest"
)

func TestRealCaptures(t *testing.T) {
	cases := []struct {
		name, contentType, prefix string
		size                      int
	}{
		// The OCS agent labels its zlib bodies application/x-compress.
		{"ocsinventory-2.10-prolog.zlib", "application/x-compress", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST>", 130},
		{"ocsinventory-2.10-inventory-nosoftware.zlib", "application/x-compress", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST>", 15736},
		{"fusioninventory-2.6-prolog.zlib", "application/x-compress-zlib", "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<REQUEST>", 157},
		{"fusioninventory-2.6-inventory-nosoftware.zlib", "", "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<REQUEST>", 11913},
	}
	for _, c := range cases {
		raw := it.Read(t, "wire/"+c.name)
		it.Eq(t, c.name+" detected", Detect(raw), Zlib)
		body, comp, err := Read(bytes.NewReader(raw), c.contentType, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		it.Eq(t, c.name+" compression", comp, Zlib)
		it.Eq(t, c.name+" size", len(body), c.size)
		if !bytes.HasPrefix(body, []byte(c.prefix)) {
			t.Errorf("%s: %.60q", c.name, body)
		}
		it.Eq(t, c.name+" syntax", Sniff(body), XML)
	}
	// The plain copies of the PROLOGs are what the zlib ones hold.
	for _, agent := range []string{"ocsinventory-2.10", "fusioninventory-2.6"} {
		plain := it.Read(t, "wire/"+agent+"-prolog.xml")
		it.Eq(t, agent+" plain detected", Detect(plain), None)
		body, comp, err := Decode(plain, "application/xml", Limits{})
		if err != nil || comp != None || !bytes.Equal(body, plain) {
			t.Errorf("%s plain: %v %v", agent, comp, err)
		}
		unzipped, _, err := Decode(it.Read(t, "wire/"+agent+"-prolog.zlib"), "", Limits{})
		if err != nil || !bytes.Equal(unzipped, plain) {
			t.Errorf("%s: zlib and plain PROLOG differ (%v)", agent, err)
		}
	}
	// A lying Content-Type does not matter.
	body, comp, err := Decode(it.Read(t, "wire/ocsinventory-2.10-prolog.zlib"), "application/xml", Limits{})
	if err != nil || comp != Zlib || !bytes.Contains(body, []byte("<QUERY>PROLOG</QUERY>")) {
		t.Errorf("zlib labelled xml: %v %v", comp, err)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	reply := []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REPLY><RESPONSE>SEND</RESPONSE><PROLOG_FREQ>24</PROLOG_FREQ></REPLY>")
	for _, c := range []Compression{None, Zlib, Gzip, Deflate} {
		enc, err := Encode(reply, c)
		if err != nil {
			t.Fatal(err)
		}
		if c != Deflate {
			it.Eq(t, c.String()+" detected", Detect(enc), c)
		}
		ct := ""
		if c == Deflate {
			ct = c.ContentType(XML)
		}
		dec, got, err := Decode(enc, ct, Limits{})
		if err != nil || got != c || !bytes.Equal(dec, reply) {
			t.Errorf("%s: %v %v %q", c, got, err, dec)
		}
	}
	// What the agents themselves do with a zlib reply: a plain zlib reader.
	enc, _ := Encode(reply, Zlib)
	zr, err := zlib.NewReader(bytes.NewReader(enc))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); !bytes.Equal(b, reply) {
		t.Error("zlib reply unreadable")
	}
	if _, err := Encode(reply, Compression(9)); err == nil {
		t.Error("unknown compression accepted")
	}
	it.Eq(t, "content type", Zlib.ContentType(XML)+" "+Gzip.ContentType(JSON)+" "+None.ContentType(JSON)+" "+None.ContentType(XML),
		"application/x-compress-zlib application/x-compress-gzip application/json application/xml")
}

func TestDetectAndSniff(t *testing.T) {
	for s, want := range map[string]Compression{
		"\x78\x9c..": Zlib, "\x78\x01..": Zlib, "\x78\xda..": Zlib, "\x1f\x8b\x08": Gzip,
		"xml": None, "x": None, "": None, "<REQUEST>": None, "{}": None, "\x78\x9d": None,
	} {
		it.Eq(t, "Detect "+s, Detect([]byte(s)), want)
	}
	for s, want := range map[string]Syntax{
		`{"action":"contact"}`: JSON, "\xef\xbb\xbf \n <?xml?>": XML, "  [1]": JSON, "": Unknown, "  ": Unknown, "hello": Unknown,
	} {
		it.Eq(t, "Sniff "+s, Sniff([]byte(s)), want)
	}
	it.Eq(t, "names", None.String()+XML.String()+Unknown.String(), "nonexmlunknown")
}

func compress(t testing.TB, c Compression, data []byte) []byte {
	t.Helper()
	b, err := Encode(data, c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCorruptAndTruncated(t *testing.T) {
	body := bytes.Repeat([]byte("<SOFTWARES><NAME>bash</NAME><VERSION>5.2</VERSION></SOFTWARES>\n"), 2000)
	for _, c := range []Compression{Zlib, Gzip} {
		enc := compress(t, c, body)
		for _, cut := range []int{3, 11, len(enc) / 2, len(enc) - 1} {
			if _, _, err := Decode(enc[:cut], "", Limits{}); !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s cut at %d/%d: %v", c, cut, len(enc), err)
			}
		}
		bad := bytes.Clone(enc)
		bad[len(bad)/2] ^= 0xff
		if _, _, err := Decode(bad, "", Limits{}); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s with a flipped byte: %v", c, err)
		}
		// The checksum at the end.
		bad = bytes.Clone(enc)
		bad[len(bad)-2] ^= 0x01
		_, _, err := Decode(bad, "", Limits{})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.String()) {
			t.Errorf("%s with a bad checksum: %v", c, err)
		}
	}
	enc := compress(t, Deflate, body)
	if _, _, err := Decode(enc[:len(enc)/2], "application/x-compress-deflate", Limits{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated deflate: %v", err)
	}
	// Garbage behind a zlib magic number.
	if _, _, err := Decode([]byte("\x78\x9cgarbage that is not deflate"), "", Limits{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("garbage: %v", err)
	}
	if _, _, err := Decode([]byte("\x1f\x8b"), "", Limits{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("gzip magic alone: %v", err)
	}
	// Garbage without a magic number is a plain body: the parser will refuse it.
	if b, c, err := Decode([]byte("\x00\x01garbage"), "application/x-compress-zlib", Limits{}); err != nil || c != None || len(b) != 9 {
		t.Errorf("plain garbage: %v %v", c, err)
	}
	if _, _, err := Decode([]byte("{}"), "application/x-br", Limits{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("brotli: %v", err)
	}
}

func TestSizeCaps(t *testing.T) {
	lim := Limits{MaxCompressed: 1000, MaxDecompressed: 5000}
	// A body over the compressed cap, from a reader that never ends.
	_, _, err := Read(infinite{}, "", lim)
	var tl *TooLargeError
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &tl) || tl.Decompressed || tl.Limit != 1000 {
		t.Errorf("endless body: %v", err)
	}
	if _, _, err := Decode(make([]byte, 1001), "", lim); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Decode over the cap: %v", err)
	}
	// A plain body is capped by the decompressed limit too.
	plain := bytes.Repeat([]byte("<"), 5001)
	if _, _, err := Decode(plain, "", Limits{MaxCompressed: 10000, MaxDecompressed: 5000}); !errors.As(err, &tl) || !tl.Decompressed {
		t.Errorf("plain over the cap: %v", err)
	}
	// Exactly at the caps is fine.
	body := bytes.Repeat([]byte("a"), 5000)
	if b, _, err := Decode(compress(t, Zlib, body), "", lim); err != nil || len(b) != 5000 {
		t.Errorf("at the cap: %d %v", len(b), err)
	}
	body = append(body, 'a')
	for _, c := range []Compression{Zlib, Gzip, Deflate} {
		_, _, err := Decode(compress(t, c, body), c.ContentType(XML), lim)
		if !errors.As(err, &tl) || !tl.Decompressed || tl.Limit != 5000 || !strings.Contains(err.Error(), "decompresses to more than 5000") {
			t.Errorf("%s one byte over: %v", c, err)
		}
	}
	// Defaults.
	if d := (Limits{}).orDefault(); d.MaxCompressed != DefaultMaxCompressed || d.MaxDecompressed != DefaultMaxDecompressed {
		t.Errorf("defaults %+v", d)
	}
}

type infinite struct{}

func (infinite) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '<'
	}
	return len(p), nil
}

var (
	bombOnce sync.Once
	bombs    map[Compression][]byte
)

// bomb returns 1 GiB of zeros compressed with c, made once by streaming (never held in
// memory decompressed).
func bomb(t *testing.T, c Compression) []byte {
	t.Helper()
	bombOnce.Do(func() {
		bombs = map[Compression][]byte{}
		zeros := make([]byte, 1<<20)
		for _, c := range []Compression{Zlib, Gzip} {
			var buf bytes.Buffer
			var w io.WriteCloser
			if c == Zlib {
				w, _ = zlib.NewWriterLevel(&buf, flate.BestSpeed)
			} else {
				w, _ = gzip.NewWriterLevel(&buf, flate.BestSpeed)
			}
			for range 1 << 10 {
				w.Write(zeros)
			}
			w.Close()
			bombs[c] = buf.Bytes()
		}
	})
	return bombs[c]
}

func TestDecompressionBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 1 GiB bombs")
	}
	for _, c := range []Compression{Zlib, Gzip} {
		b := bomb(t, c)
		if len(b) > DefaultMaxCompressed {
			t.Fatalf("%s bomb of %d bytes: over the compressed cap, not a bomb test", c, len(b))
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, got, err := Read(bytes.NewReader(b), "application/x-compress", Limits{})
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		var tl *TooLargeError
		if !errors.Is(err, ErrTooLarge) || !errors.As(err, &tl) || !tl.Decompressed || tl.Limit != DefaultMaxDecompressed || got != c {
			t.Fatalf("%s bomb (%d bytes): %v", c, len(b), err)
		}
		// It stopped at the 16 MiB cap: a few buffers of that size at most, not 1 GiB.
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 128<<20 {
			t.Errorf("%s bomb: %d MiB allocated", c, alloc>>20)
		}
		t.Logf("%s bomb: %d KiB compressed, refused in %v", c, len(b)>>10, elapsed)
	}
}
