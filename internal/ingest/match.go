package ingest

import (
	"database/sql"
	"errors"
	"net/netip"
	"strings"

	"parc/internal/record"
)

// Default reconciliation order when no match rule is configured: UUID and serial
// together, then serial, then a MAC address, then the name within the organisation.
var defaultMatch = []string{"uuid_serial", "serial", "mac", "name"}

// match finds the stored computer this inventory describes, 0 when it is new.
func (r *run) match() (int64, error) {
	order, err := r.matchRules()
	if err != nil {
		return 0, err
	}
	id := r.inv.Identity()
	if found, err := r.matchHostedVM(id); found != 0 || err != nil {
		return found, err
	}
	org, _, err := r.target()
	if err != nil {
		return 0, err
	}
	for _, rule := range order {
		var q string
		var args []any
		switch rule {
		case "uuid_serial":
			if id.UUID == "" || id.Serial == "" {
				continue
			}
			q, args = "lower(uuid) = ? AND serial = ?", []any{id.UUID, id.Serial}
		case "serial":
			if id.Serial == "" {
				continue
			}
			q, args = "serial = ?", []any{id.Serial}
		case "uuid":
			if id.UUID == "" {
				continue
			}
			q, args = "lower(uuid) = ?", []any{id.UUID}
		case "mac":
			for _, m := range id.MACs {
				found, err := r.findOne("SELECT c.id FROM computer_macs m JOIN computers c ON c.id = m.computer_id WHERE m.mac = ? AND c.deleted_at IS NULL ORDER BY c.id LIMIT 1", m)
				if found != 0 || err != nil {
					return found, err
				}
			}
			continue
		case "name":
			if id.Name == "" {
				continue
			}
			// Two lookups rather than one OR, so that each uses its index.
			byHost, err := r.findComputer("organization_id = ? AND lower(hostname) = lower(?)", org, id.Name)
			if err != nil {
				return 0, err
			}
			byName, err := r.findComputer("organization_id = ? AND lower(name) = lower(?)", org, id.Name)
			if err != nil {
				return 0, err
			}
			if byHost != 0 && (byName == 0 || byHost < byName) {
				return byHost, nil
			}
			if byName != 0 {
				return byName, nil
			}
			continue
		default:
			continue
		}
		found, err := r.findComputer(q, args...)
		if found != 0 || err != nil {
			return found, err
		}
	}
	// The agent's own link, when no rule recognised the machine (its serial went
	// missing, say): the same installation keeps reporting the same computer.
	_, linked, err := agentRow(r.ctx, r.tx, r.inv.DeviceID, r.meta.AgentID)
	if err != nil || linked == 0 {
		return 0, err
	}
	return r.findComputer("id = ?", linked)
}

func (r *run) findComputer(cond string, args ...any) (int64, error) {
	return r.findOne("SELECT id FROM computers WHERE deleted_at IS NULL AND "+cond+" ORDER BY id LIMIT 1", args...)
}

// findOne runs a query for one id; 0 when there is no row.
func (r *run) findOne(query string, args ...any) (int64, error) {
	var id int64
	err := r.tx.QueryRowContext(r.ctx, query, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

func (r *run) matchRules() ([]string, error) {
	rows, err := r.tx.QueryContext(r.ctx, "SELECT match_on FROM inventory_rules WHERE kind = 'match' AND active = ? AND deleted_at IS NULL AND match_on IS NOT NULL ORDER BY position, id", true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		out = defaultMatch
	}
	return out, rows.Err()
}

// DefaultOrgSetting names the setting holding the organisation new machines go to
// when no assignment rule applies (a quarantine organisation, for example).
const DefaultOrgSetting = "inventory.default_org"

// target decides the organisation and location of a new machine: the first active
// assignment rule whose conditions all hold, else the default organisation.
func (r *run) target() (org, location int64, err error) {
	rows, err := r.tx.QueryContext(r.ctx, `SELECT organization_id, COALESCE(ip_range, ''), COALESCE(tag, ''), COALESCE(domain, ''), COALESCE(location_id, 0)
		FROM inventory_rules WHERE kind = 'assign' AND active = ? AND deleted_at IS NULL ORDER BY position, id`, true)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	ips := []string{r.inv.PrimaryIP(), r.meta.RemoteIP}
	domains := []string{r.inv.Hardware.Workgroup, r.inv.OS.DNSDomain}
	for rows.Next() {
		var o, loc int64
		var ipRange, tag, domain string
		if err := rows.Scan(&o, &ipRange, &tag, &domain, &loc); err != nil {
			return 0, 0, err
		}
		if ipRange != "" && !inRange(ipRange, ips) {
			continue
		}
		if tag != "" && !strings.EqualFold(tag, r.inv.Tag) {
			continue
		}
		if domain != "" && !equalsAny(domain, domains) {
			continue
		}
		if r.actor.Tree.Get(o) != nil {
			return o, loc, nil
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	if v, err := r.s.App.Records.Setting(r.ctx, r.tx, DefaultOrgSetting); err == nil && v != "" {
		if id := record.ParseID(v); r.actor.Tree.Get(id) != nil {
			return id, 0, nil
		}
	}
	return r.actor.Tree.Root, 0, nil
}

func inRange(cidr string, ips []string) bool {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return false
	}
	for _, s := range ips {
		if a, err := netip.ParseAddr(s); err == nil && p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

func equalsAny(want string, have []string) bool {
	for _, h := range have {
		if h != "" && strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(want)) {
			return true
		}
	}
	return false
}

// create stores a new computer named after the host, where the rules put it.
func (r *run) create() (int64, error) {
	org, loc, err := r.target()
	if err != nil {
		return 0, err
	}
	name := clip(r.inv.Identity().Name, 255)
	if name == "" {
		name = clip(r.inv.DeviceID, 255)
	}
	in := record.Input{"name": name, "organization_id": org}
	if loc != 0 {
		in["location_id"] = loc
	}
	if err := r.setDefaultState(in); err != nil {
		return 0, err
	}
	c, err := r.s.App.Records.CreateTx(r.ctx, r.tx, r.actor, r.s.App.Reg.MustType("computers"), in)
	if err != nil {
		return 0, err
	}
	return c.ID, nil
}

// clip makes a reported value fit a single-line field of at most n characters: an
// agent's odd characters are cleaned (record.CleanLine) rather than failing the
// whole inventory.
func clip(s string, n int) string {
	s = record.CleanLine(s)
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
