package mailgate

import (
	"mime"
	"strings"

	gomail "github.com/emersion/go-message/mail"
)

// automatic tells why a mail must not become a ticket or a follow-up: it was sent
// by a program (auto-reply, bounce, list) or by parc itself. Answering such mails
// is how two robots end up mailing each other forever.
func automatic(h gomail.Header, from string, own map[string]bool) string {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return "Auto-Submitted: " + v
	}
	switch p := strings.ToLower(strings.TrimSpace(h.Get("Precedence"))); p {
	case "bulk", "junk", "list", "auto_reply":
		return "Precedence: " + p
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Auto-Reply"} {
		if h.Get(k) != "" {
			return k
		}
	}
	if strings.TrimSpace(h.Get("Return-Path")) == "<>" {
		return "Return-Path: <>"
	}
	local, _, _ := strings.Cut(from, "@")
	switch local {
	case "mailer-daemon", "postmaster":
		return "From: " + from
	}
	if own[from] {
		return "From: parc's own address"
	}
	if h.Get("X-Parc-Ticket") != "" {
		return "a parc notification"
	}
	if t, params, err := mime.ParseMediaType(h.Get("Content-Type")); err == nil && t == "multipart/report" {
		return "delivery report (" + params["report-type"] + ")"
	}
	return ""
}
