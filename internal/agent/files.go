package agent

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"
)

// maxFileSize caps what one read of a /proc, /sys or /etc file takes: they are small,
// and a cap keeps a broken or hostile tree from costing much memory.
const maxFileSize = 64 << 20

// readFile reads a whole file, capped at maxFileSize.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(&capReader{f, maxFileSize})
	return b.Bytes(), err
}

type capReader struct {
	f    *os.File
	left int64
}

func (r *capReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, errors.New("file larger than the read cap")
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.f.Read(p)
	r.left -= int64(n)
	return n, err
}

// readString reads a small text file (a /sys attribute) with surrounding white space
// trimmed. Missing files give "" and a nil error; other errors (permission) are
// returned.
func readString(path string) (string, error) {
	b, err := readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(bytes.TrimRight(b, "\x00"))), nil
}

// value reads a /sys attribute, ignoring every error (for optional facts).
func value(path string) string {
	s, _ := readString(path)
	return s
}

// intValue reads a /sys attribute as an integer; 0 and false when missing or invalid.
func intValue(path string) (int64, bool) {
	s := value(path)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 0, 64)
	return n, err == nil
}

// exists reports whether path exists (following symbolic links).
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// keyValues parses "KEY=value" lines (os-release: values may be quoted) into a map.
func keyValues(data []byte) map[string]string {
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		m[strings.TrimSpace(k)] = unquote(strings.TrimSpace(v))
	}
	return m
}

// unquote removes the shell quoting os-release allows: "..." or '...' with backslash
// escapes inside double quotes.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		q := v[0]
		v = v[1 : len(v)-1]
		if q == '"' {
			var b strings.Builder
			for i := 0; i < len(v); i++ {
				if v[i] == '\\' && i+1 < len(v) {
					i++
				}
				b.WriteByte(v[i])
			}
			v = b.String()
		}
	}
	return v
}

// colonFields parses "key : value" lines (/proc/cpuinfo, /proc/meminfo) of one block.
func colonFields(block string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(block, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m
}

// dateTime formats a time as the model's date-time ("2006-01-02 15:04:05", local time).
func dateTime(t time.Time) string { return t.Format("2006-01-02 15:04:05") }

// date formats a time as the model's date.
func date(t time.Time) string { return t.Format("2006-01-02") }

// cleanString trims a firmware string and drops the blanks and NULs vendors pad with.
func cleanString(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
