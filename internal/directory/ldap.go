package directory

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// conf is what a connection needs of a directory record.
type conf struct {
	ID         int64
	OrgID      int64
	Name       string
	URL        string
	StartTLS   bool
	CAPEM      string
	BindDN     string
	BindPW     string
	BaseDN     string
	UserFilter string
	GroupFilt  string
	Attr       map[string]string // field -> attribute: login, firstname, lastname, email, phone, title, member
	Enabled    bool
}

// Timeout bounds a connection and each operation on it.
var Timeout = 10 * time.Second

// dial connects to the directory (TLS for ldaps, StartTLS when asked), checking
// the server's certificate against the private authority given, else the system's.
func (c *conf) dial() (*ldap.Conn, error) {
	u, err := url.Parse(c.URL)
	if err != nil {
		return nil, err
	}
	host := u.Hostname()
	cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if strings.TrimSpace(c.CAPEM) != "" {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(c.CAPEM)) {
			return nil, fmt.Errorf("the certificate authority given cannot be read")
		}
		cfg.RootCAs = pool
	}
	conn, err := ldap.DialURL(c.URL, ldap.DialWithTLSConfig(cfg), ldap.DialWithDialer(&net.Dialer{Timeout: Timeout}))
	if err != nil {
		return nil, err
	}
	conn.SetTimeout(Timeout)
	if c.StartTLS && u.Scheme == "ldap" {
		if err := conn.StartTLS(cfg); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

// bindService binds as the directory's bind account (anonymous without one).
func (c *conf) bindService(conn *ldap.Conn) error {
	if c.BindDN == "" {
		return conn.UnauthenticatedBind("")
	}
	return conn.Bind(c.BindDN, c.BindPW)
}

// entry is a user or group the directory answered.
type entry struct {
	DN    string
	Attrs map[string][]string
}

func (e entry) first(attr string) string {
	if attr == "" {
		return ""
	}
	for k, v := range e.Attrs {
		if strings.EqualFold(k, attr) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func (e entry) all(attr string) []string {
	for k, v := range e.Attrs {
		if strings.EqualFold(k, attr) {
			return v
		}
	}
	return nil
}

// search runs filter under the base DN (the whole subtree), by pages.
func (c *conf) search(conn *ldap.Conn, base string, scope int, filter string, attrs []string) ([]entry, error) {
	req := ldap.NewSearchRequest(base, scope, ldap.NeverDerefAliases, 0, int(Timeout/time.Second), false, filter, attrs, nil)
	res, err := conn.SearchWithPaging(req, 500)
	if err != nil {
		return nil, err
	}
	out := make([]entry, 0, len(res.Entries))
	for _, e := range res.Entries {
		m := map[string][]string{}
		for _, a := range e.Attributes {
			m[a.Name] = a.Values
		}
		out = append(out, entry{DN: e.DN, Attrs: m})
	}
	return out, nil
}

func (c *conf) userAttrs() []string {
	var out []string
	for _, k := range []string{"login", "firstname", "lastname", "email", "phone", "title"} {
		if a := c.Attr[k]; a != "" {
			out = append(out, a)
		}
	}
	return out
}

// users are the directory's users its filter matches.
func (c *conf) users(conn *ldap.Conn) ([]entry, error) {
	return c.search(conn, c.BaseDN, ldap.ScopeWholeSubtree, c.UserFilter, c.userAttrs())
}

// groups are the directory's groups its group filter matches (none without one).
func (c *conf) groups(conn *ldap.Conn) ([]entry, error) {
	if strings.TrimSpace(c.GroupFilt) == "" {
		return nil, nil
	}
	member := c.Attr["member"]
	if member == "" {
		member = "member"
	}
	return c.search(conn, c.BaseDN, ldap.ScopeWholeSubtree, c.GroupFilt, []string{"cn", "description", member})
}

// authenticate binds as dn with password, then checks, as the directory's bind
// account, that the entry still matches the user filter.
func (c *conf) authenticate(dn, password string) (bool, error) {
	if password == "" || dn == "" {
		return false, nil
	}
	conn, err := c.dial()
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if err := conn.Bind(dn, password); err != nil {
		if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
			return false, nil
		}
		return false, err
	}
	if err := c.bindService(conn); err != nil {
		return false, err
	}
	found, err := c.search(conn, dn, ldap.ScopeBaseObject, c.UserFilter, []string{"1.1"})
	if err != nil {
		if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
			return false, nil
		}
		return false, err
	}
	return len(found) == 1, nil
}
