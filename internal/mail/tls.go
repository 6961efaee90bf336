package mail

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// CAFileVar names the setting that adds a private certificate authority to the
// system's, for the SMTP relay and the IMAP mailboxes alike.
const CAFileVar = "PARC_MAIL_CA_FILE"

// LoadCAFile gives the system's trusted authorities plus the PEM certificates of
// path. An unreadable file or one without a certificate is an error rather than
// a silent fallback to the system's alone.
func LoadCAFile(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", CAFileVar, err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: %s holds no PEM certificate", CAFileVar, path)
	}
	return pool, nil
}

// ClientTLS is how parc secures a connection to a mail server: the server's
// certificate must be valid for host and signed by an authority of roots (nil:
// the system's). There is no way to skip the verification.
func ClientTLS(host string, roots *x509.CertPool) *tls.Config {
	return &tls.Config{ServerName: host, RootCAs: roots, MinVersion: tls.VersionTLS12}
}

// ExplainTLS adds to a certificate signed by an unknown authority what to do
// about it; other errors are returned as they are.
func ExplainTLS(err error) error {
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		return fmt.Errorf("%w (if the server's certificate comes from your own authority, give that authority's certificate in %s)", err, CAFileVar)
	}
	return err
}
