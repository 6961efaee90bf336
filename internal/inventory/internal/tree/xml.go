package tree

import (
	"bytes"
	"fmt"

	"parc/internal/inventory"
)

// ParseXML reads an XML document into a tree. The document is first brought to clean
// UTF-8 (see prepareXML; what that repairs is returned as warnings); a scanner that
// follows encoding/xml's strict mode then reads it (see scanner), and the loop here
// enforces the limits token by token, so that a deep, wide or DTD-laden document is
// refused before it costs anything. Agents use no namespaces: a prefix is kept out of
// the name, as encoding/xml's Name.Local, but must match between start and end tags.
// Errors wrap inventory.ErrMalformed, ErrUnsupported or ErrLimit.
func ParseXML(data []byte, lim inventory.Limits) (*Node, []string, error) {
	lim = lim.OrDefault()
	data, utf8Doc, warnings, err := prepareXML(data)
	if err != nil {
		return nil, warnings, err
	}
	p := &parser{lim: lim}
	p.buf, p.trusted, p.budget = data, utf8Doc, 4*len(data)+1<<20
	root, err := p.parse()
	if err != nil {
		return nil, warnings, err
	}
	return root, warnings, nil
}

// parser builds the tree from the scanner's tokens. Nodes, children slices and texts
// are carved from larger blocks: a document holds tens of thousands of them.
type parser struct {
	scanner
	lim      inventory.Limits
	root     *Node
	stack    []frame
	elements int
	texts    []byte  // text of the open elements, each from its frame's offset
	kids     []*Node // children of the open elements, each from its frame's offset

	nodes    []Node  // block that new nodes are taken from
	kidBlock []*Node // block that children slices are taken from
	strs     []byte  // texts waiting to become one string
	pending  []pendingText
}

type frame struct {
	node       *Node
	name       string // as written, prefix included, for the end tag to match
	text, kids int
}

type pendingText struct {
	node       *Node
	start, end int
}

// Blocks of texts become one string each: large enough to save most allocations,
// small enough that a text kept long after the tree does not pin much.
const textBlock = 16 << 10

func (p *parser) parse() (*Node, error) {
	for p.pos < len(p.buf) {
		if p.buf[p.pos] != '<' {
			t, err := p.text()
			if err != nil {
				return nil, err
			}
			if err := p.charData(t); err != nil {
				return nil, err
			}
			continue
		}
		if p.pos+1 >= len(p.buf) {
			return nil, p.eof()
		}
		var err error
		switch p.buf[p.pos+1] {
		case '/':
			err = p.endTag()
		case '?':
			err = p.procInst()
		case '!':
			err = p.bang()
		default:
			err = p.startTag()
		}
		if err != nil {
			return nil, err
		}
	}
	if len(p.stack) > 0 {
		return nil, fmt.Errorf("%w: XML syntax error on line %d: unexpected EOF: <%s> is not closed",
			inventory.ErrMalformed, p.line(len(p.buf)), Clip(p.stack[len(p.stack)-1].node.Name))
	}
	if p.root == nil {
		return nil, fmt.Errorf("%w: XML: no root element", inventory.ErrMalformed)
	}
	p.flushTexts()
	return p.root, nil
}

// bang reads what starts with "<!": a comment, a CDATA section or a directive.
func (p *parser) bang() error {
	if p.pos+2 >= len(p.buf) {
		return p.eof()
	}
	switch p.buf[p.pos+2] {
	case '-':
		return p.comment()
	case '[':
		start := p.pos
		for k := 0; k < 6; k++ {
			i := start + 3 + k
			if i >= len(p.buf) {
				return p.eof()
			}
			if p.buf[i] != "CDATA["[k] {
				return p.syntax(start, "invalid <![ sequence")
			}
		}
		p.pos = start + 9
		t, err := p.cdata()
		if err != nil {
			return err
		}
		return p.charData(t)
	}
	return p.directive()
}

// charData adds a text or CDATA token to the open element.
func (p *parser) charData(t []byte) error {
	depth := len(p.stack) - 1
	if depth < 0 {
		if len(bytes.TrimSpace(t)) > 0 {
			return fmt.Errorf("%w: XML: text outside the root element on line %d",
				inventory.ErrMalformed, p.line(p.pos))
		}
		return nil
	}
	f := &p.stack[depth]
	if len(p.kids) > f.kids && len(bytes.TrimSpace(t)) == 0 {
		return nil // indentation between children
	}
	if len(p.texts)-f.text+len(t) > p.lim.MaxTextBytes {
		return fmt.Errorf("%w: XML: text of <%s> is longer than %d bytes",
			inventory.ErrLimit, f.node.Name, p.lim.MaxTextBytes)
	}
	p.texts = append(p.texts, t...)
	return nil
}

