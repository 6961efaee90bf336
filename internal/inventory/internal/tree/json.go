package tree

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"parc/internal/inventory"
)

// ParseJSON reads a JSON document, which must be an object, into a tree whose root has
// no name. Keys become upper-case names; an array becomes siblings named after its key,
// and an empty array one empty element, so that an empty list still shows the section
// was sent; null values are left out. Scalars become text: numbers as written, booleans
// as "true" and "false". Invalid UTF-8 in a string is replaced by U+FFFD, as
// encoding/json does. Errors wrap inventory.ErrMalformed or ErrLimit.
//
// It is a scanner of its own rather than encoding/json's Decoder.Token, which
// allocates a value per token: on a 774-package inventory that made the JSON parse
// take twice the XML one, and GLPI Agent's JSON protocol as slow as its XML one for
// new machines.
func ParseJSON(data []byte, lim inventory.Limits) (*Node, error) {
	p := jsonParser{data: data, lim: lim.OrDefault(), names: make(map[string]string)}
	p.space()
	if p.pos >= len(data) {
		return nil, p.eof()
	}
	switch c := data[p.pos]; {
	case c == '{':
	case c == '[' || c == '"' || c == '-' || c == 't' || c == 'f' || c == 'n' || '0' <= c && c <= '9':
		return nil, fmt.Errorf("%w: JSON: the document is not an object", inventory.ErrMalformed)
	default:
		return nil, p.syntax("looking for beginning of value")
	}
	p.pos++
	root := &Node{}
	if err := p.object(root, 1); err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(data) {
		return nil, fmt.Errorf("%w: JSON: data after the end of the document (offset %d)", inventory.ErrMalformed, p.pos)
	}
	return root, nil
}

// maxKeyBytes bounds object keys: the format's keys are short words.
const maxKeyBytes = 256

type jsonParser struct {
	data     []byte
	pos      int
	lim      inventory.Limits
	elements int
	names    map[string]string // key -> upper-case name, to share the strings
	buf      []byte            // a string with escapes, unescaped
	nodes    []Node            // allocated a block at a time
}

func (p *jsonParser) node(name, text string) *Node {
	if len(p.nodes) == 0 {
		p.nodes = make([]Node, 256)
	}
	n := &p.nodes[0]
	p.nodes = p.nodes[1:]
	n.Name, n.Text = name, text
	return n
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) eof() error {
	return fmt.Errorf("%w: JSON: the document ends too early", inventory.ErrMalformed)
}

func (p *jsonParser) syntax(what string) error {
	if p.pos >= len(p.data) {
		return p.eof()
	}
	return fmt.Errorf("%w: JSON syntax error at offset %d: invalid character %q %s", inventory.ErrMalformed, p.pos, p.data[p.pos], what)
}

// object reads the members of an object whose '{' has been read, as children of n.
func (p *jsonParser) object(n *Node, depth int) error {
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return nil
	}
	for {
		p.space()
		if p.pos >= len(p.data) {
			return p.eof()
		}
		if p.data[p.pos] != '"' {
			return p.syntax("looking for beginning of object key string")
		}
		key, err := p.str()
		if err != nil {
			return err
		}
		if len(key) > maxKeyBytes {
			return fmt.Errorf("%w: JSON: a key is longer than %d bytes (offset %d)", inventory.ErrLimit, maxKeyBytes, p.pos)
		}
		name := p.name(key)
		p.space()
		if p.pos >= len(p.data) {
			return p.eof()
		}
		if p.data[p.pos] != ':' {
			return p.syntax("after object key")
		}
		p.pos++
		if err := p.value(n, name, depth); err != nil {
			return err
		}
		p.space()
		if p.pos >= len(p.data) {
			return p.eof()
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return nil
		default:
			return p.syntax("after object key:value pair")
		}
	}
}

