package inventory

import "errors"

// Every parser error wraps one of these, so that the HTTP layer can answer without
// reading messages: ErrMalformed and ErrUnsupported are the sender's fault (400, 415),
// ErrLimit means the document is too big or too deep to be read (413).
var (
	ErrMalformed   = errors.New("malformed inventory document")
	ErrUnsupported = errors.New("unsupported inventory document")
	ErrLimit       = errors.New("inventory document exceeds parser limits")
)

// Limits bound what a parser accepts, on top of the size cap of the request body (see
// package wire). They keep a small hostile document from costing much memory or time.
type Limits struct {
	MaxDepth     int // nesting of elements / objects and arrays
	MaxElements  int // elements and attributes (XML), objects, arrays and values (JSON)
	MaxTextBytes int // text of one element or string value
}

// DefaultLimits are far above what agents send: a server with 3,000 packages gives a
// document of about 30,000 elements, 8 levels deep; the largest values are EDID dumps
// and SSH keys of a few kB.
func DefaultLimits() Limits {
	return Limits{MaxDepth: 32, MaxElements: 500_000, MaxTextBytes: 1 << 20}
}

// OrDefault returns l with each unset (zero or negative) limit taken from DefaultLimits.
func (l Limits) OrDefault() Limits {
	d := DefaultLimits()
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxElements <= 0 {
		l.MaxElements = d.MaxElements
	}
	if l.MaxTextBytes <= 0 {
		l.MaxTextBytes = d.MaxTextBytes
	}
	return l
}
