// Package web is parc's HTTP server: routing, middleware (recovery, logging,
// metrics, authentication, language, CSRF, security headers), health endpoints.
// The API and the HTML pages plug into it.
package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"parc/internal/auth"
	"parc/internal/core"
	"parc/internal/httpctx"
	"parc/internal/i18n"
	"parc/internal/record"
)

const (
	// MaxFormBody bounds HTML form posts, CSV uploads included.
	MaxFormBody = record.MaxImportBytes + 1<<20
)

// Registrar adds routes to the server's mux (the HTML interface implements it).
type Registrar interface {
	Register(mux *http.ServeMux)
}

// PublicRegistrar is a Registrar whose routes authenticate their callers themselves
// (the agent endpoints): requests to these paths skip user authentication, so that an
// agent's own Authorization header is not taken for a user API token. A path ending in
// "/" stands for its subtree, as in http.ServeMux.
type PublicRegistrar interface {
	Registrar
	PublicPaths() []string
}

// Claimer is a Registrar that also answers some requests on paths that belong to
// others: the agent server takes the agents' requests to "/" (GLPI Agent's default
// URL), which is otherwise the dashboard. A claimed request skips user
// authentication, language and CSRF checks, as a public path does; cross-origin
// protection still applies.
type Claimer interface {
	Registrar
	// Claim returns the handler of a request it takes, nil for the others. It must
	// decide from the method, URL and headers only, never by reading the body.
	Claim(r *http.Request) http.Handler
}

// Server is parc's HTTP front.
type Server struct {
	App *core.Core
	Cat *i18n.Catalog
	Log *slog.Logger
	// API answers the REST routes and writes the JSON error envelope that the
	// authentication and CSRF checks answer API callers with.
	API APIRoutes

	// HTTPS says that browsers reach parc over HTTPS even when the connection
	// arrives in plain HTTP, from a proxy that ends TLS (PARC_BASE_URL is https://):
	// cookies are then marked Secure. A request that came over TLS always is.
	HTTPS bool

	handler http.Handler
	// public lists the paths that skip user authentication (see PublicRegistrar).
	public []string
	// claimers take requests before authentication (see Claimer).
	claimers []Claimer
	// pageError renders errors of HTML pages (set when the UI is mounted).
	pageError func(w http.ResponseWriter, r *http.Request, err error)
	metrics   *prometheus.Registry
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
}

// APIRoutes is the REST API as the server mounts it.
type APIRoutes interface {
	Registrar
	Error(w http.ResponseWriter, r *http.Request, err error)
}

// New builds the server with the API and any other route sets (the UI, the agents'
// endpoints).
func New(a *core.Core, cat *i18n.Catalog, apiRoutes APIRoutes, extra ...Registrar) *Server {
	s := &Server{App: a, Cat: cat, Log: a.Log, API: apiRoutes, metrics: prometheus.NewRegistry()}
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "parc_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "code"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "parc_http_request_duration_seconds", Help: "HTTP request duration by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}}, []string{"route"})
	s.metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), s.requests, s.duration)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics, promhttp.HandlerOpts{}))
	s.API.Register(mux)
	for _, r := range extra {
		r.Register(mux)
		if p, ok := r.(PublicRegistrar); ok {
			s.public = append(s.public, p.PublicPaths()...)
		}
		if c, ok := r.(Claimer); ok {
			s.claimers = append(s.claimers, c)
		}
		if pe, ok := r.(interface {
			RenderError(http.ResponseWriter, *http.Request, error)
		}); ok {
			s.pageError = pe.RenderError
		}
	}
	cop := http.NewCrossOriginProtection()
	var h http.Handler = mux
	h = s.csrf(h)
	h = s.language(h)
	h = s.authenticate(h)
	h = s.claimed(h)
	h = cop.Handler(h)
	h = s.observe(mux, h)
	s.handler = h
	return s
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Serve listens on l until ctx ends, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return err
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.App.DB.Ping(ctx); err != nil {
		http.Error(w, "store unreachable", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe recovers from panics, sets security headers, logs and measures each request.
func (s *Server) observe(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		defer func() {
			if p := recover(); p != nil {
				s.Log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", p)
				if sw.code == 0 {
					http.Error(sw, "internal error", http.StatusInternalServerError)
				}
			}
			_, route := mux.Handler(r)
			if route == "" {
				route = "unmatched"
			}
			code := sw.code
			if code == 0 {
				code = http.StatusOK
			}
			d := time.Since(start)
			s.requests.WithLabelValues(route, fmt.Sprint(code)).Inc()
			s.duration.WithLabelValues(route).Observe(d.Seconds())
			level := slog.LevelDebug
			if code >= 500 {
				level = slog.LevelError
			} else if code == http.StatusForbidden || code == http.StatusUnauthorized {
				level = slog.LevelInfo
			}
			s.Log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "status", code, "duration_ms", d.Milliseconds(), "ip", httpctx.ClientIP(r))
		}()
		next.ServeHTTP(sw, r.WithContext(httpctx.WithHTTPS(r.Context(), s.HTTPS || r.TLS != nil)))
	})
}

