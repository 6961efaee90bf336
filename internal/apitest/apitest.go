// Package apitest starts a real parc server on a test store and gives tests API
// clients that hold real tokens, so tests go through the same paths as users.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"parc/internal/app"
	"parc/internal/record"
	"parc/internal/storetest"
)

// Env is a running server over a fresh store.
type Env struct {
	T    testing.TB
	App  *app.App
	Srv  *httptest.Server
	Sys  *record.Actor
	Root int64
}

// New starts a server on a fresh store of the given kind.
func New(t testing.TB, kind string) *Env {
	t.Helper()
	a := app.New(storetest.OpenTest(t, kind), slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	if _, err := a.Bootstrap(ctx, "en"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.HTTP())
	t.Cleanup(srv.Close)
	e := &Env{T: t, App: a, Srv: srv}
	e.Refresh()
	e.Root = e.Sys.Tree.Root
	return e
}

// Refresh reloads the system actor's view of the organisation tree.
func (e *Env) Refresh() {
	sys, err := e.App.System(context.Background(), record.OriginCLI)
	if err != nil {
		e.T.Fatal(err)
	}
	e.Sys = sys
}

// Org creates an organisation under parent.
func (e *Env) Org(name string, parent int64) int64 {
	e.T.Helper()
	r, err := e.App.Records.Create(context.Background(), e.Sys, e.App.Reg.MustType("organizations"), record.Input{"name": name, "parent_id": parent})
	if err != nil {
		e.T.Fatal(err)
	}
	e.Refresh()
	return r.ID
}

// Create stores a record as the system and returns its id.
func (e *Env) Create(typeName string, in record.Input) int64 {
	e.T.Helper()
	r, err := e.App.Records.Create(context.Background(), e.Sys, e.App.Reg.MustType(typeName), in)
	if err != nil {
		e.T.Fatalf("create %s: %v", typeName, err)
	}
	return r.ID
}

// Client calls the API with one user's token.
type Client struct {
	T      testing.TB
	Base   string
	Token  string
	UserID int64
	Lang   string
}

// User creates a user with a profile on an organisation (and its sub-tree) and
// returns an API client holding a new token of theirs.
func (e *Env) User(login, profile string, org int64) *Client {
	e.T.Helper()
	ctx := context.Background()
	u, err := e.App.Auth.CreateUser(ctx, e.Sys, login, Password, profile, org)
	if err != nil {
		e.T.Fatalf("create user %s: %v", login, err)
	}
	tok, _, err := e.App.Auth.CreateToken(ctx, u.ID, "test", 0)
	if err != nil {
		e.T.Fatal(err)
	}
	return &Client{T: e.T, Base: e.Srv.URL, Token: tok, UserID: u.ID, Lang: "en"}
}

// Response is a decoded API answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   map[string]any
}

// Do sends a request; body may be nil, a string (sent as is) or a value sent as JSON.
func (c *Client) Do(method, path string, body any, headers ...string) *Response {
	c.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.T.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.Base+path, rd)
	if err != nil {
		c.T.Fatal(err)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	req.Header.Set("Accept-Language", c.Lang)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		json.Unmarshal(raw, &out.JSON)
	}
	return out
}

// Must checks the status and returns the response.
func (c *Client) Must(status int, method, path string, body any, headers ...string) *Response {
	c.T.Helper()
	r := c.Do(method, path, body, headers...)
	if r.Status != status {
		c.T.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.Body)
	}
	return r
}

// ID reads the id of a record response.
func (r *Response) ID() int64 {
	n, _ := r.JSON["id"].(float64)
	return int64(n)
}

// Data returns the records of a list response.
func (r *Response) Data() []map[string]any {
	var out []map[string]any
	list, _ := r.JSON["data"].([]any)
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// FieldError returns the message of one field in an error response.
func (r *Response) FieldError(field string) string {
	e, _ := r.JSON["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	s, _ := f[field].(string)
	return s
}

// ErrorCode returns the code of an error response.
func (r *Response) ErrorCode() string {
	e, _ := r.JSON["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// Path formats a path.
func Path(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// Password is the password of the users Env.User makes.
const Password = "correct horse battery"

// Pages signs in as login the way a browser does (a session cookie) and returns
// a page getter, redirects followed, answering the status and the body in English.
func (e *Env) Pages(t testing.TB, login string) func(path string) (int, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar}
	resp, err := cl.PostForm(e.Srv.URL+"/login", url.Values{"login": {login}, "password": {Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return func(path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", e.Srv.URL+path, nil)
		req.Header.Set("Accept-Language", "en")
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
}
