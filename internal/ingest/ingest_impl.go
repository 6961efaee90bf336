package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"parc/internal/inventory"
	"parc/internal/record"
	"parc/internal/store"
)

// run is one inventory being applied inside one transaction.
type run struct {
	s      *Service
	ctx    context.Context
	tx     *store.Tx
	db     *store.DB
	actor  *record.Actor
	inv    *inventory.Inventory
	meta   Meta
	now    time.Time
	res    *Result
	comp   *record.Record // the computer, as stored before this inventory
	locked map[string]bool
	// sectionHashes of the inventory, computed before the transaction: hashing a
	// thousand packages need not wait for, nor hold, SQLite's single writer.
	sectionHashes map[string]string
	pre           *prepared
}

// prepared is what an inventory can work out before its transaction, on the store's
// readers: SQLite runs one writer at a time, so every millisecond taken out of the
// transaction is one more inventory per second. The transaction checks nothing of
// it except what it must (see catalogue); ingest runs again without it if a
// software id it looked up was deleted meanwhile.
type prepared struct {
	raw      []byte    // the received document, compressed for inventory_state
	software []install // the wanted software with the ids the catalogue had
	// org is the organisation whose dictionary rules software was filed with (its
	// computer's when known): a computer moved or created elsewhere is filed again.
	org int64
}

