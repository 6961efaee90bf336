package inventory

import "strings"

// dummySerials are placeholders left in firmware by manufacturers and seen in the field
// (lower case, spaces collapsed). Values made of one repeated character ("0000000000",
// "XXXXXXXXXXX", "FFFFFFFF") are caught by the repeated-character rule.
var dummySerials = map[string]bool{
	"to be filled by o.e.m.":      true,
	"to be filled by oem":         true,
	"to be filled by o.e.m":       true,
	"default string":              true,
	"system serial number":        true,
	"chassis serial number":       true,
	"base board serial number":    true,
	"serial number":               true,
	"serialnumber":                true,
	"not specified":               true,
	"not applicable":              true,
	"not available":               true,
	"not set":                     true,
	"none":                        true,
	"null":                        true,
	"n/a":                         true,
	"na":                          true,
	"unknown":                     true,
	"invalid":                     true,
	"empty":                       true,
	"oem":                         true,
	"o.e.m.":                      true,
	"123456789":                   true,
	"1234567890":                  true,
	"0123456789":                  true,
	"12345678":                    true,
	"no asset tag":                true,
	"no asset information":        true,
	"asset-1234567890":            true,
	"type2 - board serial number": true,
}

// IsDummySerial reports whether a serial number (or asset tag) is empty or a known
// placeholder, and so must not be used to recognise a machine.
func IsDummySerial(s string) bool {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	if s == "" || len(s) < 2 {
		return true
	}
	return dummySerials[s] || repeatedChar(s)
}

// dummyUUIDs are SMBIOS UUIDs that firmware vendors ship unchanged on many boards.
var dummyUUIDs = map[string]bool{
	"03000200-0400-0500-0006-000700080009": true,
	"00020003-0004-0005-0006-000700080009": true,
	"12345678-1234-5678-90ab-cddeefaabbcc": true,
}

// IsDummyUUID reports whether a system UUID is empty, all zeros, all Fs or another
// known placeholder.
func IsDummyUUID(u string) bool {
	u = strings.ToLower(strings.TrimSpace(u))
	if u == "" {
		return true
	}
	return dummyUUIDs[u] || repeatedChar(u) || IsDummySerial(u)
}

// repeatedChar reports whether s is one character repeated, ignoring separators
// (so "00000000-0000-0000-0000-000000000000" and "ff:ff:ff" count).
func repeatedChar(s string) bool {
	var first rune
	for _, r := range s {
		switch r {
		case '-', ':', ' ', '.', '_':
			continue
		}
		if first == 0 {
			first = r
		} else if r != first {
			return false
		}
	}
	return true
}
