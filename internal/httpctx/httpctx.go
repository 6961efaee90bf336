// Package httpctx carries what the middleware learns about a request (who, in which
// language, with which session) to the API and UI handlers.
package httpctx

import (
	"context"
	"net"
	"net/http"

	"parc/internal/auth"
	"parc/internal/record"
)

// SessionCookie and LangCookie are the cookies parc sets: the pages set them, the
// server's middleware reads them.
const (
	SessionCookie = "parc_session"
	LangCookie    = "parc_lang"
)

type key int

const (
	actorKey key = iota
	sessionKey
	langKey
	httpsKey
)

// WithHTTPS notes that the browser reaches parc over HTTPS (cookies are then Secure).
func WithHTTPS(ctx context.Context, on bool) context.Context {
	return context.WithValue(ctx, httpsKey, on)
}

// HTTPS reports whether the browser reaches parc over HTTPS.
func HTTPS(ctx context.Context) bool {
	on, _ := ctx.Value(httpsKey).(bool)
	return on
}

// WithActor stores the authenticated actor.
func WithActor(ctx context.Context, a *record.Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// Actor returns the authenticated actor, or nil.
func Actor(ctx context.Context) *record.Actor {
	a, _ := ctx.Value(actorKey).(*record.Actor)
	return a
}

// WithSession stores the browser session (absent for API tokens).
func WithSession(ctx context.Context, s *auth.Session) context.Context {
	return context.WithValue(ctx, sessionKey, s)
}

// Session returns the browser session, or nil.
func Session(ctx context.Context) *auth.Session {
	s, _ := ctx.Value(sessionKey).(*auth.Session)
	return s
}

// WithLang stores the language chosen for the request.
func WithLang(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey, lang)
}

// Lang returns the request's language ("fr" when unset).
func Lang(ctx context.Context) string {
	if l, ok := ctx.Value(langKey).(string); ok {
		return l
	}
	return "fr"
}

// ClientIP is the peer address of the request (proxies are not trusted by default).
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
