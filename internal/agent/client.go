package agent

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"parc/internal/inventory"
	"parc/internal/inventory/wire"
	"parc/internal/version"
)

// EndpointPath is where a parc server reads parc-agent/1 documents.
const EndpointPath = "/api/v1/agent/inventory"

// Client sends documents to a parc server.
type Client struct {
	// URL is the server's base URL ("https://parc.example.org") or the full endpoint.
	URL string
	// Token is the agent token (PARC_AGENT_TOKEN of the server), sent as a bearer
	// token; empty: none.
	Token string
	// HTTP is the client used; NewHTTPClient's when nil.
	HTTP *http.Client
}

// Reply is the server's answer to an inventory.
type Reply struct {
	Status     string              `json:"status"`
	ComputerID int64               `json:"computer_id"`
	Created    bool                `json:"created"`
	Changed    []string            `json:"changed"`
	Message    string              `json:"message,omitempty"`
	Problems   []inventory.Problem `json:"problems,omitempty"`
}

// ServerError is a refusal by the server, with its HTTP status and message.
type ServerError struct {
	StatusCode int
	Message    string
	Problems   []inventory.Problem
}

func (e *ServerError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "server answered %d", e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		fmt.Fprintf(&b, " %s", t)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "; %s: %s", p.Field, p.Message)
	}
	return b.String()
}

// NewHTTPClient returns the agent's HTTP client: proxy from the environment, bounded
// connection, TLS and answer times, an optional extra CA certificate file (PEM), and
// redirects followed only on the same host and never from https to http (a redirect
// elsewhere would hand the inventory, and the token, to another server).
func NewHTTPClient(caFile string) (*http.Client, error) {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: 3 * time.Minute, // the server answers once the inventory is stored
		IdleConnTimeout:       30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, err
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s: no PEM certificate found", caFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{
		Transport: tr,
		Timeout:   5 * time.Minute,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			first := via[0].URL
			if !strings.EqualFold(req.URL.Hostname(), first.Hostname()) || (req.URL.Port() != first.Port() && req.URL.Scheme == first.Scheme) {
				return fmt.Errorf("redirect to another host (%s) refused", req.URL.Host)
			}
			if first.Scheme == "https" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect from https to %s refused", req.URL.Scheme)
			}
			return nil
		},
	}, nil
}

// Endpoint returns the URL documents are posted to.
func Endpoint(server string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(server))
	if err != nil {
		return "", fmt.Errorf("server URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("server URL %q: give http://host[:port] or https://host[:port]", server)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	if !strings.HasSuffix(u.Path, EndpointPath) {
		u.Path += EndpointPath
	}
	u.RawPath = ""
	u.RawQuery, u.Fragment = "", ""
	return u.String(), nil
}

// Send posts a document (JSON, as Marshal makes it), gzip-compressed, and reads the
// reply. A refusal is a *ServerError.
func (c *Client) Send(ctx context.Context, doc []byte) (*Reply, error) {
	endpoint, err := Endpoint(c.URL)
	if err != nil {
		return nil, err
	}
	body, err := wire.Encode(doc, wire.Gzip)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	// docs/agent-protocol.md: Content-Type application/json, the body gzip-compressed
	// without Content-Encoding (the server tells the compression from the bytes).
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", AgentName+"/"+version.Version)
	req.Header.Set("Accept", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		if hc, err = NewHTTPClient(""); err != nil {
			return nil, err
		}
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the repeated "Post URL"
		}
		return nil, fmt.Errorf("sending to %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("reading the answer of %s: %w", endpoint, err)
	}
	// The server answers in the request's compression, with Content-Encoding: gzip,
	// which net/http undoes; undo it here otherwise.
	if plain, _, err := wire.Decode(raw, "", wire.Limits{MaxCompressed: 1 << 20, MaxDecompressed: 4 << 20}); err == nil {
		raw = plain
	}
	var reply struct {
		Reply
		// The API's own errors ({"error":{"code":...,"message":...}}), met when the
		// URL leads to another part of parc.
		Error struct{ Message string } `json:"error"`
	}
	jsonErr := json.Unmarshal(raw, &reply)
	if reply.Message == "" {
		reply.Message = reply.Error.Message
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &ServerError{StatusCode: resp.StatusCode, Message: reply.Message, Problems: reply.Problems}
		if jsonErr != nil || e.Message == "" {
			e.Message = clipText(raw)
		}
		return nil, e
	}
	if jsonErr != nil {
		return nil, fmt.Errorf("server answered %d with something else than JSON: %s", resp.StatusCode, clipText(raw))
	}
	if reply.Status != "ok" {
		return nil, &ServerError{StatusCode: resp.StatusCode, Message: fmt.Sprintf("status %q: %s", reply.Status, reply.Message), Problems: reply.Problems}
	}
	return &reply.Reply, nil
}

// clipText makes a short one-line excerpt of a body for an error message.
func clipText(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "..."
	}
	return s
}
