package inventory

import "strings"

// ParseAgent reads an agent's name and version from the strings agents send in
// VERSIONCLIENT, versionclient or the User-Agent header:
// "FusionInventory-Agent_v2.6-3", "OCS-NG_unified_unix_agent_v2.10.0",
// "GLPI-Agent_v1.7", "Inventory Agent/1.1.0 (Linux; Android 12)". A bare version
// ("4.1", sent by the SNMP modules) gives a version without a name.
func ParseAgent(s string) Agent {
	s = strings.TrimSpace(s)
	if s == "" {
		return Agent{}
	}
	if i := strings.LastIndex(s, "_v"); i > 0 && i+2 < len(s) && isDigit(s[i+2]) {
		return Agent{Name: s[:i], Version: s[i+2:]}
	}
	if i := strings.IndexByte(s, '/'); i > 0 && i+1 < len(s) && isDigit(s[i+1]) {
		v, _, _ := strings.Cut(s[i+1:], " ")
		return Agent{Name: strings.TrimSpace(s[:i]), Version: v}
	}
	if strings.Trim(s, "0123456789.") == "" {
		return Agent{Version: s}
	}
	return Agent{Name: s}
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
