package loadgen

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Fusion makes FusionInventory XML inventories of simulated machines from a real
// agent's document: each machine gets its own device id, name, serial, UUID and MAC
// addresses (else reconciliation would rightly take them for one machine), and a
// re-inventory with changes bumps the version of the first packages. Everything
// else (the ~1,200 packages, components, sections) is the real agent's output.
type Fusion struct {
	parts    []string // the document cut at the places that vary
	kinds    []byte   // what goes between parts[i] and parts[i+1]
	packages int
}

const (
	slotDevice = 'd'
	slotName   = 'n'
	slotSerial = 's'
	slotUUID   = 'u'
	slotMAC    = 'm'
	slotVer    = 'v'
)

var (
	reDevice   = regexp.MustCompile(`<DEVICEID>[^<]*</DEVICEID>`)
	reHardware = regexp.MustCompile(`(?s)<HARDWARE>.*?</HARDWARE>`)
	reHWName   = regexp.MustCompile(`<NAME>[^<]*</NAME>`)
	reHWUUID   = regexp.MustCompile(`<UUID>[^<]*</UUID>`)
	reBIOS     = regexp.MustCompile(`(?s)<BIOS>.*?</BIOS>`)
	reSSN      = regexp.MustCompile(`<SSN>[^<]*</SSN>`)
	reMAC      = regexp.MustCompile(`<MACADDR>[0-9A-Fa-f:]{17}</MACADDR>`)
	reSoftware = regexp.MustCompile(`(?s)<SOFTWARES>.*?</SOFTWARES>`)
	reVersion  = regexp.MustCompile(`<VERSION>([^<]*)</VERSION>`)
)

// NewFusion prepares a FusionInventory XML document (an INVENTORY request).
func NewFusion(doc []byte) (*Fusion, error) {
	s := string(doc)
	if !strings.Contains(s, "<QUERY>INVENTORY</QUERY>") || !reDevice.MatchString(s) {
		return nil, errors.New("not a FusionInventory INVENTORY document (no QUERY INVENTORY or DEVICEID)")
	}
	// Make sure the identity fields exist, then mark every varying place with a slot.
	if hw := reHardware.FindString(s); hw != "" {
		nhw := hw
		if !reHWUUID.MatchString(nhw) {
			nhw = strings.Replace(nhw, "<HARDWARE>", "<HARDWARE>\n      <UUID></UUID>", 1)
		}
		nhw = reHWName.ReplaceAllLiteralString(nhw, "<NAME>\x00n</NAME>")
		nhw = reHWUUID.ReplaceAllLiteralString(nhw, "<UUID>\x00u</UUID>")
		s = strings.Replace(s, hw, nhw, 1)
	} else {
		return nil, errors.New("no HARDWARE section")
	}
	if bios := reBIOS.FindString(s); bios != "" {
		nb := bios
		if !reSSN.MatchString(nb) {
			nb = strings.Replace(nb, "<BIOS>", "<BIOS>\n      <SSN></SSN>", 1)
		}
		s = strings.Replace(s, bios, reSSN.ReplaceAllLiteralString(nb, "<SSN>\x00s</SSN>"), 1)
	} else {
		s = strings.Replace(s, "<CONTENT>", "<CONTENT>\n    <BIOS><SSN>\x00s</SSN></BIOS>", 1)
	}
	s = reDevice.ReplaceAllLiteralString(s, "<DEVICEID>\x00d</DEVICEID>")
	s = reMAC.ReplaceAllStringFunc(s, func(m string) string {
		if strings.Contains(m, "00:00:00:00:00:00") {
			return m
		}
		return "<MACADDR>\x00m</MACADDR>"
	})
	f := &Fusion{}
	s = reSoftware.ReplaceAllStringFunc(s, func(sw string) string {
		f.packages++
		return reVersion.ReplaceAllString(sw, "<VERSION>${1}\x00v</VERSION>")
	})
	chunks := strings.Split(s, "\x00")
	f.parts = append(f.parts, chunks[0])
	for _, c := range chunks[1:] {
		f.kinds = append(f.kinds, c[0])
		f.parts = append(f.parts, c[1:])
	}
	if f.packages == 0 {
		return nil, errors.New("no SOFTWARES section")
	}
	return f, nil
}

// Packages is the number of installed packages of the document.
func (f *Fusion) Packages() int { return f.packages }

// Document is machine n's k-th inventory; on odd k the first share changed of the
// packages have a newer version.
func (f *Fusion) Document(n, k int, changed float64) []byte {
	var b bytes.Buffer
	b.Grow(len(f.parts[0]) * 2)
	bump := int(float64(f.packages) * changed)
	macs, pkg := 0, 0
	b.WriteString(f.parts[0])
	for i, kind := range f.kinds {
		switch kind {
		case slotDevice:
			fmt.Fprintf(&b, "loadgen-%06d-2026-01-01-00-00-00", n)
		case slotName:
			fmt.Fprintf(&b, "FUSION-%06d", n)
		case slotSerial:
			fmt.Fprintf(&b, "FG%08d", n)
		case slotUUID:
			fmt.Fprintf(&b, "4675736f-0000-4000-8000-%012d", n)
		case slotMAC:
			macs++
			fmt.Fprintf(&b, "02:%02x:%02x:%02x:%02x:%02x", macs&0xff, (n>>24)&0xff, (n>>16)&0xff, (n>>8)&0xff, n&0xff)
		case slotVer:
			if pkg < bump && k%2 == 1 {
				b.WriteString("+u1")
			}
			pkg++
		}
		b.WriteString(f.parts[i+1])
	}
	return b.Bytes()
}
