package tree

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"parc/internal/inventory"
	it "parc/internal/inventory/inventorytest"
)

// errKind names the kind of a ParseXML error, "" for none.
func errKind(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, inventory.ErrLimit):
		return "limit"
	case errors.Is(err, inventory.ErrUnsupported):
		return "unsupported"
	case errors.Is(err, inventory.ErrMalformed):
		return "malformed"
	}
	return "unknown: " + err.Error()
}

// sameAsStd returns why ParseXML and parseXMLStd disagree on doc, or "".
func sameAsStd(doc []byte, lim inventory.Limits) string {
	want, wantWarn, wantErr := parseXMLStd(doc, lim)
	got, gotWarn, gotErr := ParseXML(doc, lim)
	if k, wk := errKind(gotErr), errKind(wantErr); k != wk {
		return fmt.Sprintf("error %q (%v), encoding/xml %q (%v)", k, gotErr, wk, wantErr)
	}
	if wantErr != nil {
		return ""
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("trees differ:\n got %s\nwant %s", dump(got), dump(want))
	}
	if !reflect.DeepEqual(gotWarn, wantWarn) {
		return fmt.Sprintf("warnings %q, encoding/xml %q", gotWarn, wantWarn)
	}
	return ""
}

func dump(n *Node) string {
	var b strings.Builder
	var walk func(n *Node)
	walk = func(n *Node) {
		fmt.Fprintf(&b, "<%q %q", n.Name, n.Text)
		for _, c := range n.Children {
			walk(c)
		}
		b.WriteString(">")
	}
	walk(n)
	if b.Len() > 2000 {
		return b.String()[:2000] + "..."
	}
	return b.String()
}