// value reads one value and adds what it holds to parent under name.
func (p *jsonParser) value(parent *Node, name string, depth int) error {
	p.space()
	if p.pos >= len(p.data) {
		return p.eof()
	}
	p.elements++
	if p.elements > p.lim.MaxElements {
		return fmt.Errorf("%w: JSON has more than %d values", inventory.ErrLimit, p.lim.MaxElements)
	}
	switch c := p.data[p.pos]; {
	case c == '{' || c == '[':
		if depth >= p.lim.MaxDepth {
			return fmt.Errorf("%w: JSON nests deeper than %d levels (offset %d)", inventory.ErrLimit, p.lim.MaxDepth, p.pos)
		}
		p.pos++
		if c == '{' {
			n := p.node(name, "")
			parent.Children = append(parent.Children, n)
			return p.object(n, depth+1)
		}
		// '[': the elements become siblings named after the key.
		before := len(parent.Children)
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
		} else {
			for done := false; !done; {
				if err := p.value(parent, name, depth+1); err != nil {
					return err
				}
				p.space()
				if p.pos >= len(p.data) {
					return p.eof()
				}
				switch p.data[p.pos] {
				case ',':
					p.pos++
				case ']':
					p.pos++
					done = true
				default:
					return p.syntax("after array element")
				}
			}
		}
		if len(parent.Children) == before {
			parent.Children = append(parent.Children, p.node(name, ""))
		}
		return nil
	case c == '"':
		s, err := p.str()
		if err != nil {
			return err
		}
		if len(s) > p.lim.MaxTextBytes {
			return fmt.Errorf("%w: JSON: value of %q is longer than %d bytes",
				inventory.ErrLimit, strings.ToLower(name), p.lim.MaxTextBytes)
		}
		parent.Children = append(parent.Children, p.node(name, strings.TrimSpace(string(s))))
		return nil
	case c == 't':
		return p.literal(parent, name, "true")
	case c == 'f':
		return p.literal(parent, name, "false")
	case c == 'n':
		return p.literal(parent, name, "")
	case c == '-' || '0' <= c && c <= '9':
		start := p.pos
		if err := p.number(); err != nil {
			return err
		}
		parent.Children = append(parent.Children, p.node(name, string(p.data[start:p.pos])))
		return nil
	}
	return p.syntax("looking for beginning of value")
}

// literal reads true, false or null (text "": nothing is added).
func (p *jsonParser) literal(parent *Node, name, text string) error {
	word := text
	if word == "" {
		word = "null"
	}
	for i := 0; i < len(word); i++ {
		if p.pos >= len(p.data) {
			return p.eof()
		}
		if p.data[p.pos] != word[i] {
			return p.syntax("in literal " + word)
		}
		p.pos++
	}
	if text != "" {
		parent.Children = append(parent.Children, p.node(name, text))
	}
	return nil
}

// number reads a number as JSON writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number() error {
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && '0' <= p.data[p.pos] && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos >= len(p.data) {
		return p.eof()
	}
	switch c := p.data[p.pos]; {
	case c == '0':
		p.pos++
	case '1' <= c && c <= '9':
		digits()
	default:
		return p.syntax("in numeric literal")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return p.syntax("after decimal point in numeric literal")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return p.syntax("in exponent of numeric literal")
		}
	}
	return nil
}

// str reads a string whose '"' is at pos, unescaped. The bytes are the document's
// when the string has no escape and is valid UTF-8, else p.buf's: either way valid
// until the next call.
func (p *jsonParser) str() ([]byte, error) {
	p.pos++
	start := p.pos
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			s := p.data[start:p.pos]
			p.pos++
			return s, nil
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return p.slowStr(start)
		}
		p.pos++
	}
	return nil, p.eof()
}

func (p *jsonParser) slowStr(start int) ([]byte, error) {
	b := append(p.buf[:0], p.data[start:p.pos]...)
	defer func() { p.buf = b[:0] }()
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b, nil
		case c < 0x20:
			return nil, p.syntax("in string literal")
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, p.data[p.pos:p.pos+size]...)
			}
			p.pos += size
		case c == '\\':
			if p.pos+1 >= len(p.data) {
				return nil, p.eof()
			}
			p.pos++
			switch e := p.data[p.pos]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4(p.pos + 1)
				if !ok {
					return nil, p.syntax("in \\u hexadecimal character escape")
				}
				p.pos += 4
				if utf16.IsSurrogate(r) {
					// A pair is one character; a lone half is U+FFFD, as in encoding/json.
					if r2, ok := p.hex4(p.pos + 3); ok && p.pos+2 < len(p.data) && p.data[p.pos+1] == '\\' && p.data[p.pos+2] == 'u' {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							r = d
							p.pos += 6
						} else {
							r = utf8.RuneError
						}
					} else {
						r = utf8.RuneError
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				return nil, p.syntax("in string escape code")
			}
			p.pos++
		default:
			b = append(b, c)
			p.pos++
		}
	}
	return nil, p.eof()
}

// hex4 reads the four hexadecimal digits at i.
func (p *jsonParser) hex4(i int) (rune, bool) {
	if i+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

func (p *jsonParser) name(key []byte) string {
	if n, ok := p.names[string(key)]; ok {
		return n
	}
	n := strings.ToUpper(string(key))
	if len(p.names) <= 4096 { // a document with absurdly many keys: stop caching
		p.names[string(key)] = n
	}
	return n
}
