package demo

// The software and hardware the demo's agents report. Versions are listed newest
// first: most machines have the first, some lag behind (and catch up on their next
// inventory). Names are spelt as Windows, dpkg and macOS report them, so that the
// demo's dictionary rules have something to mend.

// pkg is one installable program.
type pkg struct {
	name, publisher string
	versions        []string
	source          string
	share           int // per cent of machines that have it
}

var windowsSoftware = []pkg{
	{"Microsoft 365 Apps for business - fr-fr", "Microsoft Corporation", []string{"16.0.17928.20156", "16.0.17726.20160"}, "registry", 100},
	{"Microsoft Edge", "Microsoft Corporation", []string{"131.0.2903.70", "130.0.2849.80"}, "registry", 100},
	{"Microsoft Teams", "Microsoft Corporation", []string{"24295.605.3225.8804"}, "registry", 90},
	{"Microsoft OneDrive", "Microsoft Corporation", []string{"24.226.1110.0004", "24.201.1006.0005"}, "registry", 100},
	{"Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.40.33810", "Microsoft Corporation", []string{"14.40.33810.0"}, "registry", 100},
	{"Microsoft .NET Runtime - 8.0.11 (x64)", "Microsoft Corporation", []string{"8.0.11.34221"}, "registry", 70},
	{"Google Chrome", "Google LLC", []string{"131.0.6778.86", "130.0.6723.117", "128.0.6613.120"}, "registry", 80},
	{"Mozilla Firefox (x64 fr)", "Mozilla", []string{"133.0", "132.0.2", "128.5.1"}, "registry", 45},
	{"7-Zip 23.01 (x64)", "Igor Pavlov", []string{"23.01"}, "registry", 60},
	{"7-Zip 22.01 (x64)", "Igor Pavlov", []string{"22.01"}, "registry", 15},
	{"Adobe Acrobat Reader (64-bit)", "Adobe", []string{"24.004.20272", "24.003.20180", "23.008.20470"}, "registry", 85},
	{"VLC media player", "VideoLAN", []string{"3.0.21", "3.0.20", "3.0.18"}, "registry", 40},
	{"Notepad++ (64-bit x64)", "Notepad++ Team", []string{"8.7.1", "8.6.9"}, "registry", 25},
	{"TeamViewer", "TeamViewer", []string{"15.60.3", "15.58.5"}, "registry", 35},
	{"Zoom Workplace (64-bit)", "Zoom Video Communications, Inc.", []string{"6.2.11", "6.1.1"}, "registry", 30},
	{"KeePassXC", "KeePassXC Team", []string{"2.7.9", "2.7.6"}, "msi", 20},
	{"Mise à jour de sécurité pour Microsoft Office (KB5002623) Édition 64 bits", "Microsoft Corporation", []string{""}, "registry", 60},
	{"Mise à jour pour Microsoft Teams (KB5040711)", "Microsoft Corporation", []string{""}, "registry", 40},
}

// Each organisation's own trade software, on Windows machines.
var tradeSoftware = map[string][]pkg{
	"igs": {
		{"PuTTY release 0.81 (64-bit)", "Simon Tatham", []string{"0.81.0.0"}, "msi", 70},
		{"Wireshark 4.4.2 x64", "The Wireshark developer community, https://www.wireshark.org", []string{"4.4.2"}, "registry", 40},
		{"Microsoft Visual Studio Code", "Microsoft Corporation", []string{"1.95.3", "1.94.2"}, "registry", 60},
		{"Git", "The Git Development Community", []string{"2.47.1", "2.45.2"}, "registry", 60},
		{"Remote Desktop Manager", "Devolutions inc.", []string{"2024.3.22.0", "2024.2.17.0"}, "msi", 80},
	},
	"bm": {
		{"Sage 100cloud Comptabilité", "Sage", []string{"9.10", "9.00"}, "registry", 30},
		{"Cegid Retail Y2 Caisse", "Cegid", []string{"12.2.1"}, "registry", 25},
	},
	"mtr": {
		{"Sage 100cloud Gestion Commerciale", "Sage", []string{"9.10"}, "registry", 40},
		{"Traçabilité HACCP Pro", "Hygiène Solutions", []string{"4.3.0", "4.1.2"}, "registry", 60},
	},
	"cda": {
		{"Secib Neo", "SECIB", []string{"5.12.2", "5.11.0"}, "registry", 95},
		{"Dragon Professional Individual", "Nuance Communications Inc.", []string{"15.71.000.010"}, "registry", 40},
		{"Adobe Acrobat (64-bit)", "Adobe", []string{"24.004.20272"}, "registry", 50},
	},
}

const ubuntuDevelopers = "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>"

