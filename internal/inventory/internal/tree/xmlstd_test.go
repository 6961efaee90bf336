package tree

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"parc/internal/inventory"
)

// parseXMLStd is ParseXML as it was before the scanner: encoding/xml in strict mode.
// The tests compare the two. It reads an XML document into a tree. The document is first brought to clean
// UTF-8 (see prepareXML; what that repairs is returned as warnings); encoding/xml then
// reads it in strict mode through a token loop that enforces the limits, so that a
// deep, wide or DTD-laden document is refused before it costs anything. The loop reads
// raw tokens (agents use no namespaces) and checks the nesting itself, which saves
// encoding/xml's namespace bookkeeping. Errors wrap inventory.ErrMalformed,
// ErrUnsupported or ErrLimit.
func parseXMLStd(data []byte, lim inventory.Limits) (*Node, []string, error) {
	lim = lim.OrDefault()
	data, _, warnings, err := prepareXML(data)
	if err != nil {
		return nil, warnings, err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = charsetReader

	var (
		root     *Node
		stack    []*Node
		names    []xml.Name // of the open elements, to match end tags
		texts    [][]byte   // text gathered for each open element, by depth
		elements int
	)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			if len(stack) > 0 {
				return nil, warnings, fmt.Errorf("%w: XML syntax error on line %d: unexpected EOF: <%s> is not closed",
					inventory.ErrMalformed, stdLine(d), Clip(stack[len(stack)-1].Name))
			}
			break
		}
		if err != nil {
			return nil, warnings, stdXMLError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, warnings, fmt.Errorf("%w: XML: a second root element <%s> on line %d",
					inventory.ErrMalformed, Clip(t.Name.Local), stdLine(d))
			}
			elements += 1 + len(t.Attr)
			if elements > lim.MaxElements {
				return nil, warnings, fmt.Errorf("%w: XML has more than %d elements and attributes",
					inventory.ErrLimit, lim.MaxElements)
			}
			if len(stack) >= lim.MaxDepth {
				return nil, warnings, fmt.Errorf("%w: XML nests deeper than %d levels (line %d)",
					inventory.ErrLimit, lim.MaxDepth, stdLine(d))
			}
			n := &Node{Name: t.Name.Local}
			if len(stack) == 0 {
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.Children = append(parent.Children, n)
			}
			stack = append(stack, n)
			names = append(names, t.Name)
			if len(texts) < len(stack) {
				texts = append(texts, nil)
			}
			texts[len(stack)-1] = texts[len(stack)-1][:0]
		case xml.EndElement:
			depth := len(stack) - 1
			if depth < 0 || names[depth] != t.Name {
				return nil, warnings, fmt.Errorf("%w: XML syntax error on line %d: unexpected end element </%s>",
					inventory.ErrMalformed, stdLine(d), Clip(t.Name.Local))
			}
			if txt := bytes.TrimSpace(texts[depth]); len(txt) > 0 {
				stack[depth].Text = string(txt)
			}
			stack, names = stack[:depth], names[:depth]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, warnings, fmt.Errorf("%w: XML: text outside the root element on line %d",
						inventory.ErrMalformed, stdLine(d))
				}
				continue
			}
			depth := len(stack) - 1
			if len(stack[depth].Children) > 0 && len(bytes.TrimSpace(t)) == 0 {
				continue // indentation between children
			}
			if len(texts[depth])+len(t) > lim.MaxTextBytes {
				return nil, warnings, fmt.Errorf("%w: XML: text of <%s> is longer than %d bytes",
					inventory.ErrLimit, stack[depth].Name, lim.MaxTextBytes)
			}
			texts[depth] = append(texts[depth], t...)
		case xml.Directive:
			return nil, warnings, fmt.Errorf("%w: XML: DTDs and directives (<!%.20s...>) are not accepted",
				inventory.ErrUnsupported, t)
		case xml.ProcInst, xml.Comment:
		}
	}
	if root == nil {
		return nil, warnings, fmt.Errorf("%w: XML: no root element", inventory.ErrMalformed)
	}
	return root, warnings, nil
}

func stdLine(d *xml.Decoder) int {
	l, _ := d.InputPos()
	return l
}

func stdXMLError(err error) error {
	var se *xml.SyntaxError
	switch {
	case errors.Is(err, inventory.ErrUnsupported):
		return err
	case errors.As(err, &se):
		return fmt.Errorf("%w: XML syntax error on line %d: %s", inventory.ErrMalformed, se.Line, se.Msg)
	default:
		return fmt.Errorf("%w: XML: %v", inventory.ErrMalformed, err)
	}
}

// charsetReader is called by encoding/xml for a declared encoding other than UTF-8:
// ISO-8859-1 and windows-1252 are both decoded as windows-1252, as browsers do (the two
// differ only in 0x80-0x9F, where ISO-8859-1 has control characters agents never mean);
// other encodings are refused.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch {
	case isUTF8Label(label):
		return input, nil
	case isLatin1Label(label):
		return &windows1252Reader{r: input}, nil
	}
	return nil, unsupportedEncoding(label)
}

// windows1252Reader decodes windows-1252 to UTF-8.
type windows1252Reader struct {
	r   io.Reader
	in  [4096]byte
	out []byte // decoded bytes not yet read
	pos int
	err error
}

func (w *windows1252Reader) Read(p []byte) (int, error) {
	if w.pos == len(w.out) {
		if w.err != nil {
			return 0, w.err
		}
		n, err := w.r.Read(w.in[:])
		w.out, w.pos, w.err = w.out[:0], 0, err
		for _, b := range w.in[:n] {
			w.out = utf8.AppendRune(w.out, windows1252(b))
		}
		if len(w.out) == 0 {
			return 0, w.err
		}
	}
	n := copy(p, w.out[w.pos:])
	w.pos += n
	return n, nil
}
