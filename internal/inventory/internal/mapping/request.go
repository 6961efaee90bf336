package mapping

import (
	"fmt"
	"strings"

	"parc/internal/inventory"
	"parc/internal/inventory/internal/tree"
)

// Request is the envelope shared by FusionInventory and OCS XML requests:
// <REQUEST><QUERY>...</QUERY><DEVICEID>...</DEVICEID><CONTENT>...</CONTENT></REQUEST>.
type Request struct {
	Query    string // upper case: PROLOG, INVENTORY, SNMPQUERY, SNMP, NETDISCOVERY...
	DeviceID string
	Token    string
	ItemType string // sent by the Android agent
	Content  *tree.Node
	Warnings []string // what reading the XML repaired
}

// ReadRequest reads an XML request's envelope.
func ReadRequest(data []byte, lim inventory.Limits) (*Request, error) {
	root, warnings, err := tree.ParseXML(data, lim)
	if err != nil {
		return nil, err
	}
	if root.Name != "REQUEST" {
		return nil, fmt.Errorf("%w: the root element is <%s>, not <REQUEST>", inventory.ErrMalformed, tree.Clip(root.Name))
	}
	r := &Request{
		Query:    strings.ToUpper(root.Value("QUERY")),
		DeviceID: root.Value("DEVICEID"),
		Token:    root.Value("TOKEN"),
		ItemType: root.Value("ITEMTYPE"),
		Content:  root.Child("CONTENT"),
		Warnings: warnings,
	}
	if r.Query == "" {
		return nil, fmt.Errorf("%w: the request has no QUERY", inventory.ErrMalformed)
	}
	return r, nil
}
