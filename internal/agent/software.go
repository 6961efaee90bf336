package agent

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"parc/internal/inventory"
)

// dpkgPackage is one installed package of /var/lib/dpkg/status.
type dpkgPackage struct {
	Name, Version, Arch, Maintainer, Section, Homepage, Summary string
	SizeKB                                                      int64
}

// parseDpkgStatus reads the installed packages of a dpkg status file: paragraphs of
// "Field: value" lines, continuation lines starting with a blank. Only packages whose
// Status ends in "installed" count (not config-files, half-installed...).
func parseDpkgStatus(data []byte) ([]dpkgPackage, error) {
	var out []dpkgPackage
	var cur dpkgPackage
	var status string
	flush := func() {
		if cur.Name != "" && strings.HasSuffix(status, " installed") {
			out = append(out, cur)
		}
		cur, status = dpkgPackage{}, ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 256<<10), 4<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // continuation of a multi-line field: parc keeps first lines only
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "Package":
			cur.Name = v
		case "Status":
			status = v
		case "Version":
			cur.Version = v
		case "Architecture":
			cur.Arch = v
		case "Maintainer":
			cur.Maintainer = v
		case "Section":
			cur.Section = v
		case "Homepage":
			cur.Homepage = v
		case "Description":
			cur.Summary = v
		case "Installed-Size":
			cur.SizeKB, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("dpkg status: %w", err)
	}
	flush()
	return out, nil
}

// publisher turns a maintainer "Name <address>" into "Name".
func publisher(maintainer string) string {
	if i := strings.IndexByte(maintainer, '<'); i >= 0 {
		maintainer = maintainer[:i]
	}
	return strings.TrimSpace(maintainer)
}