func (p *parser) startTag() error {
	start := p.pos
	p.pos++
	name, err := p.name("element name after <")
	if err != nil {
		return err
	}
	attrs, empty := 0, false
	for {
		p.spaces()
		if p.pos >= len(p.buf) {
			return p.eof()
		}
		c := p.buf[p.pos]
		if c == '>' {
			p.pos++
			break
		}
		if c == '/' {
			if p.pos+1 >= len(p.buf) {
				return p.eof()
			}
			if p.buf[p.pos+1] != '>' {
				return p.syntax(p.pos, "expected /> in element")
			}
			p.pos += 2
			empty = true
			break
		}
		if _, err := p.name("attribute name in element"); err != nil {
			return err
		}
		p.spaces()
		if p.pos >= len(p.buf) {
			return p.eof()
		}
		if p.buf[p.pos] != '=' {
			return p.syntax(p.pos, "attribute name without = in element")
		}
		p.pos++
		p.spaces()
		if p.pos >= len(p.buf) {
			return p.eof()
		}
		if q := p.buf[p.pos]; q != '"' && q != '\'' {
			return p.syntax(p.pos, "unquoted or missing attribute value in element")
		}
		if err := p.attrValue(); err != nil {
			return err
		}
		attrs++
	}

	if p.root != nil && len(p.stack) == 0 {
		return fmt.Errorf("%w: XML: a second root element <%s> on line %d",
			inventory.ErrMalformed, Clip(name.local), p.line(start))
	}
	p.elements += 1 + attrs
	if p.elements > p.lim.MaxElements {
		return fmt.Errorf("%w: XML has more than %d elements and attributes",
			inventory.ErrLimit, p.lim.MaxElements)
	}
	if len(p.stack) >= p.lim.MaxDepth {
		return fmt.Errorf("%w: XML nests deeper than %d levels (line %d)",
			inventory.ErrLimit, p.lim.MaxDepth, p.line(start))
	}
	n := p.newNode(name.local)
	if len(p.stack) == 0 {
		p.root = n
	} else {
		p.kids = append(p.kids, n)
	}
	p.stack = append(p.stack, frame{node: n, name: name.full, text: len(p.texts), kids: len(p.kids)})
	if empty {
		p.close()
	}
	return nil
}

func (p *parser) endTag() error {
	start := p.pos
	p.pos += 2
	i := nameEnd(p.buf, p.pos)
	if i >= len(p.buf) {
		return p.eof()
	}
	raw := p.buf[p.pos:i]
	depth := len(p.stack) - 1
	if depth < 0 || string(raw) != p.stack[depth].name {
		// Whatever the reason (no element open, another name, not a name), encoding/xml
		// refuses it as a syntax error; the name it reads is given.
		if len(raw) == 0 {
			return p.syntax(start, "expected element name after </")
		}
		if depth < 0 {
			return p.syntax(start, "unexpected end element </%s>", Clip(string(bytes.ToValidUTF8(raw, []byte("\ufffd")))))
		}
		return p.syntax(start, "element <%s> closed by </%s>", Clip(p.stack[depth].name),
			Clip(string(bytes.ToValidUTF8(raw, []byte("\ufffd")))))
	}
	p.pos = i
	p.spaces()
	if p.pos >= len(p.buf) {
		return p.eof()
	}
	if p.buf[p.pos] != '>' {
		return p.syntax(p.pos, "invalid characters between </%s and >", Clip(p.stack[depth].name))
	}
	p.pos++
	p.close()
	return nil
}

// close ends the innermost open element: its text is trimmed, its children become
// its own slice.
func (p *parser) close() {
	depth := len(p.stack) - 1
	f := p.stack[depth]
	if t := bytes.TrimSpace(p.texts[f.text:]); len(t) > 0 {
		p.setText(f.node, t)
	}
	p.texts = p.texts[:f.text]
	if k := len(p.kids) - f.kids; k > 0 {
		if cap(p.kidBlock)-len(p.kidBlock) < k {
			p.kidBlock = make([]*Node, 0, max(k, min(2*cap(p.kidBlock), 4096), 64))
		}
		i := len(p.kidBlock)
		p.kidBlock = append(p.kidBlock, p.kids[f.kids:]...)
		// The full slice expression keeps a caller's append from writing over a
		// neighbour's children.
		f.node.Children = p.kidBlock[i : i+k : i+k]
		clear(p.kids[f.kids:])
		p.kids = p.kids[:f.kids]
	}
	p.stack = p.stack[:depth]
}

func (p *parser) newNode(name string) *Node {
	if len(p.nodes) == cap(p.nodes) {
		p.nodes = make([]Node, 0, min(max(2*cap(p.nodes), 64), 4096))
	}
	p.nodes = p.nodes[:len(p.nodes)+1]
	n := &p.nodes[len(p.nodes)-1]
	n.Name = name
	return n
}

func (p *parser) setText(n *Node, t []byte) {
	if len(t) >= textBlock/4 {
		n.Text = string(t)
		return
	}
	if len(p.strs)+len(t) > textBlock {
		p.flushTexts()
	}
	if p.strs == nil {
		p.strs = make([]byte, 0, textBlock)
	}
	p.pending = append(p.pending, pendingText{n, len(p.strs), len(p.strs) + len(t)})
	p.strs = append(p.strs, t...)
}

func (p *parser) flushTexts() {
	s := string(p.strs)
	for _, t := range p.pending {
		t.node.Text = s[t.start:t.end]
	}
	p.strs, p.pending = p.strs[:0], p.pending[:0]
}
