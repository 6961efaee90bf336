package mail

import "github.com/emersion/go-smtp"

// Dial opens an SMTP connection as the sender does, for the TLS tests.
func Dial(c *SMTPConfig) (*smtp.Client, error) { return c.dial() }