func TestParseXMLMatchesStdFixtures(t *testing.T) {
	var names []string
	for _, pattern := range []string{"*.xml", "*.ocs", "glpi-inventory-format/*.xml", "wire/*.xml", "wire/*.zlib"} {
		names = append(names, it.Glob(t, pattern)...)
	}
	for _, name := range names {
		doc := it.Read(t, name)
		if strings.HasSuffix(name, ".zlib") {
			r, err := zlib.NewReader(bytes.NewReader(doc))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if doc, err = io.ReadAll(r); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if _, _, err := ParseXML(doc, inventory.DefaultLimits()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if why := sameAsStd(doc, inventory.DefaultLimits()); why != "" {
			t.Errorf("%s: %s", name, why)
		}
		// The same document, declared windows-1252: every byte above ASCII is read again.
		latin := bytes.Replace(doc, []byte(`encoding="UTF-8"`), []byte(`encoding="windows-1252"`), 1)
		if why := sameAsStd(latin, inventory.DefaultLimits()); why != "" {
			t.Errorf("%s as windows-1252: %s", name, why)
		}
	}
}

// trickyXML are documents on the edges of what encoding/xml accepts; the tests check
// that ParseXML agrees with it on each, and the fuzz target starts from them.
var trickyXML = []string{
	// Accepted.
	`<A/>`,
	`<A></A>`,
	`<A>x</A>`,
	` <A> x </A> `,
	"\n<A>\r\n x\r y\r\r\n</A>\n",
	`<A>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</A>`,
	`<A>&#65;&#x42;&#x0043;&#0000068;&#xe9;&#233;&#x1F600;</A>`,
	`<A>&#xD800;</A>`, // a surrogate becomes U+FFFD, as string(rune) makes it
	`<A>&#xFFFD;&#x10FFFF;</A>`,
	`<A>&#9;&#10;&#13;</A>`,
	`<A> &#32; </A>`,
	`<A><B/>&#32;<C/></A>`,
	`<A><B/> &#x20; x <C/> y </A>`,
	`<A><![CDATA[ <b>&amp; ]] ]> ]]></A>`,
	`<A><![CDATA[]]></A>`,
	"<A><![CDATA[a\r\nb\rc]]></A>",
	`<A>x<![CDATA[y]]>z</A>`,
	`<A><B/><![CDATA[   ]]><C/></A>`,
	`<A><B/><![CDATA[ x ]]><C/></A>`,
	`<A><!-- c --><!----><!-- - --></A>`,
	`<!-- before --><A/><!-- after -->`,
	`<?pi data?><A><?x?><?x-y ??><?a:b:c?></A><?z?>`,
	`<?xml version="1.0"?><A/>`,
	`<?xml version="1.0" encoding="utf-8"?><A/>`,
	`<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><A/>`,
	`<?xml encoding="US-ASCII"?><A/>`,
	`<?xml encoding="utf8"?><A>é</A>`,
	"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><A>\xe9\x80</A>",
	"<?xml version=\"1.0\" encoding = \"ISO-8859-1\"?><A>\xe9</A>",         // prepareXML and encoding/xml read it differently
	"<?xml version=\"1.0\" encoding = \"ISO-8859-1\"?><A>\xc3\xa9</A>",     // so the bytes are read as UTF-8
	"<?xml version=\"1.0\" encoding = \"ISO-8859-1\"?><A>\xef\xbf\xbe</A>", // U+FFFE
	"<?xml version=\"1.0\" encoding = \"ISO-8859-1\"?><A b=\"\xe9\"/>",
	"<?xml version=\"1.0\" encoding = \"ISO-8859-1\"?><A><![CDATA[\xe9]]></A>",
	"<?xml version=\"1.0\" encoding = \"ISO-8859-1\"?><A\xe9/>",
	"<A><?xml version=\"1.0\" encoding=\"latin1\"?>\xc3\xa9</A>", // a late declaration still switches
	"<A><?xml encoding=\"latin1\"?>\xc3\xa9<?xml encoding=\"latin1\"?>\xc3\xa9\n</A>",
	"<?xml encoding=\"utf-8\"?><A><?xml encoding=\"cp1252\"?>\x80</A>",
	`<A><?xml encoding="UTF8"?></A>`,
	`<?xml xencoding="latin1"?><A/>`,
	`<?xml encoding=latin1 encoding='utf-8'?><A/>`,
	`<?xml encoding=x"latin1"?><A/>`,
	`<?xml versionx="2.0"?><A/>`,
	`<?xml version="1.0" version="2.0"?><A/>`,
	`<?XML version="2.0"?><A/>`,
	`<?xml-stylesheet href="x"?><A/>`,
	`<A b="1" c='2' d = "3" e='"' f="'"/>`,
	`<A b="1"c="2"/>`,
	`<A b="a &amp; &#65; ]]> >"/>`,
	"<A b=\"x\r\ny\"/>",
	`<A b="1" b="2"/>`,
	`<A xmlns="urn:x" xmlns:p="urn:y"><p:B p:c="1">x</p:B><B/></A>`,
	`<p:A><p:B/></p:A>`,
	`<:A></:A>`,
	`<A:></A:>`,
	`<A:B/>`,
	`<_a.b-c1/>`,
	`<A ></A >`,
	"<A\n\tb='1'\n/>",
	"<A></A\n>",
	`<élément>x</élément>`,
	`<A><名前>値</名前></A>`,
	`<AéB/>`,
	"<A\u00b7/>",
	`<é:b/>`,
	`<a:é>x</a:é>`,
	"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><R\xe9seau a\xe9='\xe9&amp;'><![CDATA[\xe9]]>\xe9&#xe9;</R\xe9seau>",
	"<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<A>\r\n<B>\x93x\x94</B>\n</A>",
	`<A>]</A>`,
	`<A>]]</A>`,
	`<A>] ]></A>`,
	`<A>]&#93;></A>`,
	`<A>x</A>` + "\n\n",
	"\xef\xbb\xbf<A/>",
	"<A>caf\xe9 \x01</A>",
	"<A>\xef\xbf\xbf</A>",
	`<A><B>1</B><B>2</B><C><D/></C></A>`,
	`<A>text<B/>more</A>`,
	`<A>` + strings.Repeat(`<B>x</B>`, 100) + `</A>`,
	strings.Repeat(`<A>`, 30) + strings.Repeat(`</A>`, 30),
	`<A>` + strings.Repeat("x", 60) + `</A>`,

	// Refused.
	``,
	`   `,
	`x`,
	`<!-- only a comment -->`,
	`<?pi only?>`,
	`<A>`,
	`<A><B></A>`,
	`<A></B>`,
	`<A></A></A>`,
	`</A>`,
	`<A/><B/>`,
	`<A/><A/>`,
	`<A/>x`,
	`x<A/>`,
	`<A/><![CDATA[x]]>`,
	`<A/><![CDATA[ ]]>`,
	`<A/>&#32;`,
	`<A/>&amp;`,
	`<A/>]]>`,
	`<A/></A>`,
	`<p:A></q:A>`,
	`<p:A></A>`,
	`<A></p:A>`,
	`<a:b:c/>`,
	`<A a:b:c="1"/>`,
	`<A></a:b:c>`,
	`<1A/>`,
	`<-A/>`,
	`<.A/>`,
	`< A/>`,
	`<A/ >`,
	`<A / >`,
	`<A b/>`,
	`<A b=1/>`,
	`<A b="1/>`,
	`<A b="<"/>`,
	`<A b="&x;"/>`,
	`<A b="&amp"/>`,
	`<A b='1"/>`,
	`<A b=>`,
	`<A ="1"/>`,
	`<A 1b="1"/>`,
	`<A b="1"`,
	`<A b="1`,
	`<A b`,
	`<A`,
	`<`,
	`<A>&</A>`,
	`<A>&x;</A>`,
	`<A>&amp</A>`,
	`<A>&#;</A>`,
	`<A>&#x;</A>`,
	`<A>&#X41;</A>`,
	`<A>&#65</A>`,
	`<A>&#0;</A>`,
	`<A>&#1;</A>`,
	`<A>&#xFFFE;</A>`,
	`<A>&#x110000;</A>`,
	`<A>&#99999999999999999999999;</A>`,
	`<A>&LT;</A>`,
	`<A>&;</A>`,
	`<A>&é;</A>`,
	`<A>&#`,
	`<A>&#x`,
	`<A>&#12`,
	`<A>&lt`,
	`<A>]]></A>`,
	`<A>]]]></A>`,
	`<A><![CDATA[x</A>`,
	`<A><![CDATA[x]]</A>`,
	`<A><![CDAT[x]]></A>`,
	`<A><![cdata[x]]></A>`,
	`<A><![`,
	`<A><!-- -- --></A>`,
	`<A><!-- --->`,
	`<A><!--->`,
	`<A><!-></A>`,
	`<A><!- x --></A>`,
	`<A><!--</A>`,
	`<A><!</A>`,
	`<A><!`,
	`<!DOCTYPE A><A/>`,
	`<!DOCTYPE A [<!ENTITY x "y">]><A>&x;</A>`,
	`<!DOCTYPE A [<!-- > -->]><A/>`,
	`<!DOCTYPE A "unterminated><A/>`,
	`<!DOCTYPE A [<!-- unterminated ><A/>`,
	`<!DOCTYPE A [<x<!y>]><A/>`,
	`<!DOCTYPE A [<!-x>]><A/>`,
	`<!DOCTYPE A [<!ELEMENT A (#PCDATA)> <!ATTLIST A b CDATA "x>y">]><A/>`,
	`<!DOCTYPE A [<!-- x --> <!-- y -->]><A/>`,
	`<!DOCTYPE A '<'><A/>`,
	`<!DOCTYPE A ]>>`,
	`<!DOCTYPE A <<!-- -->>`,
	`<!>`,
	`<!><A/>`,
	`<!"><A/>`,
	`<A><!ENTITY x "y"></A>`,
	`<A/><!DOCTYPE A>`,
	`<A><!DOCTYPE`,
	`<?`,
	`<??><A/>`,
	`<? pi?><A/>`,
	`<?1pi?><A/>`,
	`<?pi`,
	`<?pi ?`,
	`<?xml version="1.1"?><A/>`,
	`<?xml version='2.0'?><A/>`,
	`<?xml version=""?><A/>`,
	`<A><?xml version="1.1"?></A>`,
	`<A><?xml encoding="latin1"?><?xml version="1.1"?></A>`,
	`<?xml version="1.0" encoding="Shift_JIS"?><A/>`,
	`<A><?xml encoding="Shift_JIS"?></A>`,
	`<A><?xml encoding="utf-16"?></A>`,
	` <?xml version="1.0" encoding="EBCDIC"?><A/>`,
	"\xff\xfe<\x00A\x00/\x00>\x00",
	"<A>\x00</A>",
	"<A\u00a0/>",
	"<A\u3000/>",
	"<A b\u00a0=\"1\"/>",
	"<A>x</A\u00a0>",
	`<A></A b>`,
	`<A></A/>`,
	`<A></ A>`,
	`</>`,
	`<A></`,
	`<A></A`,
	`<A></A `,
	strings.Repeat(`<A>`, 40) + strings.Repeat(`</A>`, 40),
	`<A>` + strings.Repeat(`<B/>`, 300) + `</A>`,
	`<A>` + strings.Repeat("x", 100) + `</A>`,
	`<A>` + strings.Repeat("x", 40) + `<!---->` + strings.Repeat("x", 40) + `</A>`,
	`<A>` + strings.Repeat(" ", 100) + `</A>`,
	`<A><B/>` + strings.Repeat(" ", 100) + `</A>`,
	`<A><B/>` + strings.Repeat(" ", 100) + `x</A>`,
	`<A>` + strings.Repeat("&amp;", 70) + `</A>`,
	`<A b="1" c="2" d="3">` + strings.Repeat(`<B x="1" y="2"/>`, 70) + `</A>`,
	"<A>\xef\xbb\xbf</A>",
}

func TestParseXMLMatchesStd(t *testing.T) {
	for _, doc := range trickyXML {
		for _, lim := range []inventory.Limits{fuzzLimits, inventory.DefaultLimits()} {
			if why := sameAsStd([]byte(doc), lim); why != "" {
				t.Errorf("%q (limits %+v): %s", Clip(doc), lim, why)
			}
		}
	}
}

func FuzzParseXMLMatchesStd(f *testing.F) {
	for _, doc := range trickyXML {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		for _, lim := range []inventory.Limits{fuzzLimits, inventory.DefaultLimits()} {
			if why := sameAsStd(doc, lim); why != "" {
				t.Fatalf("limits %+v: %s", lim, why)
			}
		}
	})
}
