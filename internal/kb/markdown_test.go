package kb

import (
	"strings"
	"testing"
)

func TestRenderSanitises(t *testing.T) {
	in := "# Imprimante\n\n" +
		"Redémarrez **le spouleur** :\n\n```\nnet stop spooler\n```\n\n" +
		"<script>alert('x')</script>\n\n" +
		`<img src="x.png" onerror="alert(1)">` + "\n\n" +
		"[piège](javascript:alert(1)) et [aide](https://example.org/aide)\n\n" +
		`<a href="JaVaScRiPt:alert(2)">lien</a> <iframe src="https://evil.example"></iframe>` + "\n\n" +
		`<p style="background:url(javascript:alert(3))" onclick="x()">styled</p> <kbd>Ctrl</kbd>` + "\n\n" +
		"| a | b |\n|---|---|\n| 1 | 2 |\n"
	out, err := Render(in)
	if err != nil {
		t.Fatal(err)
	}
	low := strings.ToLower(out)
	for _, bad := range []string{"<script", "alert(", "onerror", "onclick", "javascript:", "<iframe", "style="} {
		if strings.Contains(low, bad) {
			t.Errorf("%q survived:\n%s", bad, out)
		}
	}
	for _, good := range []string{"<h1", "<strong>le spouleur</strong>", "<code>net stop spooler", `href="https://example.org/aide"`, `rel="nofollow"`, "<kbd>Ctrl</kbd>", "<table>", `<img src="x.png"`} {
		if !strings.Contains(out, good) {
			t.Errorf("%q lost:\n%s", good, out)
		}
	}
	if got := PlainText("## Solution\n\nRedémarrer **le** service <script>x()</script>"); strings.Contains(got, "<") || !strings.Contains(got, "Redémarrer le service") {
		t.Errorf("plain text: %q", got)
	}
}
