// Package agentserver receives inventories from agents over HTTP, on the same port as
// the interface, and answers each agent in its own protocol:
//
//   - FusionInventory agent and GLPI Agent, XML (PROLOG, INVENTORY...) and GLPI Agent's
//     native JSON (contact, inventory...), on the URLs GLPI serves them on: the root
//     URL (see Claim), /front/inventory.php, /plugins/fusioninventory/ and
//     /marketplace/glpiinventory/. A PROLOG from GLPI Agent (its GLPI-Agent-ID header)
//     is answered in JSON, as GLPI 10 does, which moves the agent to its JSON protocol;
//   - OCS Inventory agent, XML, on /ocsinventory;
//   - parc's own agent, JSON (docs/agent-protocol.md), on /api/v1/agent/inventory.
//
// Bodies may be zlib-, gzip- or deflate-compressed; a reply uses the compression of its
// request, the only one some agents read. Sizes are capped before anything is parsed.
// An agent is told its inventory was accepted only once ingest has committed it.
//
// By default any agent is accepted, as GLPI and OCS do. With Options.Token set, every
// request must carry the token: as the password of HTTP Basic authentication (the
// --user/--password options of FusionInventory, GLPI and OCS agents; any user name),
// as "Authorization: Bearer <token>" or as an X-Parc-Agent-Token header.
package agentserver

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"parc/internal/core"
	"parc/internal/httpctx"
	"parc/internal/i18n"
	"parc/internal/ingest"
	"parc/internal/inventory"
	"parc/internal/inventory/wire"
	"parc/internal/record"
)

// Paths the server answers on (a path ending in "/" with everything under it).
const (
	PathGLPI       = "/front/inventory.php"
	PathFusion     = "/plugins/fusioninventory/"
	PathGLPIPlugin = "/marketplace/glpiinventory/"
	PathOCS        = "/ocsinventory"
	PathParc       = "/api/v1/agent/inventory"
	// PathRoot is the server's root URL, which GLPI Agent's documentation gives GLPI
	// 10+ users; the web interface's too (see Claim).
	PathRoot = "/"
)

// Defaults of Options.
const (
	DefaultFreq    = 24 // hours until the agent's next contact
	DefaultTimeout = 2 * time.Minute
)

const (
	authRealm       = "parc" // the realm of Basic authentication challenges
	sniffBytes      = 4096   // bytes peeked to answer before the body is read
	maxErrorMessage = 2000   // bytes of an error message sent back
)

// Ingester stores an inventory: *ingest.Service.
type Ingester interface {
	Ingest(ctx context.Context, inv *inventory.Inventory, meta ingest.Meta) (*ingest.Result, error)
}

// Options tune the server; the zero value is the default.
type Options struct {
	// Token, when set, is required from every agent (PARC_AGENT_TOKEN).
	Token string
	// Limits caps request bodies, as received and decompressed (wire defaults when zero).
	Limits wire.Limits
	// ParseLimits bounds the documents (inventory defaults when zero).
	ParseLimits inventory.Limits
	// Freq is the number of hours agents are told to wait before their next contact
	// (PROLOG_FREQ, expiration); DefaultFreq when zero.
	Freq int
	// IngestTimeout bounds the storing of one inventory, which goes on when the agent
	// hangs up; DefaultTimeout when zero.
	IngestTimeout time.Duration
	// Catalog renders the messages of ingest errors (in English); loaded when nil.
	Catalog *i18n.Catalog
	// Log receives one line per refused request; the app's logger when nil.
	Log *slog.Logger
}

// Server answers agents. It implements web.Registrar.
type Server struct {
	app   *core.Core
	ing   Ingester
	opt   Options
	log   *slog.Logger
	cat   *i18n.Catalog
	token [sha256.Size]byte
}

