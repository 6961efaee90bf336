package agent

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

const dpkgStatus = `Package: dpkg
Essential: yes
Status: install ok installed
Priority: required
Section: admin
Installed-Size: 6508
Maintainer: Dpkg Developers <debian-dpkg@lists.debian.org>
Architecture: amd64
Multi-Arch: foreign
Version: 1.21.22
Description: Debian package management system
 This package provides the low-level infrastructure for handling the
 installation and removal of Debian software packages.
Homepage: https://wiki.debian.org/Teams/Dpkg

Package: libc6
Status: install ok installed
Section: libs
Installed-Size: 12987
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u10
Description: GNU C Library: Shared libraries

Package: oldpkg
Status: deinstall ok config-files
Architecture: all
Version: 1.0

Package: vim
Status: hold ok installed
Architecture: amd64
Version: 2:9.0.1378-2
Maintainer: Debian Vim Maintainers <team+vim@tracker.debian.org>
Description: Vi IMproved - enhanced vi editor
`

func TestReadDpkg(t *testing.T) {
	root := t.TempDir()
	info := filepath.Join(root, "var/lib/dpkg/info")
	if err := os.MkdirAll(info, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "var/lib/dpkg/status"), []byte(dpkgStatus), 0o644)
	when := map[string]time.Time{
		"dpkg.list":           time.Date(2024, 3, 1, 10, 0, 0, 0, time.Local),
		"libc6:amd64.list":    time.Date(2025, 6, 24, 10, 0, 0, 0, time.Local),
		"vim.list":            time.Date(2023, 1, 2, 10, 0, 0, 0, time.Local),
		"oldpkg.list":         time.Date(2020, 1, 1, 0, 0, 0, 0, time.Local),
		"libc6:amd64.md5sums": time.Date(2020, 1, 1, 0, 0, 0, 0, time.Local),
	}
	for name, tm := range when {
		p := filepath.Join(info, name)
		os.WriteFile(p, nil, 0o644)
		os.Chtimes(p, tm, tm)
	}
	list, err := readDpkg(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 {
		t.Fatalf("%d packages: %+v", len(list), list)
	}
	d := list[0]
	if d.Name != "dpkg" || d.Version != "1.21.22" || d.Arch != "amd64" || d.Publisher != "Dpkg Developers" ||
		d.InstallDate != "2024-03-01" || d.Source != "deb" || d.Category != "admin" || d.SizeBytes != 6508*1024 ||
		d.Comments != "Debian package management system" || d.URL != "https://wiki.debian.org/Teams/Dpkg" {
		t.Fatalf("dpkg: %+v", d)
	}
	if list[1].Name != "libc6" || list[1].InstallDate != "2025-06-24" {
		t.Fatalf("multi-arch package: %+v", list[1])
	}
	if list[2].Name != "vim" || list[2].Version != "2:9.0.1378-2" || list[2].InstallDate != "2023-01-02" {
		t.Fatalf("held package: %+v", list[2])
	}
	if _, err := readDpkg(t.TempDir()); err == nil {
		t.Fatal("a missing status file is not an error")
	}
}

func TestParsePackageCommands(t *testing.T) {
	rpm := "bash\t(none)\t5.2.26\t3.fc40\tx86_64\tFedora Project\t1717000000\t8112345\thttps://www.gnu.org/software/bash\tThe GNU Bourne Again shell\n" +
		"gpg-pubkey\t(none)\ta15b79cc\t63d04c2c\t(none)\t(none)\t1717000000\t0\t(none)\tgpg(Fedora)\n" +
		"perl-Time-Local\t2\t1.350\t5.fc40\tnoarch\tFedora Project\t1717000001\t70000\t(none)\tTime::Local\n"
	r := parseRPM([]byte(rpm))
	if len(r) != 2 || r[0].Name != "bash" || r[0].Version != "5.2.26-3.fc40" || r[0].Publisher != "Fedora Project" ||
		r[0].InstallDate != time.Unix(1717000000, 0).Format("2006-01-02") || r[0].SizeBytes != 8112345 || r[0].Source != "rpm" ||
		r[1].Version != "2:1.350-5.fc40" || r[1].URL != "" {
		t.Fatalf("rpm: %+v", r)
	}
	fp := parseFlatpak([]byte("org.mozilla.firefox\tFirefox\t128.0\tstable\tx86_64\tflathub\norg.gimp.GIMP\t\t\tstable\tx86_64\tflathub\n"))
	if len(fp) != 2 || fp[0].Name != "Firefox" || fp[0].Version != "128.0" || fp[0].GUID != "org.mozilla.firefox" ||
		fp[1].Name != "org.gimp.GIMP" || fp[1].Version != "stable" || fp[1].Source != "flatpak" {
		t.Fatalf("flatpak: %+v", fp)
	}
	snap := parseSnap([]byte("Name      Version    Rev    Tracking       Publisher   Notes\ncore22    20240111   1122   latest/stable  canonical✓  base\nmy-tool   1.0        3      latest/edge    -           devmode\n"))
	if len(snap) != 2 || snap[0].Name != "core22" || snap[0].Publisher != "canonical" || snap[1].Publisher != "" || snap[1].Source != "snap" {
		t.Fatalf("snap: %+v", snap)
	}
	apk := parseAPK([]byte("C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nI:622592\nT:the musl c library\nU:https://musl.libc.org/\nm:Timo Teräs <timo.teras@iki.fi>\n\nP:busybox\nV:1.36.1-r5\nA:x86_64\n"))
	if len(apk) != 2 || apk[0].Name != "musl" || apk[0].Publisher != "Timo Teräs" || apk[0].SizeBytes != 622592 || apk[1].Version != "1.36.1-r5" {
		t.Fatalf("apk: %+v", apk)
	}
}

func TestReadPacman(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "bash-5.2.015-1"), 0o755)
	os.WriteFile(filepath.Join(dir, "ALPM_DB_VERSION"), []byte("9\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bash-5.2.015-1", "desc"), []byte("%NAME%\nbash\n\n%VERSION%\n5.2.015-1\n\n%DESC%\nThe GNU Bourne Again shell\n\n%ARCH%\nx86_64\n\n%INSTALLDATE%\n1672000000\n\n%PACKAGER%\nFelix Yan <felixonmars@archlinux.org>\n\n%SIZE%\n9000000\n"), 0o644)
	list, err := readPacman(dir)
	if err != nil || len(list) != 1 {
		t.Fatalf("%v %+v", err, list)
	}
	p := list[0]
	if p.Name != "bash" || p.Version != "5.2.015-1" || p.Arch != "x86_64" || p.Publisher != "Felix Yan" ||
		p.InstallDate != time.Unix(1672000000, 0).Format("2006-01-02") || p.SizeBytes != 9000000 || p.Source != "pacman" {
		t.Fatalf("%+v", p)
	}
}
