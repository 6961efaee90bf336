// Package mailtest starts the mail servers that tests of the mail gateway and of
// the notifications talk to: a private Dovecot, and certificates of a private
// authority for their TLS.
package mailtest

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Password is every Dovecot user's password.
const Password = "secret"

// Required: in CI (or with PARC_MAIL_TESTS=1) a missing dovecot fails the test
// instead of skipping it.
func Required() bool { return os.Getenv("PARC_MAIL_TESTS") == "1" || os.Getenv("CI") != "" }

// Dovecot is a private IMAP server started for one test.
type Dovecot struct {
	// Addr is the IMAP port: plain text, with STARTTLS offered when the server
	// has a certificate.
	Addr string
	// TLSAddr is the IMAPS port (TLS from the first byte), with a certificate only.
	TLSAddr string
	dir     string
}

// StartDovecot runs Debian's dovecot on a loopback port with a throw-away
// configuration: any user name logs in with Password and gets a maildir of
// their own. It runs unprivileged when the test does; as root it runs its
// login and mail processes as Debian's dovenull and dovecot users, since
// dovecot refuses to serve mail as root.
func StartDovecot(t testing.TB) *Dovecot { return startDovecot(t, nil) }

// StartDovecotTLS is StartDovecot with the server certificate of c: STARTTLS on
// Addr and implicit TLS on TLSAddr.
func StartDovecotTLS(t testing.TB, c *Cert) *Dovecot { return startDovecot(t, c) }

func startDovecot(t testing.TB, cert *Cert) *Dovecot {
	t.Helper()
	bin, err := exec.LookPath("dovecot")
	if err != nil {
		bin = "/usr/sbin/dovecot"
		if _, err := os.Stat(bin); err != nil {
			if Required() {
				t.Fatal("dovecot is not installed (apt-get install dovecot-imapd): the mail gateway tests must run here")
			}
			t.Skip("dovecot is not installed (apt-get install dovecot-imapd); set PARC_MAIL_TESTS=1 to make this a failure")
		}
	}
	// Not t.TempDir: the mail processes run as another user when the test is root
	// and must be able to reach their home through every parent directory.
	dir, err := os.MkdirTemp("", "parc-dovecot-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	home := filepath.Join(dir, "home")
	os.Mkdir(home, 0o755)

	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	grp, _ := user.LookupGroupId(me.Gid)
	loginUser, internalUser, internalGroup, mailUser, mailGroup := me.Username, me.Username, grp.Name, me.Uid, me.Gid
	if os.Geteuid() == 0 {
		dv, err := user.Lookup("dovecot")
		if err != nil {
			t.Fatalf("running as root needs Debian's dovecot user: %v", err)
		}
		loginUser, internalUser, internalGroup, mailUser, mailGroup = "dovenull", "dovecot", "dovecot", dv.Uid, dv.Gid
		uid, _ := strconv.Atoi(dv.Uid)
		gid, _ := strconv.Atoi(dv.Gid)
		os.Chown(home, uid, gid)
	}
	ports := freePorts(t, 2)
	// Without a certificate the IMAPS listener is off (port 0). Dovecot reads the
	// certificate and key files itself, as the user starting it.
	ssl, imaps := "ssl = no", "port = 0"
	d := &Dovecot{Addr: fmt.Sprintf("127.0.0.1:%d", ports[0]), dir: dir}
	if cert != nil {
		certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
		if err := os.WriteFile(certFile, cert.CertPEM, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(keyFile, cert.KeyPEM, 0o600); err != nil {
			t.Fatal(err)
		}
		ssl = fmt.Sprintf("ssl = yes\nssl_cert = <%s\nssl_key = <%s", certFile, keyFile)
		imaps = fmt.Sprintf("address = 127.0.0.1\n    port = %d\n    ssl = yes", ports[1])
		d.TLSAddr = fmt.Sprintf("127.0.0.1:%d", ports[1])
	}
	conf := filepath.Join(dir, "dovecot.conf")
	cfg := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
instance_name = parc-test-%[2]d
protocols = imap
listen = 127.0.0.1
%[8]s
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = %[3]s
default_internal_user = %[4]s
default_internal_group = %[5]s
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:%[1]s/home/%%u/Maildir
passdb {
  driver = static
  args = password=%[10]s
}
userdb {
  driver = static
  args = uid=%[6]s gid=%[7]s home=%[1]s/home/%%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    %[9]s
  }
}
service anvil {
  chroot =
}
service stats {
  chroot =
}
`, dir, ports[0], loginUser, internalUser, internalGroup, mailUser, mailGroup, ssl, imaps, Password)
	if err := os.WriteFile(conf, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-F", "-c", conf)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dovecot: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	for _, addr := range []string{d.Addr, d.TLSAddr} {
		if addr != "" {
			d.waitFor(t, addr)
		}
	}
	return d
}

// freePorts finds n loopback ports free at the same time.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var out []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		out = append(out, l.Addr().(*net.TCPAddr).Port)
	}
	return out
}

func (d *Dovecot) waitFor(t testing.TB, addr string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(d.dir, "dovecot.log"))
			t.Fatalf("dovecot did not start on %s: %v\n%s", addr, err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// URL is a user's inbox as PARC_IMAP_URL gives it, over plain IMAP.
func (d *Dovecot) URL(user string) string {
	u := url.URL{Scheme: "imap", User: url.UserPassword(user, Password), Host: d.Addr, Path: "/INBOX", RawQuery: "starttls=off"}
	return u.String()
}

// login connects to a user's account in plain text, as a delivery agent on the
// same host would.
func (d *Dovecot) login(t testing.TB, user string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(d.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(user, Password).Wait(); err != nil {
		c.Close()
		t.Fatalf("IMAP login as %s: %v", user, err)
	}
	return c
}

// Deliver appends mails to a user's inbox, unseen, as a delivery agent would.
func (d *Dovecot) Deliver(t testing.TB, user string, mails ...string) {
	t.Helper()
	c := d.login(t, user)
	defer c.Close()
	for _, m := range mails {
		m = strings.ReplaceAll(strings.ReplaceAll(m, "\r\n", "\n"), "\n", "\r\n")
		cmd := c.Append("INBOX", int64(len(m)), nil)
		if _, err := cmd.Write([]byte(m)); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatalf("append: %v", err)
		}
	}
}

// Unseen counts the mails of a user's inbox not yet marked \Seen.
func (d *Dovecot) Unseen(t testing.TB, user string) int {
	t.Helper()
	c := d.login(t, user)
	defer c.Close()
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	res, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return len(res.AllUIDs())
}
