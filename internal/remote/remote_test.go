package remote

import (
	"encoding/json"
	"reflect"
	"testing"

	"parc/internal/ingest"
)

func tool(kind, id string) ingest.Component {
	d, _ := json.Marshal(map[string]string{"type": kind})
	return ingest.Component{Kind: "remote_mgmt", Designation: id, Details: d}
}

// TestLinks: RDP, SSH and VNC go to the primary IP (an IPv6 one bracketed), else
// to a valid host name; reported tools get their link, MeshCentral only with its
// server's https address; odd identifiers and unknown tools get none.
func TestLinks(t *testing.T) {
	cases := []struct {
		name, ip, host string
		comps          []ingest.Component
		want           []Launch
	}{
		{"ipv4 and tools", "10.0.0.5", "pc-1", []ingest.Component{tool("anydesk", "123 456"), tool("AnyDesk", "987654321"), tool("teamviewer", "1234"),
			tool("rustdesk", "55"), tool("meshcentral", "node-id"), tool("supremo", "1"), {Kind: "cpu", Designation: "x"}},
			[]Launch{{"rdp", "10.0.0.5", "rdp://full%20address=s:10.0.0.5"}, {"ssh", "10.0.0.5", "ssh://10.0.0.5"}, {"vnc", "10.0.0.5", "vnc://10.0.0.5"},
				{"teamviewer", "1234", "https://start.teamviewer.com/1234"}, {"anydesk", "987654321", "anydesk:987654321"}, {"rustdesk", "55", "rustdesk://55"}}},
		{"ipv6", "fe80::1", "", nil,
			[]Launch{{"rdp", "fe80::1", "rdp://full%20address=s:%5Bfe80::1%5D"}, {"ssh", "fe80::1", "ssh://[fe80::1]"}, {"vnc", "fe80::1", "vnc://[fe80::1]"}}},
		{"host name", "", "pc-2.example.org", []ingest.Component{tool("meshcentral", "https://mesh.example.org/?node=abc")},
			[]Launch{{"rdp", "pc-2.example.org", "rdp://full%20address=s:pc-2.example.org"}, {"ssh", "pc-2.example.org", "ssh://pc-2.example.org"},
				{"vnc", "pc-2.example.org", "vnc://pc-2.example.org"}, {"meshcentral", "https://mesh.example.org/?node=abc", "https://mesh.example.org/?node=abc"}}},
		{"nothing usable", "not an ip", "bad host!", []ingest.Component{tool("meshcentral", "javascript:alert(1)")}, nil},
	}
	for _, c := range cases {
		if got := Links(c.ip, c.host, c.comps); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
}
