package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"parc/internal/storetest"
)

// TestReadmeAPIInTwoCalls runs the README's "API in two calls" as written, read
// from README.md itself, against `parc serve --demo`: the token command through
// parc's own entry point, each curl command as the HTTP request it sends (to the
// test server instead of localhost:8080). The README cannot drift from what parc
// does.
func TestReadmeAPIInTwoCalls(t *testing.T) {
	cmds := readmeCommands(t, "## API in two calls")
	if len(cmds) != 3 || !strings.HasPrefix(cmds[0], "TOKEN=$(parc ") {
		t.Fatalf("the README's example changed shape; update this test: %q", cmds)
	}
	storetest.EachStore(t, func(t *testing.T, kind string) {
		cfg := storetest.TestConfig(t, kind)
		t.Setenv("PARC_DATABASE_URL", cfg.DatabaseURL)
		data := cfg.DataDir
		if data == "" {
			data = t.TempDir()
		}
		t.Setenv("PARC_DATA", data)
		base := serveDemo(t)

		// TOKEN=$(parc token create --login admin)
		words := shellWords(t, strings.TrimSuffix(strings.TrimPrefix(cmds[0], "TOKEN=$("), ")"))
		var out, errOut bytes.Buffer
		if err := run(context.Background(), words[1:], strings.NewReader(""), &out, &errOut); err != nil {
			t.Fatalf("%s: %v %s", cmds[0], err, errOut.String())
		}
		vars := map[string]string{"TOKEN": strings.TrimSpace(out.String())}

		created := curl(t, base, cmds[1], vars)
		if created.status != http.StatusCreated || !strings.Contains(created.body, `"name":"PC-0042"`) {
			t.Fatalf("%s\n-> %d %s", cmds[1], created.status, created.body)
		}
		listed := curl(t, base, cmds[2], vars)
		if listed.status != http.StatusOK || !strings.Contains(listed.body, `"data":[{`) || !strings.Contains(listed.body, `"total":`) {
			t.Fatalf("%s\n-> %d %s", cmds[2], listed.status, listed.body)
		}
	})
}

// readmeCommands reads the first sh block after heading in README.md, one
// command per entry (continued lines joined).
func readmeCommands(t *testing.T, heading string) []string {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(raw), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no %q", heading)
	}
	_, block, ok := strings.Cut(after, "```sh\n")
	if !ok {
		t.Fatalf("no sh block under %q", heading)
	}
	block, _, _ = strings.Cut(block, "```")
	var cmds []string
	var cur string
	for _, line := range strings.Split(block, "\n") {
		line = strings.TrimSpace(line)
		if more, ok := strings.CutSuffix(line, "\\"); ok {
			cur += more
			continue
		}
		if cur += line; strings.TrimSpace(cur) != "" {
			cmds = append(cmds, strings.TrimSpace(cur))
		}
		cur = ""
	}
	return cmds
}

// shellWords splits a command as sh does for the README's simple commands:
// spaces, single and double quotes, $NAME in double quotes or bare words.
func shellWords(t *testing.T, cmd string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(cmd); i++ {
		switch c := cmd[i]; c {
		case ' ', '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case '\'':
			j := strings.IndexByte(cmd[i+1:], '\'')
			if j < 0 {
				t.Fatalf("unclosed quote in %q", cmd)
			}
			cur.WriteString(cmd[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case '"':
			j := strings.IndexByte(cmd[i+1:], '"')
			if j < 0 {
				t.Fatalf("unclosed quote in %q", cmd)
			}
			cur.WriteString(cmd[i+1 : i+1+j])
			i += j + 1
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

type answer struct {
	status int
	body   string
}

// curl sends what the curl command would: -H headers, -d data (a POST), the URL,
// with $NAME variables expanded and localhost:8080 replaced by base.
func curl(t *testing.T, base, cmd string, vars map[string]string) answer {
	t.Helper()
	for k, v := range vars {
		cmd = strings.ReplaceAll(cmd, "$"+k, v)
	}
	words := shellWords(t, cmd)
	if words[0] != "curl" {
		t.Fatalf("not a curl command: %q", cmd)
	}
	var headers [][2]string
	var data, target string
	for i := 1; i < len(words); i++ {
		switch words[i] {
		case "-H":
			i++
			k, v, _ := strings.Cut(words[i], ":")
			headers = append(headers, [2]string{k, strings.TrimSpace(v)})
		case "-d":
			i++
			data = words[i]
		default:
			if strings.HasPrefix(words[i], "-") {
				t.Fatalf("curl option %s unknown to this test", words[i])
			}
			target = words[i]
		}
	}
	target = strings.Replace(target, "http://localhost:8080", base, 1)
	method, body := "GET", io.Reader(nil)
	if data != "" {
		method, body = "POST", strings.NewReader(data)
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headers {
		req.Header.Set(h[0], h[1])
	}
	if data != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded") // curl's default
	}
	resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(raw)}
}

// serveDemo runs `parc serve --demo` on a free port until the test ends and
// returns its address.
func serveDemo(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	var base string
	lines := bufio.NewScanner(pr)
	for base == "" && lines.Scan() {
		if _, addr, ok := strings.Cut(lines.Text(), "listening on "); ok {
			base = addr
		}
	}
	go io.Copy(io.Discard, pr)
	if base == "" {
		t.Fatal("serve printed no address")
	}
	return base
}
