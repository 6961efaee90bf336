package tree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"parc/internal/inventory"
)

// refParseJSON is the former ParseJSON, over encoding/json's Decoder.Token: the
// reference the fuzz test holds the scanner to.
func refParseJSON(data []byte, lim inventory.Limits) (*Node, error) {
	p := refJSONParser{
		d:     json.NewDecoder(bytes.NewReader(data)),
		lim:   lim.OrDefault(),
		names: make(map[string]string),
	}
	p.d.UseNumber()
	tok, err := p.d.Token()
	if err != nil {
		return nil, p.error(err)
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("%w: JSON: the document is not an object", inventory.ErrMalformed)
	}
	root := &Node{}
	if err := p.object(root, 1); err != nil {
		return nil, err
	}
	if _, err := p.d.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: JSON: data after the end of the document (offset %d)",
			inventory.ErrMalformed, p.d.InputOffset())
	}
	return root, nil
}

type refJSONParser struct {
	d        *json.Decoder
	lim      inventory.Limits
	elements int
	names    map[string]string // key -> upper-case name, to share the strings
}

// object reads the members of an object whose '{' has been read, as children of n.
func (p *refJSONParser) object(n *Node, depth int) error {
	for p.d.More() {
		tok, err := p.d.Token()
		if err != nil {
			return p.error(err)
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("%w: JSON: object key expected at offset %d", inventory.ErrMalformed, p.d.InputOffset())
		}
		if len(key) > maxKeyBytes {
			return fmt.Errorf("%w: JSON: a key is longer than %d bytes (offset %d)",
				inventory.ErrLimit, maxKeyBytes, p.d.InputOffset())
		}
		if err := p.value(n, p.name(key), depth); err != nil {
			return err
		}
	}
	_, err := p.d.Token() // '}'
	return p.error(err)
}

// value reads one value and adds what it holds to parent under name.
func (p *refJSONParser) value(parent *Node, name string, depth int) error {
	tok, err := p.d.Token()
	if err != nil {
		return p.error(err)
	}
	p.elements++
	if p.elements > p.lim.MaxElements {
		return fmt.Errorf("%w: JSON has more than %d values", inventory.ErrLimit, p.lim.MaxElements)
	}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= p.lim.MaxDepth {
			return fmt.Errorf("%w: JSON nests deeper than %d levels (offset %d)",
				inventory.ErrLimit, p.lim.MaxDepth, p.d.InputOffset())
		}
		if t == '{' {
			n := &Node{Name: name}
			parent.Children = append(parent.Children, n)
			return p.object(n, depth+1)
		}
		// '[': the elements become siblings named after the key.
		before := len(parent.Children)
		for p.d.More() {
			if err := p.value(parent, name, depth+1); err != nil {
				return err
			}
		}
		if len(parent.Children) == before {
			parent.Children = append(parent.Children, &Node{Name: name})
		}
		_, err := p.d.Token() // ']'
		return p.error(err)
	case string:
		if len(t) > p.lim.MaxTextBytes {
			return fmt.Errorf("%w: JSON: value of %q is longer than %d bytes",
				inventory.ErrLimit, strings.ToLower(name), p.lim.MaxTextBytes)
		}
		parent.Children = append(parent.Children, &Node{Name: name, Text: strings.TrimSpace(t)})
	case json.Number:
		parent.Children = append(parent.Children, &Node{Name: name, Text: string(t)})
	case bool:
		text := "false"
		if t {
			text = "true"
		}
		parent.Children = append(parent.Children, &Node{Name: name, Text: text})
	case nil:
	}
	return nil
}

func (p *refJSONParser) name(key string) string {
	if n, ok := p.names[key]; ok {
		return n
	}
	if len(p.names) > 4096 {
		return strings.ToUpper(key) // a document with absurdly many keys: stop caching
	}
	n := strings.ToUpper(key)
	p.names[key] = n
	return n
}

func (p *refJSONParser) error(err error) error {
	var se *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se):
		return fmt.Errorf("%w: JSON syntax error at offset %d: %v", inventory.ErrMalformed, se.Offset, err)
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: JSON: the document ends too early", inventory.ErrMalformed)
	default:
		return fmt.Errorf("%w: JSON: %v", inventory.ErrMalformed, err)
	}
}