// claimed serves the requests a Claimer takes; the others go on to next.
func (s *Server) claimed(next http.Handler) http.Handler {
	if len(s.claimers) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, c := range s.claimers {
			if h := c.Claim(r); h != nil {
				h.ServeHTTP(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// isPublic reports whether a path belongs to a PublicRegistrar. A path that is not
// clean is not: the mux redirects it to its clean form, which is checked in turn.
func (s *Server) isPublic(p string) bool {
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if clean != p {
		return false
	}
	for _, pub := range s.public {
		if p == pub || strings.HasSuffix(pub, "/") && strings.HasPrefix(p, pub) {
			return true
		}
	}
	return false
}

// authenticate finds the actor from a bearer token or a session cookie. Public paths
// get no actor: their handlers authenticate the caller themselves, and without a
// session the CSRF check does not apply either.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.isPublic(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			tok, ok := strings.CutPrefix(h, "Bearer ")
			uid, scope, err := int64(0), "", error(nil)
			if ok {
				uid, scope, err = s.App.Auth.TokenUser(ctx, strings.TrimSpace(tok))
			}
			var actor *record.Actor
			if ok && err == nil {
				actor, err = s.App.Auth.Actor(ctx, uid, record.OriginAPI)
			}
			if !ok || err != nil {
				r := r.WithContext(httpctx.WithLang(ctx, i18n.Negotiate(r.Header.Get("Accept-Language"))))
				if aerr := s.App.Auth.Audit(ctx, "token_rejected", 0, "", httpctx.ClientIP(r), r.URL.Path); aerr != nil {
					s.API.Error(w, r, aerr)
					return
				}
				w.Header().Set("WWW-Authenticate", `Bearer realm="parc", error="invalid_token"`)
				if errors.Is(err, auth.ErrTokenExpired) {
					s.API.Error(w, r, err)
					return
				}
				s.API.Error(w, r, record.E(record.CodeUnauthorized, "err.bad_token"))
				return
			}
			if err := auth.TokenAllows(scope, r.Method, r.URL.Path); err != nil {
				r := r.WithContext(httpctx.WithLang(ctx, i18n.Negotiate(r.Header.Get("Accept-Language"))))
				if aerr := s.App.Auth.Audit(ctx, "token_out_of_scope", uid, actor.Login, httpctx.ClientIP(r), r.Method+" "+r.URL.Path); aerr != nil {
					s.API.Error(w, r, aerr)
					return
				}
				s.API.Error(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(httpctx.WithActor(ctx, actor)))
			return
		}
		if c, err := r.Cookie(httpctx.SessionCookie); err == nil && c.Value != "" {
			sess, err := s.App.Auth.SessionByToken(ctx, c.Value)
			if err == nil && sess.Stage == auth.StageCode {
				// Only the password is checked: the session reaches the code form
				// (which reads it for its CSRF token) and nothing else.
				if strings.HasPrefix(r.URL.Path, "/api/") {
					s.API.Error(w, r.WithContext(httpctx.WithLang(ctx, i18n.Negotiate(r.Header.Get("Accept-Language")))), record.E(record.CodeUnauthorized, "err.two_factor_pending"))
					return
				}
				next.ServeHTTP(w, r.WithContext(httpctx.WithSession(ctx, sess)))
				return
			}
			if err == nil {
				actor, err := s.App.Auth.Actor(ctx, sess.UserID, record.OriginWeb)
				if err == nil {
					if strings.HasPrefix(r.URL.Path, "/api/") {
						actor.Origin = record.OriginAPI
					}
					ctx = httpctx.WithSession(httpctx.WithActor(ctx, actor), sess)
					if sess.MustChangePassword && strings.HasPrefix(r.URL.Path, "/api/") {
						// The pages lead to the password form; the API has nothing to offer.
						s.API.Error(w, r.WithContext(ctx), record.E(record.CodeForbidden, "err.password_change_required"))
						return
					}
					if sess.Stage == auth.StageEnrol && strings.HasPrefix(r.URL.Path, "/api/") {
						s.API.Error(w, r.WithContext(httpctx.WithLang(ctx, i18n.Negotiate(r.Header.Get("Accept-Language")))), record.E(record.CodeForbidden, "err.two_factor_enrol_required"))
						return
					}
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// language picks the user's preference, then the language cookie, then Accept-Language.
func (s *Server) language(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := ""
		if c, err := r.Cookie(httpctx.LangCookie); err == nil && i18n.Supported(c.Value) {
			lang = c.Value
		}
		if a := httpctx.Actor(r.Context()); a != nil && i18n.Supported(a.Lang) && lang == "" {
			lang = a.Lang
		}
		if lang == "" {
			lang = i18n.Negotiate(r.Header.Get("Accept-Language"))
		}
		next.ServeHTTP(w, r.WithContext(httpctx.WithLang(r.Context(), lang)))
	})
}

// csrf requires the session's token on every state-changing request made with a
// session cookie: a hidden _csrf form field or an X-CSRF-Token header.
func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess := httpctx.Session(r.Context())
		if sess == nil || r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		tok := r.Header.Get("X-CSRF-Token")
		if tok == "" && !strings.HasPrefix(r.URL.Path, "/api/") {
			r.Body = http.MaxBytesReader(w, r.Body, MaxFormBody)
			var err error
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				err = r.ParseMultipartForm(32 << 20)
			} else {
				err = r.ParseForm()
			}
			if err != nil {
				// An unreadable or oversized form is answered as such: neither taken
				// for a missing token nor passed on half read.
				var mbe *http.MaxBytesError
				if !errors.As(err, &mbe) {
					err = record.E(record.CodeInvalid, "ui.bad_form")
				}
				s.fail(w, r, err)
				return
			}
			tok = r.PostFormValue("_csrf")
		}
		if tok == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(sess.CSRF)) != 1 {
			if err := s.App.Auth.Audit(r.Context(), "csrf_rejected", sess.UserID, "", httpctx.ClientIP(r), r.URL.Path); err != nil {
				s.fail(w, r, err)
				return
			}
			s.fail(w, r, record.E(record.CodeForbidden, "err.csrf"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// fail answers an error as a JSON error under /api/, else as an HTML page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if strings.HasPrefix(r.URL.Path, "/api/") || s.pageError == nil {
		s.API.Error(w, r, err)
		return
	}
	s.pageError(w, r, err)
}
