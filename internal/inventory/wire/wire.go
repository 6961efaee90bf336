// Package wire reads and writes the bodies agents exchange with the server: zlib-, gzip-
// or deflate-compressed, or plain. The compression is told from the body's first bytes,
// not from Content-Type (the OCS agent labels zlib bodies application/x-compress), and
// replies are written with the compression of the request, which is the only one some
// agents read (OCS reads only zlib replies, FusionInventory 2.6 fails on gzip ones).
//
// Both the body as received and the decompressed body are capped, so a decompression
// bomb costs at most the cap; going over it gives an error that matches ErrTooLarge
// (answer 413).
package wire

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Compression is how a body is compressed.
type Compression int

const (
	None Compression = iota
	Zlib
	Gzip
	Deflate // raw deflate: only known from Content-Type (application/x-compress-deflate)
)

func (c Compression) String() string {
	switch c {
	case Zlib:
		return "zlib"
	case Gzip:
		return "gzip"
	case Deflate:
		return "deflate"
	}
	return "none"
}

// ContentType is the Content-Type of a reply with this compression to a request in
// the given syntax ("xml" or "json").
func (c Compression) ContentType(syntax Syntax) string {
	switch c {
	case Zlib:
		return "application/x-compress-zlib"
	case Gzip:
		return "application/x-compress-gzip"
	case Deflate:
		return "application/x-compress-deflate"
	}
	if syntax == JSON {
		return "application/json"
	}
	return "application/xml"
}

// Default caps: an inventory of a large server is a few MB of XML; GLPI's sample with
// 3,000 packages is 1.2 MB of JSON.
const (
	DefaultMaxCompressed   = 8 << 20
	DefaultMaxDecompressed = 16 << 20
)

// Limits caps body sizes; zero fields take the defaults.
type Limits struct {
	MaxCompressed   int64 // the body as received
	MaxDecompressed int64 // the body after decompression (a plain body: as received)
}

func (l Limits) orDefault() Limits {
	if l.MaxCompressed <= 0 {
		l.MaxCompressed = DefaultMaxCompressed
	}
	if l.MaxDecompressed <= 0 {
		l.MaxDecompressed = DefaultMaxDecompressed
	}
	return l
}

// ErrTooLarge is matched (errors.Is) by the errors of bodies over a cap; errors.As gives
// the *TooLargeError with the details.
var ErrTooLarge = errors.New("wire: body too large")

// ErrCorrupt is matched by the errors of bodies whose compressed stream is truncated or
// damaged (answer 400).
var ErrCorrupt = errors.New("wire: corrupt compressed body")

// ErrUnsupported is matched when the Content-Type names a compression parc does not
// read (brotli; answer 415).
var ErrUnsupported = errors.New("wire: unsupported compression")

// TooLargeError tells which cap a body went over.
type TooLargeError struct {
	Limit        int64
	Decompressed bool // the cap on the decompressed size (else on the body as received)
}

func (e *TooLargeError) Error() string {
	if e.Decompressed {
		return fmt.Sprintf("wire: body decompresses to more than %d bytes", e.Limit)
	}
	return fmt.Sprintf("wire: body larger than %d bytes", e.Limit)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// Detect tells the compression from a body's first bytes: zlib (0x78 and a valid
// header check), gzip (0x1f 0x8b), else none.
func Detect(b []byte) Compression {
	switch {
	case len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b:
		return Gzip
	case len(b) >= 2 && b[0] == 0x78 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0:
		return Zlib
	}
	return None
}

// fromContentType gives the compression a Content-Type announces when the body's
// first bytes cannot tell (raw deflate has no header).
func fromContentType(contentType string) (Compression, error) {
	ct := strings.ToLower(strings.TrimSpace(contentType))
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = strings.TrimSpace(ct[:i])
	}
	switch ct {
	case "application/x-compress-deflate", "application/x-deflate":
		return Deflate, nil
	case "application/x-br", "application/x-compress-br":
		return None, fmt.Errorf("%w: %s (send zlib, gzip or plain bodies)", ErrUnsupported, ct)
	}
	return None, nil
}