// New makes the agent server over the core services and the service that stores inventories.
func New(a *core.Core, ing Ingester, opt Options) *Server {
	if opt.Freq <= 0 {
		opt.Freq = DefaultFreq
	}
	if opt.IngestTimeout <= 0 {
		opt.IngestTimeout = DefaultTimeout
	}
	opt.ParseLimits = opt.ParseLimits.OrDefault()
	if opt.Limits.MaxCompressed <= 0 {
		opt.Limits.MaxCompressed = wire.DefaultMaxCompressed
	}
	if opt.Limits.MaxDecompressed <= 0 {
		opt.Limits.MaxDecompressed = wire.DefaultMaxDecompressed
	}
	s := &Server{app: a, ing: ing, opt: opt, log: opt.Log, cat: opt.Catalog}
	if s.log == nil && a != nil {
		s.log = a.Log
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.cat == nil {
		s.cat = i18n.MustLoad()
	}
	if opt.Token != "" {
		s.token = sha256.Sum256([]byte(opt.Token))
	}
	return s
}

// Register adds the agent endpoints to mux. Requests to the root URL ("/", shared
// with the web interface) are taken by Claim.
func (s *Server) Register(mux *http.ServeMux) {
	xml := http.HandlerFunc(s.serveFusion)
	status := http.HandlerFunc(s.serveStatus)
	for _, p := range []string{PathGLPI, strings.TrimSuffix(PathFusion, "/"), PathFusion, strings.TrimSuffix(PathGLPIPlugin, "/"), PathGLPIPlugin} {
		mux.Handle("POST "+p, xml)
		mux.Handle("GET "+p, status)
	}
	mux.HandleFunc("POST "+PathOCS, s.serveOCS)
	mux.HandleFunc("POST "+PathOCS+"/", s.serveOCS)
	mux.HandleFunc("POST "+PathParc, s.serveParc)
}

// PublicPaths lists the paths whose requests authenticate themselves (agents): the web
// server must let them through without user authentication or CSRF checks. A path
// ending in "/" stands for its whole subtree, as in http.ServeMux.
func (s *Server) PublicPaths() []string {
	return []string{
		PathGLPI,
		strings.TrimSuffix(PathFusion, "/"), PathFusion,
		strings.TrimSuffix(PathGLPIPlugin, "/"), PathGLPIPlugin,
		PathOCS, PathOCS + "/",
		PathParc,
	}
}

// Claim takes the agents' requests to the server's root URL, the one GLPI Agent's
// documentation tells GLPI 10+ users to configure: every POST (serveRoot answers
// those that carry no agent document as the web interface would), and the GET status
// requests of GLPI Agent's protocol (a GLPI-Request-ID header, or FusionInventory's
// action=getConfig). Other requests to "/" are the web interface's.
func (s *Server) Claim(r *http.Request) http.Handler {
	if r.URL.Path != PathRoot {
		return nil
	}
	switch r.Method {
	case http.MethodPost:
		return http.HandlerFunc(s.serveRoot)
	case http.MethodGet:
		if isStatusRequest(r) {
			return http.HandlerFunc(s.serveStatus)
		}
	}
	return nil
}

// Handler returns the agent endpoints alone, for tests and for a listener of their own.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Register(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := s.Claim(r); h != nil {
			h.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// protocol names the family of a request, for replies and logs.
type protocol string

const (
	protoFusion protocol = "fusioninventory" // FusionInventory / GLPI Agent XML
	protoGLPI   protocol = "glpi"            // GLPI Agent JSON
	protoOCS    protocol = "ocs"
	protoParc   protocol = "parc"
)

// exchange is one request being answered.
type exchange struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	proto  protocol
	comp   wire.Compression
	body   []byte // decompressed
	device string // the agent's device id once known, for logs
	br     *bufio.Reader
}

// busy runs fn, CPU-heavy work on the body, within the ingester's bound on such
// work when it has one (see ingest.Service.Busy).
func (x *exchange) busy(fn func() *failure) *failure {
	b, ok := x.s.ing.(interface {
		Busy(ctx context.Context, fn func() error) error
	})
	if !ok {
		return fn()
	}
	var f *failure
	if err := b.Busy(x.r.Context(), func() error { f = fn(); return nil }); err != nil {
		return fail(http.StatusServiceUnavailable, "the request ended before the server could read it: %v", err)
	}
	return f
}

// parseBusy parses the body within the bound on CPU-heavy work.
func parseBusy[T any](x *exchange, parse func([]byte, inventory.Limits) (T, error)) (T, *failure) {
	var m T
	var err error
	if f := x.busy(func() *failure { m, err = parse(x.body, x.s.opt.ParseLimits); return nil }); f != nil {
		return m, f
	}
	if err != nil {
		return m, parseFailure(err)
	}
	return m, nil
}

// contacted records that a known agent called in, when the ingester keeps such times.
func (x *exchange) contacted() {
	c, ok := x.s.ing.(interface {
		Contact(ctx context.Context, deviceID, agentID, remoteIP string) error
	})
	if !ok {
		return
	}
	ip := x.r.RemoteAddr
	if h, _, err := net.SplitHostPort(ip); err == nil {
		ip = h
	}
	if err := c.Contact(x.r.Context(), x.device, agentID(x.r), ip); err != nil {
		x.s.log.Warn("agent contact not recorded", "device_id", x.device, "err", err)
	}
}

// failure is a refusal: an HTTP status and a message for the agent.
type failure struct {
	status  int
	message string
	// problems are the details of a refused parc document.
	problems []inventory.Problem
	// cause is logged, never shown (internal errors).
	cause error
}

func (f *failure) Error() string { return f.message }

func fail(status int, format string, args ...any) *failure {
	return &failure{status: status, message: fmt.Sprintf(format, args...)}
}

