package tree

import (
	"errors"
	"testing"
	"unicode/utf8"

	"parc/internal/inventory"
)

var fuzzLimits = inventory.Limits{MaxDepth: 8, MaxElements: 200, MaxTextBytes: 64}

// check verifies what a parser returned: a known kind of error, or a tree within the
// limits whose names and texts are valid UTF-8.
func check(t *testing.T, root *Node, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, inventory.ErrMalformed) && !errors.Is(err, inventory.ErrUnsupported) && !errors.Is(err, inventory.ErrLimit) {
			t.Fatalf("error of no known kind: %v", err)
		}
		return
	}
	count := 0
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		count++
		if depth > fuzzLimits.MaxDepth || len(n.Text) > fuzzLimits.MaxTextBytes {
			t.Fatalf("limits passed: depth %d, text %d", depth, len(n.Text))
		}
		if !utf8.ValidString(n.Name) || !utf8.ValidString(n.Text) {
			t.Fatalf("invalid UTF-8: %q %q", n.Name, n.Text)
		}
		for _, c := range n.Children {
			walk(c, depth+1)
		}
	}
	walk(root, 1)
	if count > fuzzLimits.MaxElements+1 {
		t.Fatalf("%d elements", count)
	}
}

func FuzzParseXML(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><REQUEST><QUERY>INVENTORY</QUERY><CONTENT><A>x</A></CONTENT></REQUEST>`,
		"<?xml version='1.0' encoding='ISO-8859-1'?><A>\xe9\x80\x01</A>",
		"<?xml version=\"1.0\" encoding=\"windows-1252\"?><A><B>\x9c</B></A>",
		"\xef\xbb\xbf<A>caf\xe9 \x02</A>",
		`<A b="1"><![CDATA[x]]><!-- c --><?pi x?></A>`,
		`<!DOCTYPE A><A/>`,
		`<a:B xmlns:a="urn:x"></a:B>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, _, err := ParseXML(data, fuzzLimits)
		check(t, root, err)
	})
}

func sameTree(a, b *Node) bool {
	if a.Name != b.Name || a.Text != b.Text || len(a.Children) != len(b.Children) {
		return false
	}
	for i := range a.Children {
		if !sameTree(a.Children[i], b.Children[i]) {
			return false
		}
	}
	return true
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{
		`{"a":"\ud83d\ude00 \ud800 \udc00x \u00e9\n\t\"\/","b":-0.5e+10,"c":[null],"d":[],"e":{},"f":false}`,
		"{\"k\xff\":\"v\xfe\", \"K\" : [ 1 , [ ] , { } ] }",
		`{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":tru}`, `{"a":"\x"}`, `{"a":"b`, `{"a" 1}`, `{,}`, `{"a":1,}`, `[`, ` `,
		`{"action":"inventory","content":{"softwares":[{"name":"a"},{}],"users":[],"x":null,"n":1.5e3,"b":true}}`,
		`{"a":[[1,[2]],{"b":"\u00e9"}]}`,
		`{"a":"\xff"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := ParseJSON(data, fuzzLimits)
		check(t, root, err)
		// The scanner reads what encoding/json reads, into the same tree.
		ref, refErr := refParseJSON(data, fuzzLimits)
		if errors.Is(err, inventory.ErrLimit) || errors.Is(refErr, inventory.ErrLimit) {
			return
		}
		if (err == nil) != (refErr == nil) {
			t.Fatalf("scanner: %v; encoding/json: %v", err, refErr)
		}
		if err == nil && !sameTree(root, ref) {
			t.Fatalf("trees differ:\n%s\n%s", dump(root), dump(ref))
		}
	})
}
