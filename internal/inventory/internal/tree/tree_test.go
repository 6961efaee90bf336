package tree

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"parc/internal/inventory"
)

func mustXML(t *testing.T, doc string) (*Node, []string) {
	t.Helper()
	n, w, err := ParseXML([]byte(doc), inventory.DefaultLimits())
	if err != nil {
		t.Fatalf("ParseXML: %v", err)
	}
	return n, w
}

func TestParseXMLShape(t *testing.T) {
	root, warnings := mustXML(t, `<?xml version="1.0" encoding="UTF-8" ?>
<REQUEST>
  <CONTENT>
    <SOFTWARES><NAME> bash </NAME><VERSION>5.2</VERSION></SOFTWARES>
    <SOFTWARES><NAME>zsh</NAME></SOFTWARES>
    <BIOS>
    </BIOS>
    <OPERATINGSYSTEM><TIMEZONE><NAME>UTC</NAME></TIMEZONE></OPERATINGSYSTEM>
    <!-- a comment -->
    <X>a &amp; b<![CDATA[ <c> ]]></X>
  </CONTENT>
  <QUERY>INVENTORY</QUERY>
</REQUEST>`)
	if len(warnings) != 0 {
		t.Errorf("warnings: %v", warnings)
	}
	if root.Name != "REQUEST" || root.Value("QUERY") != "INVENTORY" {
		t.Fatalf("root %q query %q", root.Name, root.Value("QUERY"))
	}
	c := root.Child("CONTENT")
	var names []string
	for s := range c.Each("SOFTWARES") {
		names = append(names, s.Value("NAME"))
	}
	if strings.Join(names, ",") != "bash,zsh" {
		t.Errorf("software names %q, want trimmed bash,zsh", names)
	}
	if b := c.Child("BIOS"); b == nil || !b.Empty() || b.Text != "" {
		t.Errorf("empty BIOS element: %+v", b)
	}
	if got := c.Child("OPERATINGSYSTEM").Child("TIMEZONE").Value("NAME"); got != "UTC" {
		t.Errorf("nested value %q", got)
	}
	if got := c.Value("X"); got != "a & b <c>" {
		t.Errorf("entities and CDATA: %q", got)
	}
	if c.Value("MISSING", "X") != "a & b <c>" || c.Value("MISSING") != "" {
		t.Error("Value with several names")
	}
	var nilNode *Node
	if nilNode.Child("A") != nil || nilNode.Value("A") != "" || !nilNode.Empty() {
		t.Error("nil node accessors")
	}
	for range nilNode.Each("A") {
		t.Error("nil node has children")
	}
}

func TestParseXMLLimits(t *testing.T) {
	lim := inventory.Limits{MaxDepth: 5, MaxElements: 20, MaxTextBytes: 10}
	cases := []struct {
		name, doc string
		want      error
		msg       string
	}{
		{"deep", strings.Repeat("<A>", 6) + strings.Repeat("</A>", 6), inventory.ErrLimit, "deeper than 5"},
		{"wide", "<A>" + strings.Repeat("<B/>", 20) + "</A>", inventory.ErrLimit, "more than 20 elements"},
		{"attributes count", `<A b="1" c="2" d="3" e="4" f="5" g="6" h="7" i="8" j="9" k="10" l="11" m="12" n="13" o="14" p="15" q="16" r="17" s="18" t="19" u="20"/>`, inventory.ErrLimit, "more than 20"},
		{"long text", "<A>" + strings.Repeat("x", 11) + "</A>", inventory.ErrLimit, "longer than 10 bytes"},
		{"text in pieces", "<A>xxxxxx<!-- -->xxxxxx</A>", inventory.ErrLimit, "longer than 10 bytes"},
		{"doctype", `<!DOCTYPE A [<!ENTITY x "y">]><A>&x;</A>`, inventory.ErrUnsupported, "DTDs"},
		{"unknown entity", `<A>&x;</A>`, inventory.ErrMalformed, "line 1"},
		{"truncated", `<A><B>text</B>`, inventory.ErrMalformed, "unexpected EOF"},
		{"mismatched", `<A><B></A></B>`, inventory.ErrMalformed, "line 1"},
		{"two roots", `<A/><B/>`, inventory.ErrMalformed, "second root"},
		{"text after root", `<A/>junk`, inventory.ErrMalformed, "outside the root"},
		{"empty", ``, inventory.ErrMalformed, "no root"},
		{"garbage", "\x00\x01\x02", inventory.ErrMalformed, ""},
		{"utf-16", "\xff\xfe<\x00A\x00/\x00>\x00", inventory.ErrUnsupported, "UTF-16"},
		{"other encoding", `<?xml version="1.0" encoding="Shift_JIS"?><A/>`, inventory.ErrUnsupported, `"Shift_JIS"`},
		{"ebcdic", `<?xml version='1.0' encoding='IBM037'?><A/>`, inventory.ErrUnsupported, "IBM037"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ParseXML([]byte(c.doc), lim)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err = %q, want it to say %q", err, c.msg)
			}
		})
	}
	// Within the limits.
	if _, _, err := ParseXML([]byte(strings.Repeat("<A>", 5)+strings.Repeat("</A>", 5)), lim); err != nil {
		t.Errorf("5 levels: %v", err)
	}
}