func (s *Server) begin(w http.ResponseWriter, r *http.Request, p protocol) *exchange {
	x := &exchange{s: s, w: w, r: r, proto: p}
	x.br = bufio.NewReaderSize(r.Body, sniffBytes)
	head, _ := x.br.Peek(sniffBytes)
	x.comp = wire.Detect(head)
	if x.comp == wire.None {
		if ct := mediaType(r); ct == "application/x-compress-deflate" || ct == "application/x-deflate" {
			x.comp = wire.Deflate
		}
	}
	return x
}

// sniff guesses the syntax of the body from its first bytes, decompressing what they
// hold: enough to answer in the right syntax before the body is read.
func (x *exchange) sniff() wire.Syntax {
	head, _ := x.br.Peek(sniffBytes)
	var rd io.Reader
	switch x.comp {
	case wire.Zlib:
		zr, err := zlib.NewReader(bytes.NewReader(head))
		if err != nil {
			return wire.Unknown
		}
		rd = zr
	case wire.Gzip:
		zr, err := gzip.NewReader(bytes.NewReader(head))
		if err != nil {
			return wire.Unknown
		}
		rd = zr
	case wire.Deflate:
		rd = flate.NewReader(bytes.NewReader(head))
	default:
		return syntaxOf(x.r, head)
	}
	out := make([]byte, 256)
	n, _ := io.ReadAtLeast(rd, out, len(out))
	return syntaxOf(x.r, out[:n])
}

// syntaxOf tells JSON from XML by the content, then by the Content-Type.
func syntaxOf(r *http.Request, body []byte) wire.Syntax {
	if s := wire.Sniff(body); s != wire.Unknown {
		return s
	}
	ct := mediaType(r)
	switch {
	case strings.Contains(ct, "json"):
		return wire.JSON
	case strings.Contains(ct, "xml"):
		return wire.XML
	}
	return wire.Unknown
}

func mediaType(r *http.Request) string {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Type")))
	}
	return ct
}

// authorize checks the agent token when one is required.
func (x *exchange) authorize() *failure {
	s := x.s
	if s.opt.Token == "" {
		return nil
	}
	var given string
	if _, pw, ok := x.r.BasicAuth(); ok {
		given = pw
	} else if tok, ok := strings.CutPrefix(x.r.Header.Get("Authorization"), "Bearer "); ok {
		given = strings.TrimSpace(tok)
	} else {
		given = x.r.Header.Get("X-Parc-Agent-Token")
	}
	sum := sha256.Sum256([]byte(given))
	if given != "" && subtle.ConstantTimeCompare(sum[:], s.token[:]) == 1 {
		return nil
	}
	if given == "" {
		return fail(http.StatusUnauthorized, "this server requires the agent token: give it as the password of HTTP authentication (--password) or as a bearer token")
	}
	return fail(http.StatusUnauthorized, "wrong agent token")
}

// read reads and decompresses the body within the caps.
func (x *exchange) read() *failure {
	lim := x.s.opt.Limits
	if x.r.ContentLength > lim.MaxCompressed {
		return fail(http.StatusRequestEntityTooLarge, "the body is %d bytes, more than the %d this server accepts", x.r.ContentLength, lim.MaxCompressed)
	}
	raw, err := io.ReadAll(http.MaxBytesReader(x.w, io.NopCloser(x.br), lim.MaxCompressed))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return fail(http.StatusRequestEntityTooLarge, "the body is larger than the %d bytes this server accepts", lim.MaxCompressed)
		}
		return fail(http.StatusBadRequest, "the body could not be read: %v", err)
	}
	if len(raw) == 0 {
		return fail(http.StatusBadRequest, "the request has no body")
	}
	var body []byte
	var c wire.Compression
	if f := x.busy(func() *failure {
		body, c, err = wire.Decode(raw, x.r.Header.Get("Content-Type"), lim)
		return nil
	}); f != nil {
		return f
	}
	if c != wire.None {
		x.comp = c
	}
	switch {
	case err == nil:
		x.body = body
		return nil
	case errors.Is(err, wire.ErrTooLarge):
		var tl *wire.TooLargeError
		if errors.As(err, &tl) && tl.Decompressed {
			return fail(http.StatusRequestEntityTooLarge, "the body decompresses to more than the %d bytes this server accepts", tl.Limit)
		}
		return fail(http.StatusRequestEntityTooLarge, "the body is larger than the %d bytes this server accepts", lim.MaxCompressed)
	case errors.Is(err, wire.ErrCorrupt):
		return fail(http.StatusBadRequest, "the compressed body is corrupt: %s", strings.TrimPrefix(err.Error(), "wire: "))
	case errors.Is(err, wire.ErrUnsupported):
		return fail(http.StatusUnsupportedMediaType, "%s", strings.TrimPrefix(err.Error(), "wire: "))
	}
	return fail(http.StatusBadRequest, "the body could not be read: %v", err)
}

