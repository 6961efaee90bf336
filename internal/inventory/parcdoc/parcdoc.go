// Package parcdoc reads the documents of parc's own agent (protocol parc-agent/1,
// docs/agent-protocol.md) into the normalised inventory, as the fusion, ocs and glpi
// packages read the other agents' documents.
package parcdoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"parc/internal/inventory"
)

// ProtocolV1 is the version of parc's own agent protocol this server reads
// (docs/agent-protocol.md).
const ProtocolV1 = "parc-agent/1"

// FormatParc is the format recorded for inventories sent by parc's own agent.
const FormatParc inventory.Format = "parc"

// Document is one request of parc's own agent: an envelope around the normalised
// inventory, in the model's own JSON field names.
type Document struct {
	Protocol string          `json:"protocol"`
	DeviceID string          `json:"device_id"`
	Agent    inventory.Agent `json:"agent"`
	Tag      string          `json:"tag,omitempty"`
	Partial  bool            `json:"partial,omitempty"`
	// Inventory is an inventory.Inventory. Its "sections" list says which sections the
	// agent reports; without it, the sections present in the object are.
	Inventory json.RawMessage `json:"inventory"`
}

// docFields are the members of "inventory" that are not sections.
var docFields = []string{"format", "action", "itemtype", "device_id", "agent", "tag", "partial", "sections", "warnings"}

// Decode reads a parc-agent/1 document into an inventory. Errors wrap
// inventory.ErrMalformed or ErrLimit and say what is wrong; a document that asks for
// another protocol version is malformed for this server.
func Decode(data []byte, lim inventory.Limits) (*inventory.Inventory, error) {
	lim = lim.OrDefault()
	if !utf8.Valid(data) {
		return nil, malformed("the document is not valid UTF-8")
	}
	if err := checkJSON(data, lim); err != nil {
		return nil, err
	}
	var doc Document
	if err := strictDecode(data, &doc); err != nil {
		return nil, err
	}
	switch {
	case doc.Protocol == "":
		return nil, malformed(`"protocol" is missing: this server reads %q documents`, ProtocolV1)
	case doc.Protocol != ProtocolV1 && strings.HasPrefix(doc.Protocol, "parc-agent/"):
		return nil, malformed(`protocol version %q is not supported: this server reads %q (upgrade the server, or have the agent send %s)`,
			ClipValue(doc.Protocol), ProtocolV1, ProtocolV1)
	case doc.Protocol != ProtocolV1:
		return nil, malformed(`unknown protocol %q: this URL reads %q documents`, ClipValue(doc.Protocol), ProtocolV1)
	}
	raw := bytes.TrimSpace(doc.Inventory)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, malformed(`"inventory" is missing`)
	}
	if raw[0] != '{' {
		return nil, malformed(`"inventory" must be an object`)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, malformed("inventory: %v", err)
	}
	known := inventory.AllSections()
	var present []inventory.Section
	for k, v := range members {
		sec := inventory.Section(k)
		switch {
		case slices.Contains(known, sec):
			if !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
				present = append(present, sec)
			}
		case slices.Contains(docFields, k):
		default:
			return nil, malformed("inventory.%s: unknown section or field (sections are %s)", ClipValue(k), sectionNames(known))
		}
	}
	var inv inventory.Inventory
	if err := strictDecode(raw, &inv); err != nil {
		return nil, err
	}

	listed := inv.Sections
	inv.Sections = nil
	if v, ok := members["sections"]; ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
		for _, sec := range listed {
			if !slices.Contains(known, sec) {
				return nil, malformed("inventory.sections: unknown section %q (sections are %s)", ClipValue(string(sec)), sectionNames(known))
			}
			inv.MarkPresent(sec)
		}
		for _, sec := range present {
			if !inv.Has(sec) {
				return nil, malformed("inventory.%s: the section has data but is not listed in inventory.sections", sec)
			}
		}
	} else {
		for _, sec := range present {
			inv.MarkPresent(sec)
		}
	}

	if inv.Format != "" && inv.Format != FormatParc {
		return nil, malformed("inventory.format: %q, expected %q or nothing", ClipValue(string(inv.Format)), FormatParc)
	}
	if inv.DeviceID != "" && inv.DeviceID != doc.DeviceID {
		return nil, malformed("inventory.device_id differs from device_id: give it once, in the envelope")
	}
	if inv.Tag != "" && inv.Tag != doc.Tag {
		return nil, malformed("inventory.tag differs from tag: give it once, in the envelope")
	}
	if inv.Agent != (inventory.Agent{}) && inv.Agent != doc.Agent {
		return nil, malformed("inventory.agent differs from agent: give it once, in the envelope")
	}
	if inv.Partial && !doc.Partial {
		return nil, malformed("inventory.partial differs from partial: give it once, in the envelope")
	}
	inv.Format = FormatParc
	inv.DeviceID, inv.Agent, inv.Tag, inv.Partial = doc.DeviceID, doc.Agent, doc.Tag, doc.Partial
	if inv.Action == "" {
		inv.Action = inventory.ActionInventory
	}
	if inv.ItemType == "" {
		inv.ItemType = inventory.ItemComputer
	}
	return &inv, nil
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("parc-agent: %w: %s", inventory.ErrMalformed, fmt.Sprintf(format, args...))
}

// ClipValue shortens a value quoted in an error message.
func ClipValue(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return s
}

func sectionNames(s []inventory.Section) string {
	names := make([]string, len(s))
	for i, x := range s {
		names[i] = string(x)
	}
	return strings.Join(names, ", ")
}

// strictDecode decodes one JSON value, refusing unknown fields and trailing data.
func strictDecode(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return malformed("JSON syntax error at offset %d: %v", se.Offset, err)
		}
		return malformed("%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if _, err := d.Token(); err != io.EOF {
		return malformed("data after the end of the document")
	}
	return nil
}

// checkJSON walks the document once to enforce the limits (depth, number of values,
// length of a string) before it is decoded, and to reject anything but an object.
func checkJSON(data []byte, lim inventory.Limits) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	depth, values := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return malformed("JSON syntax error at offset %d: %v", se.Offset, strings.TrimPrefix(err.Error(), "json: "))
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return malformed("the JSON document is truncated")
			}
			return malformed("%s", strings.TrimPrefix(err.Error(), "json: "))
		}
		if values == 0 && tok != json.Delim('{') {
			return malformed("the document is not a JSON object")
		}
		if values++; values > lim.MaxElements {
			return fmt.Errorf("parc-agent: %w: the document has more than %d JSON values", inventory.ErrLimit, lim.MaxElements)
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				if depth++; depth > lim.MaxDepth {
					return fmt.Errorf("parc-agent: %w: the document nests deeper than %d levels", inventory.ErrLimit, lim.MaxDepth)
				}
			} else {
				depth--
			}
		case string:
			if len(t) > lim.MaxTextBytes {
				return fmt.Errorf("parc-agent: %w: a string is longer than %d bytes", inventory.ErrLimit, lim.MaxTextBytes)
			}
		}
		if depth == 0 && d.More() {
			return malformed("data after the end of the document")
		}
	}
	if values == 0 {
		return malformed("the document is empty")
	}
	return nil
}