var ubuntuSoftware = []pkg{
	{"openssl", ubuntuDevelopers, []string{"3.0.2-0ubuntu1.18", "3.0.2-0ubuntu1.15"}, "deb", 100},
	{"libssl3", ubuntuDevelopers, []string{"3.0.2-0ubuntu1.18", "3.0.2-0ubuntu1.15"}, "deb", 100},
	{"openssh-client", ubuntuDevelopers, []string{"1:8.9p1-3ubuntu0.10", "1:8.9p1-3ubuntu0.6"}, "deb", 100},
	{"curl", ubuntuDevelopers, []string{"7.81.0-1ubuntu1.18", "7.81.0-1ubuntu1.16"}, "deb", 100},
	{"git", ubuntuDevelopers, []string{"1:2.34.1-1ubuntu1.11"}, "deb", 100},
	{"python3", ubuntuDevelopers, []string{"3.10.6-1~22.04.1"}, "deb", 100},
	{"libreoffice-core", ubuntuDevelopers, []string{"1:7.3.7-0ubuntu0.22.04.7"}, "deb", 90},
	{"thunderbird", ubuntuDevelopers, []string{"1:115.16.0+build2-0ubuntu0.22.04.1"}, "deb", 70},
	{"firefox", "Mozilla", []string{"133.0", "132.0.2"}, "snap", 100},
	{"code", "Microsoft Corporation <vscode-linux@microsoft.com>", []string{"1.95.3-1731513102"}, "deb", 80},
	{"wireshark", ubuntuDevelopers, []string{"3.6.2-2"}, "deb", 60},
	{"remmina", ubuntuDevelopers, []string{"1.4.25+dfsg-1"}, "deb", 70},
}

var macSoftware = []pkg{
	{"Safari", "Apple", []string{"18.1.1", "17.6"}, "app", 100},
	{"Microsoft Word", "Microsoft Corporation", []string{"16.91", "16.89"}, "app", 100},
	{"Microsoft Excel", "Microsoft Corporation", []string{"16.91", "16.89"}, "app", 100},
	{"Microsoft Outlook", "Microsoft Corporation", []string{"16.91", "16.89"}, "app", 100},
	{"Microsoft Teams", "Microsoft Corporation", []string{"24295.605.3225.8804"}, "app", 90},
	{"Google Chrome", "Google LLC", []string{"131.0.6778.86", "130.0.6723.117"}, "app", 70},
	{"Firefox", "Mozilla", []string{"133.0"}, "app", 30},
	{"zoom.us", "Zoom Video Communications, Inc.", []string{"6.2.11"}, "app", 50},
	{"Adobe Acrobat Reader", "Adobe", []string{"24.004.20272", "23.008.20470"}, "app", 80},
	{"Secib Neo", "SECIB", []string{"5.12.2"}, "app", 60},
}

// cpu is a processor as agents report it.
type cpu struct {
	model, maker        string
	cores, threads, mhz int
}

var cpus = map[string][]cpu{
	"laptop": {
		{"13th Gen Intel(R) Core(TM) i5-1345U", "Intel", 10, 12, 1600},
		{"13th Gen Intel(R) Core(TM) i7-1365U", "Intel", 10, 12, 1800},
		{"12th Gen Intel(R) Core(TM) i5-1245U", "Intel", 10, 12, 1600},
	},
	"desktop": {
		{"13th Gen Intel(R) Core(TM) i5-13500T", "Intel", 14, 20, 1600},
		{"12th Gen Intel(R) Core(TM) i5-12500T", "Intel", 6, 12, 2000},
		{"13th Gen Intel(R) Core(TM) i7-13700T", "Intel", 16, 24, 1400},
	},
	"apple": {{"Apple M2", "Apple", 8, 8, 3490}, {"Apple M3 Pro", "Apple", 11, 11, 4050}},
}

// smbiosMaker is how each maker spells itself in the firmware tables.
var smbiosMaker = map[string]string{"Dell": "Dell Inc.", "HP": "HP", "Lenovo": "LENOVO", "Apple": "Apple Inc."}

// disks by maker, as the firmware names them.
var disks = map[string]string{
	"Dell": "KIOXIA KBG50ZNV512G", "HP": "SAMSUNG MZVL2512HCJQ-00BH1", "Lenovo": "SK hynix BC901 HFS512GEJ4X164N",
	"Apple": "APPLE SSD AP0512Z",
}

// server is a machine the demo's agents bring in themselves: parc creates it from its
// first inventory, in the organisation and site the address range rules give, and
// links the virtual machines to their host.
type server struct {
	site, name, maker, model, serial, uuid string
	osName, osVersion, kernel              string
	cpu                                    cpu
	sockets, memGB, diskGB, host           int // host: index of the hypervisor in servers, -1 for none
	ip                                     int // 10.<site subnet>.0.<ip>
	software                               []pkg
}

func debianPkg(name, maintainer, version string) pkg {
	return pkg{name, maintainer, []string{version}, "deb", 100}
}

