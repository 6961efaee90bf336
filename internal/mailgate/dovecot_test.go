package mailgate

import (
	"fmt"
	"net"
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
)

// mailTestsRequired: in CI (or with PARC_MAIL_TESTS=1) a missing dovecot fails the
// test instead of skipping it.
func mailTestsRequired() bool { return os.Getenv("PARC_MAIL_TESTS") == "1" || os.Getenv("CI") != "" }

// dovecot is a private IMAP server started for one test.
type dovecot struct {
	Addr string
	dir  string
}

// startDovecot runs Debian's dovecot on a loopback port with a throw-away
// configuration: any user name logs in with the password "secret" and gets a
// maildir of their own. It runs unprivileged when the test does; as root it
// runs its login and mail processes as Debian's dovenull and dovecot users,
// since dovecot refuses to serve mail as root.
func startDovecot(t *testing.T) *dovecot {
	t.Helper()
	bin, err := exec.LookPath("dovecot")
	if err != nil {
		bin = "/usr/sbin/dovecot"
		if _, err := os.Stat(bin); err != nil {
			if mailTestsRequired() {
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
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	conf := filepath.Join(dir, "dovecot.conf")
	cfg := fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
instance_name = parc-test-%[2]d
protocols = imap
listen = 127.0.0.1
ssl = no
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
  args = password=secret
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
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  chroot =
}
`, dir, port, loginUser, internalUser, internalGroup, mailUser, mailGroup)
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
	d := &dovecot{Addr: fmt.Sprintf("127.0.0.1:%d", port), dir: dir}
	for deadline := time.Now().Add(15 * time.Second); ; {
		c, err := net.DialTimeout("tcp", d.Addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Fatalf("dovecot did not start on %s: %v\n%s", d.Addr, err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return d
}

// Mailbox gives the gateway's view of a user's inbox.
func (d *dovecot) Mailbox(user string) Mailbox {
	host, port, _ := net.SplitHostPort(d.Addr)
	return Mailbox{Addr: net.JoinHostPort(host, port), Host: host, User: user, Pass: "secret", Folder: "INBOX", TLS: "off"}
}

// Deliver appends mails to a user's inbox, unseen, as a delivery agent would.
func (d *dovecot) Deliver(t *testing.T, user string, mails ...string) {
	t.Helper()
	c, err := d.Mailbox(user).dial()
	if err != nil {
		t.Fatal(err)
	}
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
func (d *dovecot) Unseen(t *testing.T, user string) int {
	t.Helper()
	c, err := d.Mailbox(user).dial()
	if err != nil {
		t.Fatal(err)
	}
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