func TestParseXMLEncodings(t *testing.T) {
	// "Réseau – 5 €" in ISO-8859-1 / windows-1252.
	latin := "R\xe9seau \x96 5 \x80"
	for _, label := range []string{"ISO-8859-1", "iso-8859-1", "windows-1252", "CP1252", "latin1"} {
		root, warnings := mustXML(t, `<?xml version="1.0" encoding="`+label+`"?><A><B>`+latin+`</B></A>`)
		if got := root.Value("B"); got != "Réseau – 5 €" {
			t.Errorf("%s: %q", label, got)
		}
		if len(warnings) != 0 {
			t.Errorf("%s: warnings %v", label, warnings)
		}
	}
	// Single quotes and standalone, as the Android agent writes it.
	root, _ := mustXML(t, "<?xml version='1.0' encoding='ISO-8859-1' standalone='yes' ?><A><B>\xe9t\xe9</B></A>")
	if root.Value("B") != "été" {
		t.Errorf("single-quoted declaration: %q", root.Value("B"))
	}
	// "utf8" and "US-ASCII" are read as UTF-8.
	for _, label := range []string{"utf8", "US-ASCII"} {
		root, _ := mustXML(t, `<?xml version="1.0" encoding="`+label+`"?><A><B>x</B></A>`)
		if root.Value("B") != "x" {
			t.Errorf("%s: %q", label, root.Value("B"))
		}
	}
	// A UTF-8 document with a stray windows-1252 byte and control characters: repaired.
	root, warnings := mustXML(t, "\xef\xbb\xbf<A><B>caf\xe9\x01\x02 ok</B><C>\xef\xbf\xbe</C></A>")
	if got := root.Value("B"); got != "café ok" {
		t.Errorf("repaired text %q", got)
	}
	if got := root.Value("C"); got != "\ufffd" {
		t.Errorf("U+FFFE: %q", got)
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], "1 bytes were read as windows-1252") ||
		!strings.Contains(warnings[1], "2 control characters") {
		t.Errorf("warnings %q", warnings)
	}
	// Every windows-1252 byte decodes to valid UTF-8 with no control character except
	// the five undefined ones.
	for b := 0x80; b <= 0xff; b++ {
		r := windows1252(byte(b))
		if r < 0x80 || (r < 0xa0 && r != rune(b)) {
			t.Errorf("0x%02x -> %U", b, r)
		}
	}
	for b, want := range map[byte]rune{0x80: '€', 0x8c: 'Œ', 0x92: '’', 0x9c: 'œ', 0x9f: 'Ÿ', 0x81: 0x81, 0xe9: 'é', 0xff: 'ÿ'} {
		if got := windows1252(b); got != want {
			t.Errorf("0x%02x -> %U, want %U", b, got, want)
		}
	}
}

func TestWindows1252Reader(t *testing.T) {
	var in, want bytes.Buffer
	for i := range 10000 {
		b := byte(i%224 + 32) // no control characters
		in.WriteByte(b)
		want.WriteRune(windows1252(b))
	}
	if err := iotest.TestReader(&windows1252Reader{r: bytes.NewReader(in.Bytes())}, want.Bytes()); err != nil {
		t.Error(err)
	}
	got, err := io.ReadAll(&windows1252Reader{r: iotest.OneByteReader(iotest.DataErrReader(bytes.NewReader(in.Bytes())))})
	if err != nil || !bytes.Equal(got, want.Bytes()) {
		t.Errorf("one byte at a time: %v", err)
	}
	if _, err := io.ReadAll(&windows1252Reader{r: iotest.TimeoutReader(bytes.NewReader(in.Bytes()))}); !errors.Is(err, iotest.ErrTimeout) {
		t.Errorf("error not passed on: %v", err)
	}

	// A long ISO-8859-1 document with a control character.
	doc := `<?xml version="1.0" encoding="ISO-8859-1"?><A>` + strings.Repeat("<B>d\xe9j\xe0\x07</B>", 3000) + `</A>`
	root, warnings := mustXML(t, doc)
	if len(root.Children) != 3000 || root.Children[2999].Text != "déjà" {
		t.Errorf("%d children, last %q", len(root.Children), root.Children[len(root.Children)-1].Text)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "3000 control characters") {
		t.Errorf("warnings %q", warnings)
	}
}