var (
	debianBase = []pkg{
		debianPkg("openssh-server", "Debian OpenSSH Maintainers <debian-ssh@lists.debian.org>", "1:9.2p1-2+deb12u3"),
		debianPkg("curl", "Debian Curl Maintainers <team+curl@tracker.debian.org>", "7.88.1-10+deb12u8"),
		debianPkg("sudo", "Sudo Maintainers <sudo@packages.debian.org>", "1.9.13p3-1+deb12u1"),
		debianPkg("rsyslog", "Michael Biebl <biebl@debian.org>", "8.2302.0-1"),
	}
	// OpenSSL as it is on a server updated regularly, and on one left behind.
	opensslCurrent = []pkg{
		debianPkg("openssl", "Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>", "3.0.15-1~deb12u1"),
		debianPkg("libssl3", "Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>", "3.0.15-1~deb12u1"),
	}
	opensslOld = []pkg{
		debianPkg("openssl", "Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>", "3.0.11-1~deb12u2"),
		debianPkg("libssl3", "Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>", "3.0.11-1~deb12u2"),
	}
	windowsServer = []pkg{
		{"Microsoft Edge", "Microsoft Corporation", []string{"131.0.2903.70"}, "registry", 100},
		{"Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.40.33810", "Microsoft Corporation", []string{"14.40.33810.0"}, "registry", 100},
		{"Veeam Agent for Microsoft Windows", "Veeam Software Group GmbH", []string{"6.2.0.121"}, "msi", 100},
	}
)

func with(lists ...[]pkg) []pkg {
	var out []pkg
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

var xeonSilver = cpu{"Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", "Intel", 16, 32, 2400}

var servers = []server{
	{"PAR", "SRV-PAR-HV01", "Dell Inc.", "PowerEdge R650", "9XK2L93", "4c4c4544-0058-4b10-8032-b9c04f4c3933",
		"Debian GNU/Linux", "12", "6.8.12-4-pve", xeonSilver, 2, 256, 1920, -1, 11,
		with(debianBase, opensslCurrent, []pkg{debianPkg("pve-manager", "Proxmox Support Team <support@proxmox.com>", "8.2.7"),
			debianPkg("qemu-server", "Proxmox Support Team <support@proxmox.com>", "8.2.4")})},
	{"PAR", "SRV-PAR-AD01", "QEMU", "Standard PC (Q35 + ICH9, 2009)", "", "6f1c2a3e-8d4b-4e57-9a61-0c2f7d5b1e01",
		"Microsoft Windows Server 2022 Standard", "21H2", "10.0.20348", cpu{"Common KVM processor", "Intel", 4, 4, 2400}, 1, 8, 120, 0, 21,
		windowsServer},
	{"PAR", "SRV-PAR-FILES", "QEMU", "Standard PC (Q35 + ICH9, 2009)", "", "6f1c2a3e-8d4b-4e57-9a61-0c2f7d5b1e02",
		"Debian GNU/Linux", "12", "6.1.0-26-amd64", cpu{"Common KVM processor", "Intel", 2, 2, 2400}, 1, 4, 2048, 0, 22,
		with(debianBase, opensslOld, []pkg{debianPkg("samba", "Debian Samba Maintainers <pkg-samba-maint@lists.alioth.debian.org>", "2:4.17.12+dfsg-0+deb12u1")})},
	{"PAR", "SRV-PAR-SUPERVISION", "QEMU", "Standard PC (Q35 + ICH9, 2009)", "", "6f1c2a3e-8d4b-4e57-9a61-0c2f7d5b1e03",
		"Debian GNU/Linux", "12", "6.1.0-26-amd64", cpu{"Common KVM processor", "Intel", 4, 4, 2400}, 1, 8, 200, 0, 23,
		with(debianBase, opensslCurrent, []pkg{debianPkg("postgresql-15", "Debian PostgreSQL Maintainers <team+postgresql@tracker.debian.org>", "15.8-0+deb12u1"),
			debianPkg("zabbix-server-pgsql", "Zabbix LLC <support@zabbix.com>", "1:7.0.6-1+debian12"), debianPkg("nginx", "Debian Nginx Maintainers <pkg-nginx-maintainers@alioth-lists.debian.net>", "1.22.1-9")})},
	{"NTE", "SRV-NTE-01", "HPE", "ProLiant ML30 Gen11", "CZJ3410F7K", "38373035-3536-4d32-3334-3130463756ab",
		"Microsoft Windows Server 2022 Standard", "21H2", "10.0.20348", cpu{"Intel(R) Xeon(R) E-2434", "Intel", 4, 8, 3400}, 1, 32, 1920, -1, 11,
		with(windowsServer, []pkg{{"Sage 100cloud Serveur", "Sage", []string{"9.10"}, "registry", 100}})},
	{"P08", "SRV-P08-01", "Dell Inc.", "PowerEdge T150", "3HG8Q72", "4c4c4544-0048-4710-8038-b3c04f513732",
		"Debian GNU/Linux", "12", "6.1.0-21-amd64", cpu{"Intel(R) Xeon(R) E-2314 CPU @ 2.80GHz", "Intel", 4, 4, 2800}, 1, 32, 4000, -1, 11,
		with(debianBase, opensslOld, []pkg{debianPkg("samba", "Debian Samba Maintainers <pkg-samba-maint@lists.alioth.debian.org>", "2:4.17.12+dfsg-0+deb12u1"),
			debianPkg("borgbackup", "Debian Borg Collective <team+borg@tracker.debian.org>", "1.2.4-1")})},
}
