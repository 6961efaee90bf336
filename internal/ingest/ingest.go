// Package ingest writes agents' inventories into the store: it recognises the machine
// (ordered reconciliation rules), decides where a new one goes (assignment rules),
// and applies only what changed, section by section, with history of origin
// "inventory". An absent section means "not reported" and changes nothing.
package ingest

import (
	"context"
	"log/slog"
	"time"

	"parc/internal/core"
	"parc/internal/inventory"
)

// Meta is what the transport knows about an inventory besides its content.
type Meta struct {
	RemoteIP  string
	UserAgent string
	// AgentID is GLPI Agent's own id (its GLPI-Agent-ID header, a UUID in lower case):
	// it stays when the agent's device id changes (a renamed machine), so the agent
	// row follows it. Empty for the other agents.
	AgentID string
	// Raw is the document as received (decompressed), kept for download.
	Raw []byte
}

// Result tells what an inventory did.
type Result struct {
	// Type and ID name the record the inventory describes: "computers" and ComputerID,
	// or a network equipment, printer or phone (ComputerID is then 0).
	Type       string
	ID         int64
	ComputerID int64
	AgentID    int64
	Created    bool
	// Changed lists the sections whose content differed from the stored inventory.
	Changed []inventory.Section
}

// Service ingests inventories.
type Service struct {
	App *core.Core
	Log *slog.Logger
	Now func() time.Time

	catalogue catalogueCache
	folded    []FoldListener
}

// New makes the ingest service over the core services.
func New(a *core.Core) *Service {
	return &Service{App: a, Log: a.Log, Now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// Ingest stores one inventory. It returns only once the inventory is committed; an
// error means nothing was written. Invalid documents give a *record.Error with code
// invalid; item types parc does not store (unmanaged devices, network discoveries)
// give code invalid too.
func (s *Service) Ingest(ctx context.Context, inv *inventory.Inventory, meta Meta) (*Result, error) {
	return s.ingest(ctx, inv, meta)
}