func TestDeclaredEncoding(t *testing.T) {
	for doc, want := range map[string]string{
		`<?xml version="1.0" encoding="UTF-8" ?><A/>`:       "UTF-8",
		`<?xml version='1.0' encoding = 'latin1'?><A/>`:     "latin1",
		`<?xml version="1.0"?><A/>`:                         "",
		`<A/>`:                                              "",
		`<?xml-stylesheet href="x"?><A/>`:                   "",
		`<?xml version="1.0" encoding="unterminated ?><A/>`: "",
		`<?xml version="1.0" encoding=latin1?><A/>`:         "",
	} {
		if got := declaredEncoding([]byte(doc)); got != want {
			t.Errorf("%s: %q, want %q", doc, got, want)
		}
	}
}

func TestParseJSONShape(t *testing.T) {
	root, err := ParseJSON([]byte(`{
		"action": "inventory", "deviceid": " x ", "partial": true, "jobid": 12,
		"content": {
			"softwares": [{"name": "a", "filesize": 1.5e3}, {"name": "b"}],
			"users": [],
			"antivirus": null,
			"hardware": {"memory": 7800, "uuid": null},
			"network_device": {"ips": ["10.0.0.1", "10.0.0.2"]},
			"nested": [[{"x": 1}], []]
		}
	}`), inventory.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if root.Name != "" || root.Value("ACTION") != "inventory" || root.Value("DEVICEID") != "x" ||
		root.Value("PARTIAL") != "true" || root.Value("JOBID") != "12" {
		t.Errorf("envelope: %+v", root.Children)
	}
	c := root.Child("CONTENT")
	var sw []string
	for s := range c.Each("SOFTWARES") {
		sw = append(sw, s.Value("NAME")+"/"+s.Value("FILESIZE"))
	}
	if strings.Join(sw, ",") != "a/1.5e3,b/" {
		t.Errorf("softwares %q", sw)
	}
	if u := c.Child("USERS"); u == nil || !u.Empty() {
		t.Errorf("empty array must leave one empty element, got %+v", u)
	}
	if c.Child("ANTIVIRUS") != nil {
		t.Error("null must leave nothing")
	}
	if h := c.Child("HARDWARE"); h.Value("MEMORY") != "7800" || h.Child("UUID") != nil {
		t.Errorf("hardware %+v", h)
	}
	var ips []string
	for ip := range c.Child("NETWORK_DEVICE").Each("IPS") {
		ips = append(ips, ip.Text)
	}
	if strings.Join(ips, ",") != "10.0.0.1,10.0.0.2" {
		t.Errorf("array of strings: %q", ips)
	}
	n := 0
	for range c.Each("NESTED") {
		n++
	}
	if n != 2 {
		t.Errorf("nested arrays: %d elements", n)
	}
}

func TestParseJSONErrors(t *testing.T) {
	lim := inventory.Limits{MaxDepth: 4, MaxElements: 10, MaxTextBytes: 8}
	cases := []struct {
		name, doc string
		want      error
		msg       string
	}{
		{"deep", `{"a":{"b":{"c":{"d":{}}}}}`, inventory.ErrLimit, "deeper than 4"},
		{"deep arrays", `{"a":[[[[1]]]]}`, inventory.ErrLimit, "deeper than 4"},
		{"wide", `{"a":[1,2,3,4,5,6,7,8,9,10,11]}`, inventory.ErrLimit, "more than 10 values"},
		{"long string", `{"a":"123456789"}`, inventory.ErrLimit, `"a" is longer than 8`},
		{"long key", `{"` + strings.Repeat("k", 300) + `":1}`, inventory.ErrLimit, "key is longer"},
		{"not an object", `[1,2]`, inventory.ErrMalformed, "not an object"},
		{"scalar", `"x"`, inventory.ErrMalformed, "not an object"},
		{"truncated", `{"a":[1,2`, inventory.ErrMalformed, "ends too early"},
		{"syntax", `{"a":}`, inventory.ErrMalformed, "syntax error"},
		{"trailing", `{"a":1} {"b":2}`, inventory.ErrMalformed, "after the end"},
		{"trailing garbage", `{"a":1} x`, inventory.ErrMalformed, ""},
		{"empty", ``, inventory.ErrMalformed, "ends too early"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseJSON([]byte(c.doc), lim)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err = %q, want it to say %q", err, c.msg)
			}
		})
	}
}
