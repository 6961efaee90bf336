// Package ldaptest starts a private OpenLDAP server (Debian's slapd) for tests:
// a generated configuration and database on a loopback port, with people
// (alice, bob, carol: staff; mallory: a contractor, outside the usual filter),
// a group "support" (alice and bob) and a bind account cn=reader.
package ldaptest

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"parc/internal/mailtest"
)

// Server is a private OpenLDAP server the test starts on a loopback port.
type Server struct {
	URL string
	// LDAPSURL is the same server over TLS (ldaps://), whose certificate, for
	// 127.0.0.1, a private authority (CAPEM) signed; URL offers StartTLS with it.
	LDAPSURL string
	CAPEM    string
	RootDN   string
	RootPW   string
}

// Base is the directory's suffix.
const Base = "dc=example,dc=org"

// Start writes a configuration and a database (people, groups, a reader
// account and one person outside the user filter) and starts slapd on them. It
// skips without slapd, unless CI is set.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := "/usr/sbin/slapd"
	if _, err := os.Stat(bin); err != nil {
		if p, lerr := exec.LookPath("slapd"); lerr == nil {
			bin = p
		} else {
			if os.Getenv("CI") != "" {
				t.Fatal("slapd is not installed (Debian package slapd)")
			}
			t.Skip("slapd is not installed")
		}
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	if err := os.Mkdir(db, 0o700); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(`include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile %[1]s/slapd.pid
TLSCACertificateFile %[1]s/ca.pem
TLSCertificateFile %[1]s/server.pem
TLSCertificateKeyFile %[1]s/server.key
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
database mdb
maxsize 104857600
suffix "%[2]s"
rootdn "cn=admin,%[2]s"
rootpw admin-secret
directory %[3]s
`, dir, Base, db)
	cert := mailtest.NewCert(t)
	for name, b := range map[string][]byte{"ca.pem": cert.CAPEM, "server.pem": cert.CertPEM, "server.key": cert.KeyPEM} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	confPath := filepath.Join(dir, "slapd.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	person := func(uid, first, last, kind, pw string) string {
		return fmt.Sprintf(`dn: uid=%[1]s,ou=people,%[6]s
objectClass: inetOrgPerson
uid: %[1]s
givenName: %[2]s
sn: %[3]s
cn: %[2]s %[3]s
mail: %[1]s@example.org
telephoneNumber: +33 1 23 45 67 89
title: Engineer
employeeType: %[4]s
userPassword: %[5]s

`, uid, first, last, kind, pw, Base)
	}
	ldif := fmt.Sprintf(`dn: %[1]s
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,%[1]s
objectClass: organizationalUnit
ou: people

dn: ou=groups,%[1]s
objectClass: organizationalUnit
ou: groups

dn: cn=reader,%[1]s
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: reader
userPassword: reader-secret

`, Base) + person("alice", "Alice", "Martin", "staff", "alice-pw") + person("bob", "Bob", "Durand", "staff", "bob-pw") +
		person("carol", "Carol", "Petit", "staff", "carol-pw") + person("mallory", "Mallory", "Outside", "contractor", "mallory-pw") +
		fmt.Sprintf(`dn: cn=support,ou=groups,%[1]s
objectClass: groupOfNames
cn: support
description: Support team
member: uid=alice,ou=people,%[1]s
member: uid=bob,ou=people,%[1]s

`, Base)
	ldifPath := filepath.Join(dir, "data.ldif")
	if err := os.WriteFile(ldifPath, []byte(ldif), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(filepath.Join(filepath.Dir(bin), "slapadd"), "-f", confPath, "-l", ldifPath).CombinedOutput(); err != nil {
		t.Fatalf("slapadd: %v\n%s", err, out)
	}
	addrs := make([]string, 2)
	var listeners []net.Listener
	for i := range addrs {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addrs[i] = l.Addr().String()
		listeners = append(listeners, l)
	}
	u, us := "ldap://"+addrs[0], "ldaps://"+addrs[1]
	for _, l := range listeners {
		l.Close()
	}
	cmd := exec.Command(bin, "-d", "0", "-f", confPath, "-h", u+"/ "+us+"/")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; ; i++ {
		c, err := ldap.DialURL(u)
		if err == nil {
			c.Close()
			break
		}
		if i > 100 {
			t.Fatalf("slapd did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return &Server{URL: u, LDAPSURL: us, CAPEM: string(cert.CAPEM), RootDN: "cn=admin," + Base, RootPW: "admin-secret"}
}

// Root runs fn on a connection bound as the directory's administrator.
func (s *Server) Root(t testing.TB, fn func(c *ldap.Conn) error) {
	t.Helper()
	c, err := ldap.DialURL(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Bind(s.RootDN, s.RootPW); err != nil {
		t.Fatal(err)
	}
	if err := fn(c); err != nil {
		t.Fatal(err)
	}
}