// parseFailure turns a parser error into a refusal.
func parseFailure(err error) *failure {
	msg := err.Error()
	switch {
	case errors.Is(err, inventory.ErrUnsupported):
		return fail(http.StatusUnsupportedMediaType, "%s", msg)
	case errors.Is(err, inventory.ErrMalformed), errors.Is(err, inventory.ErrLimit):
		var ve *inventory.ValidationError
		if errors.As(err, &ve) {
			return &failure{status: http.StatusBadRequest, message: msg, problems: ve.Problems}
		}
		return fail(http.StatusBadRequest, "%s", msg)
	}
	return fail(http.StatusBadRequest, "%s", msg)
}

// store ingests an inventory, with the facts the transport knows. Ingest validates
// it (once: the parsers do not); a refusal keeps the list of problems.
func (x *exchange) store(inv *inventory.Inventory) (*ingest.Result, *failure) {
	if inv.DeviceID != "" {
		x.device = inv.DeviceID
	}
	if inv.Agent.Name == "" && inv.Agent.Version == "" {
		inv.Agent = inventory.ParseAgent(x.r.UserAgent())
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(x.r.Context()), x.s.opt.IngestTimeout)
	defer cancel()
	res, err := x.s.ing.Ingest(ctx, inv, ingest.Meta{
		RemoteIP:  httpctx.ClientIP(x.r),
		UserAgent: x.r.UserAgent(),
		AgentID:   agentID(x.r),
		Raw:       x.body,
	})
	if err != nil {
		return nil, x.s.ingestFailure(err)
	}
	return res, nil
}

func (s *Server) ingestFailure(err error) *failure {
	var ve *inventory.ValidationError
	if errors.As(err, &ve) {
		return &failure{status: http.StatusBadRequest, message: ve.Error(), problems: ve.Problems}
	}
	e, ok := record.AsError(err)
	if !ok {
		return &failure{status: http.StatusInternalServerError, message: "internal error: the inventory was not stored", cause: err}
	}
	msg := e.Render(s.cat, "en", nil).String()
	status := e.Code.HTTPStatus()
	if e.Code == record.CodeInvalid {
		// The agent protocols answer every refused document with 400, as a
		// document that does not parse (docs/agent-protocol.md).
		status = http.StatusBadRequest
	}
	return &failure{status: status, message: msg}
}

// refuse logs a refused request.
func (x *exchange) refuse(f *failure) {
	attrs := []any{"protocol", string(x.proto), "remote", httpctx.ClientIP(x.r), "path", x.r.URL.Path,
		"status", f.status, "reason", f.message, "user_agent", x.r.UserAgent()}
	if x.device != "" {
		attrs = append(attrs, "device_id", x.device)
	}
	if f.cause != nil {
		x.s.log.Error("agent request failed", append(attrs, "err", f.cause)...)
		return
	}
	x.s.log.Warn("agent request refused", attrs...)
}

// send writes a reply in the request's compression.
func (x *exchange) send(status int, syntax wire.Syntax, reply []byte) {
	h := x.w.Header()
	out, err := wire.Encode(reply, x.comp)
	if err != nil { // cannot happen for the known compressions
		out, x.comp = reply, wire.None
	}
	if x.proto == protoParc {
		h.Set("Content-Type", "application/json; charset=utf-8")
		switch x.comp {
		case wire.Gzip:
			h.Set("Content-Encoding", "gzip")
		case wire.Zlib:
			h.Set("Content-Encoding", "deflate") // HTTP's "deflate" is the zlib format
		case wire.Deflate:
			h.Set("Content-Encoding", "x-raw-deflate")
		}
	} else {
		ct := x.comp.ContentType(syntax)
		if x.comp == wire.None {
			ct += "; charset=utf-8"
		}
		h.Set("Content-Type", ct)
	}
	h.Set("Cache-Control", "no-store")
	if status == http.StatusRequestEntityTooLarge {
		h.Set("Connection", "close")
	}
	if status == http.StatusUnauthorized {
		if x.proto == protoParc {
			h.Set("WWW-Authenticate", `Bearer realm="`+authRealm+`"`)
		} else {
			// FusionInventory, GLPI and OCS agents send their credentials only once
			// challenged, for the realm named here (OCS: --realm=parc).
			h.Set("WWW-Authenticate", `Basic realm="`+authRealm+`"`)
		}
	}
	h.Set("Content-Length", fmt.Sprint(len(out)))
	x.w.WriteHeader(status)
	x.w.Write(out)
}

// clip bounds a message quoted back to an agent.
func clip(s string) string {
	if len(s) <= maxErrorMessage {
		return s
	}
	i := maxErrorMessage
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}