// prepare works out the prepared part for sections that differ from those last stored
// for the same agent: an unchanged re-inventory needs none of it.
func (s *Service) prepare(ctx context.Context, inv *inventory.Inventory, meta Meta, hashes map[string]string, tree *record.OrgTree) (*prepared, error) {
	db := s.App.DB
	var stored string
	_, comp, err := agentRow(ctx, db, inv.DeviceID, meta.AgentID)
	if err != nil {
		return nil, err
	}
	if comp != 0 {
		err = db.QueryRowContext(ctx, "SELECT section_hashes FROM inventory_state WHERE computer_id = ?", comp).Scan(&stored)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	old := map[string]string{}
	json.Unmarshal([]byte(stored), &old)
	p := &prepared{}
	changed := false
	for _, sec := range inv.Sections {
		if old[string(sec)] != hashes[string(sec)] {
			changed = true
		}
	}
	if !changed {
		return p, nil
	}
	p.raw = compressRaw(meta.Raw)
	if slices.Contains(inv.Sections, inventory.SectionSoftwares) && old[string(inventory.SectionSoftwares)] != hashes[string(inventory.SectionSoftwares)] {
		if comp != 0 {
			if err := db.QueryRowContext(ctx, "SELECT organization_id FROM computers WHERE id = ?", comp).Scan(&p.org); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
		}
		if p.software, err = wantedSoftware(ctx, db, db, inv, tree, p.org, &s.catalogue); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// compressRaw gzips a received document for keeping; nil for none.
func compressRaw(raw []byte) []byte {
	if len(raw) == 0 {
		return nil
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	zw.Write(raw)
	zw.Close()
	return buf.Bytes()
}

func (s *Service) ingest(ctx context.Context, inv *inventory.Inventory, meta Meta) (*Result, error) {
	if err := inv.Validate(); err != nil {
		return nil, &invalidError{rec: record.E(record.CodeInvalid, "err.inventory_invalid", err.Error()), val: err}
	}
	if inv.Action == inventory.ActionNetDiscovery {
		// A discovery only says a device answers at an address: not an inventory.
		return nil, record.E(record.CodeInvalid, "err.inventory_discovery", string(inv.ItemType))
	}
	dev, isDevice := deviceTypes[inv.ItemType]
	if inv.ItemType != "" && inv.ItemType != inventory.ItemComputer && !isDevice {
		return nil, record.E(record.CodeInvalid, "err.inventory_itemtype", string(inv.ItemType))
	}
	tree, err := record.LoadOrgTree(ctx, s.App.DB)
	if err != nil {
		return nil, err
	}
	var hashes map[string]string
	var pre *prepared
	err = s.Busy(ctx, func() (err error) {
		hashes = inv.SectionHashes()
		if !isDevice {
			pre, err = s.prepare(ctx, inv, meta, hashes, tree)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	res, err := s.store(ctx, inv, meta, tree, hashes, pre, dev, isDevice)
	if err != nil && pre != nil && store.IsForeignKeyViolation(err) {
		// A software id looked up before the transaction was deleted meanwhile.
		s.catalogue.forget()
		res, err = s.store(ctx, inv, meta, tree, hashes, nil, dev, isDevice)
	}
	return res, err
}

// invalidError refuses an inventory that fails validation: a *record.Error for callers
// that speak the record framework, and the *inventory.ValidationError with its list
// of problems for those that report them (errors.As finds either). Validation happens
// here only, once per inventory.
type invalidError struct {
	rec *record.Error
	val error
}

func (e *invalidError) Error() string   { return e.rec.Error() }
func (e *invalidError) Unwrap() []error { return []error{e.rec, e.val} }

// store applies the inventory in one transaction.
func (s *Service) store(ctx context.Context, inv *inventory.Inventory, meta Meta, tree *record.OrgTree, hashes map[string]string, pre *prepared, dev device, isDevice bool) (*Result, error) {
	var res *Result
	err := s.App.DB.Tx(ctx, func(tx *store.Tx) error {
		r := &run{s: s, ctx: ctx, tx: tx, db: s.App.DB, actor: record.SystemActor(tree, record.OriginInventory),
			inv: inv, meta: meta, now: s.Now(), res: &Result{}, sectionHashes: hashes, pre: pre}
		apply := r.apply
		if isDevice {
			apply = func() error { return r.applyDevice(dev) }
		}
		if err := apply(); err != nil {
			return err
		}
		res = r.res
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (r *run) apply() error {
	if err := r.lock(); err != nil {
		return err
	}
	id, err := r.match()
	if err != nil {
		return err
	}
	if id == 0 {
		if id, err = r.create(); err != nil {
			return err
		}
		r.res.Created = true
	}
	r.res.ComputerID, r.res.Type, r.res.ID = id, "computers", id
	if r.comp, err = r.s.App.Records.GetTx(r.ctx, r.tx, r.actor, r.s.App.Reg.MustType("computers"), id); err != nil {
		return err
	}
	r.locked = locks(r.comp)
	old, err := r.hashes(id)
	if err != nil {
		return err
	}
	now := r.sectionHashes
	var changed []inventory.Section
	for _, sec := range r.inv.Sections {
		if old[string(sec)] != now[string(sec)] {
			changed = append(changed, sec)
		}
	}
	r.res.Changed = changed
	if len(changed) > 0 {
		if err := r.applyComputer(changed); err != nil {
			return err
		}
		if err := r.applyComponents(changed); err != nil {
			return err
		}
		if slices.Contains(changed, inventory.SectionSoftwares) {
			if err := r.applySoftware(); err != nil {
				return err
			}
		}
		if slices.Contains(changed, inventory.SectionMonitors) {
			if err := r.applyMonitors(); err != nil {
				return err
			}
		}
		if slices.Contains(changed, inventory.SectionVirtualMachines) {
			if err := r.applyVMs(); err != nil {
				return err
			}
		}
	}
	if _, err := r.tx.ExecContext(r.ctx, "UPDATE computers SET last_inventory_at = ?, inventory_format = ? WHERE id = ?", r.now, string(r.inv.Format), id); err != nil {
		return err
	}
	for k, v := range now {
		old[k] = v
	}
	if len(changed) == 0 && !r.res.Created {
		// Same content: the stored document and hashes stay; only the time moves.
		if _, err := r.tx.ExecContext(r.ctx, "UPDATE inventory_state SET received_at = ? WHERE computer_id = ?", r.now, id); err != nil {
			return err
		}
	} else if err := r.saveState(id, old); err != nil {
		return err
	}
	return r.saveAgent(id)
}

// lock serialises inventories that could be of the same machine. SQLite already runs
// one writer at a time; PostgreSQL takes transaction-scoped advisory locks on every
// identity key, in a fixed order so that two inventories never wait on each other.
func (r *run) lock() error {
	if r.db.Dialect != store.Postgres {
		return nil
	}
	id := r.inv.Identity()
	keys := []string{"dev:" + r.inv.DeviceID, "name:" + strings.ToLower(id.Name)}
	if id.Serial != "" {
		keys = append(keys, "serial:"+id.Serial)
	}
	if id.UUID != "" {
		keys = append(keys, "uuid:"+id.UUID)
	}
	for _, m := range id.MACs {
		keys = append(keys, "mac:"+m)
	}
	hashes := make([]int64, 0, len(keys))
	for _, k := range keys {
		h := fnv.New64a()
		h.Write([]byte(k))
		hashes = append(hashes, int64(h.Sum64()))
	}
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)
	for _, h := range hashes {
		if _, err := r.tx.ExecContext(r.ctx, "SELECT pg_advisory_xact_lock($1)", h); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) hashes(id int64) (map[string]string, error) {
	var raw string
	err := r.tx.QueryRowContext(r.ctx, "SELECT section_hashes FROM inventory_state WHERE computer_id = ?", id).Scan(&raw)
	out := map[string]string{}
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	json.Unmarshal([]byte(raw), &out)
	return out, nil
}

func (r *run) saveState(id int64, hashes map[string]string) error {
	b, _ := json.Marshal(hashes)
	var raw []byte
	if r.pre != nil && r.pre.raw != nil {
		raw = r.pre.raw
	} else {
		raw = compressRaw(r.meta.Raw)
	}
	_, err := r.tx.ExecContext(r.ctx, `INSERT INTO inventory_state (computer_id, section_hashes, format, raw, received_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (computer_id) DO UPDATE SET section_hashes = excluded.section_hashes, format = excluded.format, raw = excluded.raw, received_at = excluded.received_at`,
		id, string(b), string(r.inv.Format), raw, r.now)
	return err
}

// agentRow finds the agent row of this inventory's agent: by GLPI Agent's own id
// when it sent one (its device id changes when the machine is renamed), else by
// device id. Zero when the agent is new.
func agentRow(ctx context.Context, q store.Querier, deviceID, agentID string) (id, computerID int64, err error) {
	var comp sql.NullInt64
	if agentID != "" {
		err = q.QueryRowContext(ctx, "SELECT id, computer_id FROM agents WHERE agent_uuid = ?", agentID).Scan(&id, &comp)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return id, comp.Int64, err
		}
	}
	err = q.QueryRowContext(ctx, "SELECT id, computer_id FROM agents WHERE device_id = ?", deviceID).Scan(&id, &comp)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return id, comp.Int64, err
}

func (r *run) saveAgent(computerID int64) error {
	agentID, _, err := agentRow(r.ctx, r.tx, r.inv.DeviceID, r.meta.AgentID)
	if err != nil {
		return err
	}
	name, version := r.inv.Agent.Name, r.inv.Agent.Version
	if agentID == 0 {
		agentID, err = r.db.InsertID(r.ctx, r.tx, `INSERT INTO agents (organization_id, device_id, agent_uuid, computer_id, format, agent_name, agent_version, tag, remote_ip,
			last_contact_at, last_inventory_at, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			r.comp.OrgID, r.inv.DeviceID, nullable(r.meta.AgentID), computerID, string(r.inv.Format), name, version, nullable(r.inv.Tag), nullable(r.meta.RemoteIP), r.now, r.now, r.now, r.now)
		r.res.AgentID = agentID
		return err
	}
	if r.meta.AgentID != "" {
		// The agent came back under a new device id: an older row under that device
		// id (the same installation before it sent its GLPI-Agent-ID) gives way.
		if _, err := r.tx.ExecContext(r.ctx, "DELETE FROM agents WHERE device_id = ? AND id <> ?", r.inv.DeviceID, agentID); err != nil {
			return err
		}
	}
	r.res.AgentID = agentID
	_, err = r.tx.ExecContext(r.ctx, `UPDATE agents SET organization_id = ?, device_id = ?, agent_uuid = COALESCE(?, agent_uuid), computer_id = ?, format = ?, agent_name = ?, agent_version = ?, tag = ?, remote_ip = ?,
		last_contact_at = ?, last_inventory_at = ?, updated_at = ?, version = version + 1, deleted_at = NULL WHERE id = ?`,
		r.comp.OrgID, r.inv.DeviceID, nullable(r.meta.AgentID), computerID, string(r.inv.Format), name, version, nullable(r.inv.Tag), nullable(r.meta.RemoteIP), r.now, r.now, r.now, agentID)
	return err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