// Read reads a request body: it takes at most lim.MaxCompressed bytes from r, tells the
// compression from the first bytes (or, for raw deflate, from contentType, which is
// otherwise ignored), and decompresses at most lim.MaxDecompressed bytes.
func Read(r io.Reader, contentType string, lim Limits) ([]byte, Compression, error) {
	lim = lim.orDefault()
	raw, err := io.ReadAll(io.LimitReader(r, lim.MaxCompressed+1))
	if err != nil {
		return nil, None, fmt.Errorf("wire: reading the body: %w", err)
	}
	if int64(len(raw)) > lim.MaxCompressed {
		return nil, None, &TooLargeError{Limit: lim.MaxCompressed}
	}
	return Decode(raw, contentType, lim)
}

// Decode decompresses a body held in memory, as Read.
func Decode(raw []byte, contentType string, lim Limits) ([]byte, Compression, error) {
	lim = lim.orDefault()
	if int64(len(raw)) > lim.MaxCompressed {
		return nil, None, &TooLargeError{Limit: lim.MaxCompressed}
	}
	c := Detect(raw)
	if c == None {
		var err error
		if c, err = fromContentType(contentType); err != nil {
			return nil, None, err
		}
	}
	var (
		zr  io.ReadCloser
		err error
	)
	switch c {
	case None:
		if int64(len(raw)) > lim.MaxDecompressed {
			return nil, None, &TooLargeError{Limit: lim.MaxDecompressed, Decompressed: true}
		}
		return raw, None, nil
	case Zlib:
		zr, err = zlib.NewReader(bytes.NewReader(raw))
	case Gzip:
		var gz *gzip.Reader
		gz, err = gzip.NewReader(bytes.NewReader(raw))
		if err == nil {
			gz.Multistream(false) // one member: trailing bytes are not a second body
			zr = gz
		}
	case Deflate:
		zr = flate.NewReader(bytes.NewReader(raw))
	}
	if err != nil {
		return nil, c, fmt.Errorf("%w (%s): %v", ErrCorrupt, c, err)
	}
	defer zr.Close()
	out, err := readCapped(zr, lim.MaxDecompressed, int64(len(raw)))
	if err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			return nil, c, err
		}
		return nil, c, fmt.Errorf("%w (%s): %v", ErrCorrupt, c, err)
	}
	return out, c, nil
}

// readCapped reads r to its end, failing once more than limit bytes come out. The buffer
// starts near the size a typical ratio predicts rather than at the cap.
func readCapped(r io.Reader, limit, compressedSize int64) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(int(min(limit, compressedSize*8+512)))
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errors.New("the stream ends too early (truncated body)")
		}
		return nil, err
	}
	if n > limit {
		return nil, &TooLargeError{Limit: limit, Decompressed: true}
	}
	return buf.Bytes(), nil
}

// Encode compresses a reply as c.
func Encode(reply []byte, c Compression) ([]byte, error) {
	var buf bytes.Buffer
	var w io.WriteCloser
	switch c {
	case None:
		return reply, nil
	case Zlib:
		w = zlib.NewWriter(&buf)
	case Gzip:
		w = gzip.NewWriter(&buf)
	case Deflate:
		fw, err := flate.NewWriter(&buf, flate.DefaultCompression)
		if err != nil {
			return nil, err
		}
		w = fw
	default:
		return nil, fmt.Errorf("wire: unknown compression %d", int(c))
	}
	if _, err := w.Write(reply); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Syntax is the syntax of a decompressed body.
type Syntax int

const (
	Unknown Syntax = iota
	XML
	JSON
)

func (s Syntax) String() string {
	switch s {
	case XML:
		return "xml"
	case JSON:
		return "json"
	}
	return "unknown"
}

// Sniff tells JSON from XML by the first character that is not a space or a byte order
// mark: '{' or '[' is JSON, '<' is XML.
func Sniff(body []byte) Syntax {
	body = bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case len(body) == 0:
		return Unknown
	case body[0] == '{' || body[0] == '[':
		return JSON
	case body[0] == '<':
		return XML
	}
	return Unknown
}
