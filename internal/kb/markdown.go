package kb

import (
	"bytes"
	stdhtml "html"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// Raw HTML in the Markdown is passed on (technicians write <kbd> or <details>) and
// everything is then sanitised: the policy is the only guard, so it must hold alone.
var (
	md     = goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	policy = newPolicy()
)

// newPolicy is bluemonday's policy for user content plus the harmless elements
// technicians use in procedures.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy().RequireNoFollowOnLinks(true)
	p.AllowElements("kbd", "details", "summary", "mark")
	return p
}

// Render turns an article body into safe HTML: no scripts, event handlers, styles,
// frames or javascript: URLs.
func Render(markdown string) (string, error) {
	var b bytes.Buffer
	if err := md.Convert([]byte(markdown), &b); err != nil {
		return "", err
	}
	return policy.Sanitize(b.String()), nil
}

var strip = bluemonday.StrictPolicy()

// PlainText is an article body as words without markup, for search excerpts.
func PlainText(markdown string) string {
	h, err := Render(markdown)
	if err != nil {
		return markdown
	}
	return stdhtml.UnescapeString(strip.Sanitize(h))
}
