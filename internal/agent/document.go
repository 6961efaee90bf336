package agent

import (
	"bytes"
	"encoding/json"

	"parc/internal/inventory"
)

// Protocol is the version of the document the agent sends (docs/agent-protocol.md).
const Protocol = "parc-agent/1"

// Document is the parc-agent/1 envelope around the inventory.
type Document struct {
	Protocol  string          `json:"protocol"`
	DeviceID  string          `json:"device_id"`
	Agent     inventory.Agent `json:"agent"`
	Tag       string          `json:"tag,omitempty"`
	Partial   bool            `json:"partial,omitempty"`
	Inventory json.RawMessage `json:"inventory"`
}

// Marshal makes the parc-agent/1 document of an inventory. The envelope's fields
// (device id, agent, tag, partial) are given once, in the envelope, and cleared inside
// the inventory, with the format, as the server requires; "sections" is always sent, so
// that a section read empty (no monitor) is reported empty and an unread one is not
// reported.
func Marshal(inv *inventory.Inventory) ([]byte, error) {
	body := *inv
	body.Format, body.DeviceID, body.Agent, body.Tag, body.Partial = "", "", inventory.Agent{}, "", false
	if body.Sections == nil {
		body.Sections = []inventory.Section{}
	}
	raw, err := json.Marshal(&body)
	if err != nil {
		return nil, err
	}
	return json.Marshal(Document{Protocol: Protocol, DeviceID: inv.DeviceID, Agent: inv.Agent,
		Tag: inv.Tag, Partial: inv.Partial, Inventory: raw})
}

// MarshalIndent is Marshal, indented for people (parc agent --local).
func MarshalIndent(inv *inventory.Inventory) ([]byte, error) {
	doc, err := Marshal(inv)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, doc, "", "  "); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// Unmarshal reads a document back into an inventory, with the envelope's fields set
// in it (for tests and tools; the server has its own, stricter reader).
func Unmarshal(data []byte) (*inventory.Inventory, *Document, error) {
	var doc Document
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, err
	}
	var inv inventory.Inventory
	if err := json.Unmarshal(doc.Inventory, &inv); err != nil {
		return nil, nil, err
	}
	inv.Format = FormatParc
	inv.DeviceID, inv.Agent, inv.Tag, inv.Partial = doc.DeviceID, doc.Agent, doc.Tag, doc.Partial
	return &inv, &doc, nil
}
