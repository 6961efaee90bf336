package inventory

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
)

// SectionHashes returns a hash of each section the document carried, keyed by section
// name. Comparing them with the hashes stored at the previous inventory tells which
// sections changed; an unchanged section needs no write. Sections the document did not
// carry have no entry; a section carried empty has the hash of an empty list.
//
// A hash depends on the values only, not on the order the agent listed things in:
// the elements of a list (software, disks, interfaces, and the addresses of an
// interface...) are hashed as a sorted set. It is the hex form of the first 128 bits
// of a SHA-256.
func (inv *Inventory) SectionHashes() map[string]string {
	h := make(map[string]string, len(inv.Sections))
	for _, s := range inv.Sections {
		h[string(s)] = inv.sectionHash(s)
	}
	return h
}

func (inv *Inventory) sectionHash(s Section) string {
	switch s {
	case SectionHardware:
		return hashOne(inv.Hardware)
	case SectionBIOS:
		return hashOne(inv.BIOS)
	case SectionOS:
		return hashOne(inv.OS)
	case SectionNetworkDevice:
		var d NetworkDevice
		if inv.Device != nil {
			d = *inv.Device
			d.IPs = sorted(d.IPs)
		}
		return hashOne(d)
	case SectionCPUs:
		return hashSet(inv.CPUs, nil)
	case SectionMemories:
		return hashSet(inv.Memories, nil)
	case SectionStorages:
		return hashSet(inv.Storages, nil)
	case SectionVolumes:
		return hashSet(inv.Volumes, nil)
	case SectionNetworks:
		return hashSet(inv.Networks, func(n Network) Network {
			n.IPv4 = sortedBy(n.IPv4, func(a IPAddress) string { return a.Address })
			n.IPv6 = sortedBy(n.IPv6, func(a IPAddress) string { return a.Address })
			return n
		})
	case SectionSoftwares:
		return hashSet(inv.Softwares, nil)
	case SectionUsers:
		return hashSet(inv.Users, nil)
	case SectionLocalUsers:
		return hashSet(inv.LocalUsers, nil)
	case SectionLocalGroups:
		return hashSet(inv.LocalGroups, func(g LocalGroup) LocalGroup {
			g.Members = sorted(g.Members)
			return g
		})
	case SectionMonitors:
		return hashSet(inv.Monitors, nil)
	case SectionBatteries:
		return hashSet(inv.Batteries, nil)
	case SectionVirtualMachines:
		return hashSet(inv.VirtualMachines, nil)
	case SectionAntivirus:
		return hashSet(inv.Antivirus, nil)
	case SectionControllers:
		return hashSet(inv.Controllers, nil)
	case SectionVideos:
		return hashSet(inv.Videos, nil)
	case SectionFirmwares:
		return hashSet(inv.Firmwares, nil)
	case SectionRemoteMgmt:
		return hashSet(inv.RemoteMgmt, nil)
	case SectionPowerSupplies:
		return hashSet(inv.PowerSupplies, nil)
	case SectionPorts:
		return hashSet(inv.Ports, func(p Port) Port {
			p.IPs = sorted(p.IPs)
			return p
		})
	}
	return hashOne(nil)
}

// hashOne hashes one value through its JSON encoding (struct fields come out in a fixed
// order; the model has no maps or floats).
func hashOne(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("inventory: cannot encode section: " + err.Error()) // model types always encode
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// hashSet hashes a list as a multiset: each element is encoded (after canon, which
// sorts its inner lists), the encodings are sorted, then hashed one per line (JSON
// encodings hold no raw newline; keyEncoders escape theirs).
func hashSet[T any](items []T, canon func(T) T) string {
	enc := make([][]byte, len(items))
	var buf []byte // one backing array for the hand-encoded elements
	for i, it := range items {
		if canon != nil {
			it = canon(it)
		}
		if k, ok := any(it).(keyEncoder); ok {
			start := len(buf)
			buf = k.appendKey(buf)
			enc[i] = buf[start:len(buf):len(buf)]
			continue
		}
		b, err := json.Marshal(it)
		if err != nil {
			panic("inventory: cannot encode section: " + err.Error())
		}
		enc[i] = b
	}
	slices.SortFunc(enc, bytes.Compare)
	h := sha256.New()
	h.Write([]byte("["))
	for _, b := range enc {
		h.Write(b)
		h.Write([]byte("\n"))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// keyEncoder is a type that encodes itself for hashing faster than JSON does: the
// software list has a thousand entries, and its JSON encoding was most of the
// cost of telling an unchanged inventory from a changed one.
type keyEncoder interface {
	appendKey([]byte) []byte
}

// appendKey writes every field, each followed by a tab, with tabs, newlines and
// backslashes escaped so that two different entries never encode alike.
func (s Software) appendKey(b []byte) []byte {
	for _, f := range [...]string{s.Name, s.Version, s.Publisher, s.InstallDate, s.Arch, s.Source, s.GUID, s.Category, s.Comments, s.URL} {
		b = appendEscaped(b, f)
		b = append(b, '\t')
	}
	return strconv.AppendInt(b, s.SizeBytes, 10)
}

func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, '\\', '\\')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		default:
			b = append(b, c)
		}
	}
	return b
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func sortedBy[T any](s []T, key func(T) string) []T {
	s = slices.Clone(s)
	slices.SortStableFunc(s, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
	return s
}
