package ingest

import (
	"strings"
	"testing"
)

// TestVersionsInNamesGoToTheVersion: a version number at the end of a name (and
// the architecture after it) goes to the version when the agent's version agrees
// or is missing; numbers that are part of a name stay.
func TestVersionsInNamesGoToTheVersion(t *testing.T) {
	for _, c := range []struct {
		name, version, arch       string
		wantName, wantVer, wantAr string
	}{
		{"7-Zip 23.01 (x64)", "", "", "7-Zip", "23.01", "x64"},
		{"7-Zip 22.01 (x64)", "22.01", "", "7-Zip", "22.01", "x64"},
		{"Mozilla Firefox 128.0 (x64 fr)", "128.0", "", "Mozilla Firefox", "128.0", "x64"},
		{"Mozilla Firefox 128.0.3 ESR", "128.0.3", "", "Mozilla Firefox 128.0.3 ESR", "128.0.3", ""},
		{"Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.36.32532", "14.36.32532.0", "", "Microsoft Visual C++ 2015-2022 Redistributable (x64)", "14.36.32532.0", ""},
		{"WinSCP 6.3.1", "", "amd64", "WinSCP", "6.3.1", "amd64"},
		{"Notepad++ v8.6.2", "8.6.2", "", "Notepad++", "8.6.2", ""},
		// The agent's version says otherwise: the number is the name's.
		{"Python 3.11 Launcher", "3.11.4150.0", "", "Python 3.11 Launcher", "3.11.4150.0", ""},
		{"Adobe Reader 9", "9.5", "", "Adobe Reader 9", "9.5", ""},
		{"Microsoft Office 2016", "16.0.4266", "", "Microsoft Office 2016", "16.0.4266", ""},
		{"Java 8 Update 391 1.8.0.3910", "9.1", "", "Java 8 Update 391 1.8.0.3910", "9.1", ""},
		// Debian packages: a number joined to the name is part of it.
		{"python3.11", "3.11.2-6", "amd64", "python3.11", "3.11.2-6", "amd64"},
		{"tcl8.6", "8.6.13", "", "tcl8.6", "8.6.13", ""},
		{"Acrobat Reader (64-bit)", "24.1", "", "Acrobat Reader (64-bit)", "24.1", ""},
	} {
		n, v, a := splitVersion(c.name, c.version, c.arch)
		if n != c.wantName || v != c.wantVer || a != c.wantAr {
			t.Errorf("%q %q %q: %q %q %q, want %q %q %q", c.name, c.version, c.arch, n, v, a, c.wantName, c.wantVer, c.wantAr)
		}
	}
}

// FuzzSplitVersion: the name never grows, never ends up empty, and a second pass
// over its own result with the version it gave changes nothing more than once
// more a trailing number.
func FuzzSplitVersion(f *testing.F) {
	for _, s := range []string{"7-Zip 23.01 (x64)", "a 1.2", "x - 1.2.3", " 1.1", "v1.2 1.3"} {
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, name, version string) {
		n, v, _ := splitVersion(name, version, "")
		if len(n) > len(name) || (name != "" && n == "") {
			t.Fatalf("%q -> %q", name, n)
		}
		if n != name && !strings.HasPrefix(name, n) {
			t.Fatalf("%q -> %q: not a prefix", name, n)
		}
		if version != "" && v != version {
			t.Fatalf("version %q replaced by %q", version, v)
		}
	})
}