// readDpkg reads the packages of the dpkg database under root. The install date is the
// modification time of the package's file list (info/NAME.list or info/NAME:ARCH.list
// for multi-arch packages), which dpkg rewrites when it installs or upgrades the
// package: it is the date of the last install or upgrade, as other agents report.
func readDpkg(root string) ([]inventory.Software, error) {
	admin := filepath.Join(root, "var/lib/dpkg")
	data, err := readFile(filepath.Join(admin, "status"))
	if err != nil {
		return nil, err
	}
	pkgs, err := parseDpkgStatus(data)
	if err != nil {
		return nil, err
	}
	out := make([]inventory.Software, 0, len(pkgs))
	for _, p := range pkgs {
		s := inventory.Software{
			Name:      p.Name,
			Version:   p.Version,
			Arch:      p.Arch,
			Publisher: publisher(p.Maintainer),
			Source:    "deb",
			Category:  p.Section,
			URL:       p.Homepage,
			Comments:  p.Summary,
			SizeBytes: p.SizeKB * 1024,
		}
		for _, name := range []string{p.Name + ":" + p.Arch + ".list", p.Name + ".list"} {
			if fi, err := os.Stat(filepath.Join(admin, "info", name)); err == nil {
				s.InstallDate = date(fi.ModTime())
				break
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// rpmQueryFormat is the --queryformat of `rpm -qa`: one tab-separated line per package.
const rpmQueryFormat = `%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{VENDOR}\t%{INSTALLTIME}\t%{SIZE}\t%{URL}\t%{SUMMARY}\n`

// parseRPM reads the output of `rpm -qa --queryformat rpmQueryFormat`.
func parseRPM(out []byte) []inventory.Software {
	var list []inventory.Software
	none := func(s string) string {
		if s == "(none)" {
			return ""
		}
		return s
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 10 || f[0] == "" || f[0] == "gpg-pubkey" {
			continue
		}
		v := f[2]
		if rel := none(f[3]); rel != "" {
			v += "-" + rel
		}
		if ep := none(f[1]); ep != "" && ep != "0" {
			v = ep + ":" + v
		}
		s := inventory.Software{
			Name:      f[0],
			Version:   v,
			Arch:      none(f[4]),
			Publisher: none(f[5]),
			Source:    "rpm",
			URL:       none(f[8]),
			Comments:  none(f[9]),
		}
		if t, err := strconv.ParseInt(f[6], 10, 64); err == nil && t > 0 {
			s.InstallDate = date(time.Unix(t, 0))
		}
		s.SizeBytes, _ = strconv.ParseInt(f[7], 10, 64)
		list = append(list, s)
	}
	return list
}

// flatpakColumns are the columns asked of `flatpak list`.
const flatpakColumns = "application,name,version,branch,arch,origin"

// parseFlatpak reads `flatpak list --app --columns=application,name,version,branch,arch,origin`
// (tab-separated, no header when not on a terminal).
func parseFlatpak(out []byte) []inventory.Software {
	var list []inventory.Software
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 6 || f[0] == "" || f[0] == "Application ID" {
			continue
		}
		name := f[1]
		if name == "" {
			name = f[0]
		}
		v := f[2]
		if v == "" {
			v = f[3]
		}
		list = append(list, inventory.Software{
			Name: name, Version: v, Arch: f[4], Publisher: f[5], Source: "flatpak", GUID: f[0],
		})
	}
	return list
}

// parseSnap reads `snap list`: a header then columns separated by blanks (Name Version
// Rev Tracking Publisher Notes); publishers carry a "✓" or "*" when verified.
func parseSnap(out []byte) []inventory.Software {
	var list []inventory.Software
	for i, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if i == 0 || len(f) < 5 {
			continue
		}
		pub := strings.TrimRight(f[4], "✓*")
		if pub == "-" {
			pub = ""
		}
		list = append(list, inventory.Software{Name: f[0], Version: f[1], Publisher: pub, Source: "snap"})
	}
	return list
}

// parseAPK reads Alpine's /lib/apk/db/installed: one paragraph per package of
// "X:value" lines (P name, V version, A arch, m maintainer, U url, T description,
// I installed size). apk records no install date.
func parseAPK(data []byte) []inventory.Software {
	var list []inventory.Software
	var cur inventory.Software
	flush := func() {
		if cur.Name != "" {
			cur.Source = "apk"
			list = append(list, cur)
		}
		cur = inventory.Software{}
	}
	for _, line := range strings.Split(string(data), "\n") {
		if len(line) < 2 || line[1] != ':' {
			if strings.TrimSpace(line) == "" {
				flush()
			}
			continue
		}
		v := line[2:]
		switch line[0] {
		case 'P':
			cur.Name = v
		case 'V':
			cur.Version = v
		case 'A':
			cur.Arch = v
		case 'm':
			cur.Publisher = publisher(v)
		case 'U':
			cur.URL = v
		case 'T':
			cur.Comments = v
		case 'I':
			cur.SizeBytes, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	flush()
	return list
}

// readPacman reads Arch Linux's local database: one directory per package holding a
// "desc" file of "%FIELD%" headers each followed by value lines.
func readPacman(dir string) ([]inventory.Software, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var list []inventory.Software
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		data, err := readFile(filepath.Join(dir, e.Name(), "desc"))
		if err != nil {
			continue
		}
		fields := map[string]string{}
		var key string
		for _, line := range strings.Split(string(data), "\n") {
			switch {
			case strings.HasPrefix(line, "%") && strings.HasSuffix(line, "%"):
				key = strings.Trim(line, "%")
			case line != "" && key != "" && fields[key] == "":
				fields[key] = line
			}
		}
		if fields["NAME"] == "" {
			continue
		}
		s := inventory.Software{
			Name: fields["NAME"], Version: fields["VERSION"], Arch: fields["ARCH"],
			Publisher: publisher(fields["PACKAGER"]), URL: fields["URL"], Comments: fields["DESC"],
			Source: "pacman",
		}
		if t, err := strconv.ParseInt(fields["INSTALLDATE"], 10, 64); err == nil && t > 0 {
			s.InstallDate = date(time.Unix(t, 0))
		}
		s.SizeBytes, _ = strconv.ParseInt(fields["SIZE"], 10, 64)
		list = append(list, s)
	}
	return list, nil
}
