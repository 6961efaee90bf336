package mailgate

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// sanitizer keeps what a user may write in a mail (text, links, lists, tables)
// and drops scripts, styles, event handlers and dangerous URLs.
var sanitizer = bluemonday.UGCPolicy()

// htmlToText sanitises an HTML body, then writes it as plain text: blocks and
// line breaks become new lines, links keep their address.
func htmlToText(src string) string {
	clean := sanitizer.Sanitize(src)
	doc, err := html.Parse(strings.NewReader(clean))
	if err != nil {
		return ""
	}
	var b bytes.Buffer
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(spaces.ReplaceAllString(n.Data, " "))
			return
		case html.ElementNode:
			switch n.Data {
			case "br":
				b.WriteByte('\n')
				return
			case "li":
				b.WriteString("\n- ")
			case "p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "table":
				b.WriteByte('\n')
			case "td", "th":
				b.WriteByte('\t')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre":
				b.WriteByte('\n')
			case "a":
				href := attr(n, "href")
				if href != "" && !strings.Contains(b.String(), href) {
					b.WriteString(" <" + href + ">")
				}
			}
		}
	}
	walk(doc)
	return tidy(b.String())
}

var (
	spaces     = regexp.MustCompile(`[ \t\r\n\f]+`)
	blankLines = regexp.MustCompile(`\n{3,}`)
)

// tidy trims each line and keeps at most one blank line in a row.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.TrimLeft(l, " "), " \t")
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}
