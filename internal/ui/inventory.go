package ui

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"parc/internal/ingest"
	"parc/internal/record"
)

// This file holds the pages of automated inventory: a computer's hardware summary,
// components, installed software and last document; the computers a software is
// installed on; the inventory's history entries; the fields locked against it.

// lockable are the fields an inventory writes (internal/ingest: computer.go, vms.go,
// monitors.go, devices.go), in the order the edit form offers to lock them; a type
// offers those it has.
var lockable = []string{"serial", "uuid", "manufacturer_id", "model_id", "os_name", "os_version", "os_kernel", "os_arch",
	"hostname", "domain", "processor", "cpu_cores", "memory_mb", "disk_mb", "primary_ip", "ip_addresses", "mac_addresses",
	"bios_version", "is_virtual", "last_user", "host_id", "vm_state", "computer_id", "ip_address", "mac_address", "firmware", "ports"}

// lockField is the field that lists a type's locked fields, when it has one.
func lockField(t *record.Type) *record.Field {
	return t.Field("locked_fields")
}

// lockedSet reads a locked_fields value: comma-separated field names.
func lockedSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out[n] = true
		}
	}
	return out
}

// joinLocks writes the posted lock boxes back as one comma-separated value, in the
// order given, without blanks or repeats.
func joinLocks(vs []string) string {
	var out []string
	for _, v := range vs {
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n != "" && !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return strings.Join(out, ",")
}

// lockChoices are the boxes of the lock field: every lockable field of t, then any
// other name the value holds (set through the API), so that saving keeps it.
func (u *UI) lockChoices(c *req, t *record.Type, value string) []Choice {
	set := lockedSet(value)
	var out []Choice
	for _, n := range lockable {
		if f := t.Field(n); f != nil {
			out = append(out, Choice{Name: n, Label: c.T(f.LabelKey()), Checked: set[n]})
			delete(set, n)
		}
	}
	for _, n := range sortedKeys(set) {
		out = append(out, Choice{Name: n, Label: u.fieldLabel(c, t, n), Checked: true})
	}
	return out
}

// lockLabels names the locked fields of a record for reading.
func (u *UI) lockLabels(c *req, t *record.Type, value string) string {
	var names []string
	for _, ch := range u.lockChoices(c, t, value) {
		if ch.Checked {
			names = append(names, ch.Label)
		}
	}
	return strings.Join(names, ", ")
}

// DetailBlock is a titled group of details on the details tab (hardware, inventory).
type DetailBlock struct {
	ID, Title string
	Details   []Detail
	Actions   []Link
}

// Link is a labelled link; Download marks a file to save.
type Link struct {
	Label, Href string
	Download    bool
}

// inventoryOnly reports whether a computer field is shown in the hardware and
// inventory blocks rather than among the details.
func inventoryOnly(f *record.Field, hasInv bool) bool {
	if f.ReadOnly {
		return true
	}
	return hasInv && (f.Name == "os_name" || f.Name == "os_version")
}

// hardwareBlock sums up a computer's last inventory for reading: sizes in GB, lists
// one per line, empty values left out.
func (u *UI) hardwareBlock(c *req, t *record.Type, rec *record.Record, locked map[string]bool) DetailBlock {
	b := DetailBlock{ID: "hardware", Title: c.T("ui.inv.hardware")}
	label := func(name string) string {
		if f := t.Field(name); f != nil {
			return c.T(f.LabelKey())
		}
		return name
	}
	add := func(lbl, text string, lines []string, fields ...string) {
		if text == "" && len(lines) == 0 {
			return
		}
		d := Detail{Label: lbl, Text: text, Lines: lines}
		for _, f := range fields {
			d.Locked = d.Locked || locked[f]
		}
		b.Details = append(b.Details, d)
	}
	proc := rec.String("processor")
	if n := rec.Int("cpu_cores"); n > 0 && proc != "" {
		proc = c.T("ui.inv.cores", proc, n)
	}
	add(label("processor"), proc, nil, "processor", "cpu_cores")
	if mb := rec.Int("memory_mb"); mb > 0 {
		add(c.T("ui.inv.memory"), fmtSize(c, mb), nil, "memory_mb")
	}
	if mb := rec.Int("disk_mb"); mb > 0 {
		add(c.T("ui.inv.disk"), fmtSize(c, mb), nil, "disk_mb")
	}
	osName, osVersion := rec.String("os_name"), rec.String("os_version")
	if osVersion != "" && !strings.Contains(osName, osVersion) {
		osName = strings.TrimSpace(osName + " " + osVersion)
	}
	add(c.T("ui.inv.os"), osName, nil, "os_name", "os_version")
	add(label("os_kernel"), rec.String("os_kernel"), nil, "os_kernel")
	add(label("os_arch"), rec.String("os_arch"), nil, "os_arch")
	add(label("hostname"), rec.String("hostname"), nil, "hostname")
	add(label("domain"), rec.String("domain"), nil, "domain")
	ips := splitList(rec.String("ip_addresses"))
	if p := rec.String("primary_ip"); p != "" {
		ips = append([]string{p}, slices.DeleteFunc(ips, func(s string) bool { return s == p })...)
	}
	add(label("ip_addresses"), "", ips, "ip_addresses", "primary_ip")
	add(label("mac_addresses"), "", splitList(rec.String("mac_addresses")), "mac_addresses")
	if v := rec.Get("is_virtual"); v != nil {
		add(label("is_virtual"), u.display(c, t.Field("is_virtual"), v), nil, "is_virtual")
	}
	add(label("vm_state"), rec.String("vm_state"), nil, "vm_state")
	add(label("last_user"), rec.String("last_user"), nil, "last_user")
	add(label("bios_version"), rec.String("bios_version"), nil, "bios_version")
	return b
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// protocolLabel names an inventory format.
func protocolLabel(c *req, format string) string {
	if key := "ui.inv.format." + format; c.cat.Has(c.Lang, key) {
		return c.T(key)
	}
	return format
}

// inventoryBlock tells where the computer's data comes from: when, by which
// protocol and agent, and offers the document last received.
func (u *UI) inventoryBlock(c *req, rec *record.Record, href string) (DetailBlock, error) {
	b := DetailBlock{ID: "inventory", Title: c.T("ui.inv.title")}
	at, _ := rec.Get("last_inventory_at").(time.Time)
	if !at.IsZero() {
		b.Details = append(b.Details, Detail{Label: c.T("field.last_inventory_at"), Text: fmtDateTime(c.Lang, at, u.Loc)})
	}
	if f := rec.String("inventory_format"); f != "" {
		b.Details = append(b.Details, Detail{Label: c.T("ui.inv.protocol"), Text: protocolLabel(c, f)})
	}
	agents := u.App.Reg.MustType("agents")
	if c.Actor.Can(agents, record.Read) {
		q := record.ListQuery{Filters: []record.Filter{{Field: "computer_id", Op: record.OpEq, Value: strconv.FormatInt(rec.ID, 10)}}, Limit: 5}
		page, err := u.App.Records.List(c.R.Context(), c.Actor, agents, q)
		if err != nil {
			return b, err
		}
		for _, a := range page.Records {
			d := Detail{Label: c.T("type.agent"), Text: a.Label(), Href: "/agents/" + strconv.FormatInt(a.ID, 10)}
			if v := strings.TrimSpace(a.String("agent_name") + " " + a.String("agent_version")); v != "" {
				d.Lines = []string{v}
			}
			if t, ok := a.Get("last_contact_at").(time.Time); ok {
				d.Lines = append(d.Lines, c.T("ui.inv.last_contact", fmtDateTime(c.Lang, t, u.Loc)))
			}
			b.Details = append(b.Details, d)
		}
	}
	if n := rec.Int("software_count"); n > 0 {
		b.Details = append(b.Details, Detail{Label: c.T("field.software_count"), Text: fmtInt(c.Lang, n), Href: href + "?tab=software"})
	}
	if !at.IsZero() {
		b.Actions = append(b.Actions, Link{Label: c.T("ui.inv.download"), Href: href + "/inventory", Download: true})
	}
	return b, nil
}

// rawInventory sends the last inventory document of a computer as received, as a
// file to save (the API's GET /api/v1/computers/{id}/inventory).
func (u *UI) rawInventory(c *req) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	doc, format, at, err := u.Inventory.Raw(c.R.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	ct, ext := "application/xml", "xml"
	if len(doc) > 0 && (doc[0] == '{' || doc[0] == '[') {
		ct, ext = "application/json", "json"
	}
	h := c.W.Header()
	h.Set("Content-Type", ct+"; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="computer-%d-%s-%s.%s"`, id, format, at.Format("20060102-150405"), ext))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	c.W.Write(doc)
	return nil
}

// ComponentGroup is the table of one kind of components.
type ComponentGroup struct {
	ID, Title string
	Count     int
	Columns   []Column
	Rows      [][]Cell
}

// componentKinds are the kinds of components in the order the tab shows them.
var componentKinds = []string{"cpu", "memory", "storage", "volume", "network", "video", "controller", "battery", "powersupply", "monitor",
	"antivirus", "remote_mgmt", "firmware", "vm", "port"}

// kindName is the translated name of a kind of component, one or several.
func kindName(c *req, kind string, plural bool) string {
	key := "ui.comp.one." + kind
	if plural {
		key = "ui.comp.kind." + kind
	}
	if c.cat.Has(c.Lang, key) {
		return c.T(key)
	}
	return kind
}

// compDetails are a component's kind-specific details.
type compDetails map[string]any

func (d compDetails) str(k string) string {
	switch v := d[k].(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

func (d compDetails) num(k string) int64 {
	switch v := d[k].(type) {
	case float64:
		return int64(v)
	case string:
		n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		return n
	}
	return 0
}

func (d compDetails) list(k string) []string {
	var out []string
	if l, ok := d[k].([]any); ok {
		for _, x := range l {
			if s, ok := x.(string); ok && s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// compCol is one column of a kind's table.
type compCol struct {
	key   string // ui.comp.col.<key>
	class string
	get   func(c *req, x *ingest.Component, d compDetails) string
}

func colDesignation(key string) compCol {
	return compCol{key: key, get: func(_ *req, x *ingest.Component, _ compDetails) string { return x.Designation }}
}

var (
	colManufacturer = compCol{key: "manufacturer", get: func(_ *req, x *ingest.Component, _ compDetails) string { return x.Manufacturer }}
	colSerial       = compCol{key: "serial", get: func(_ *req, x *ingest.Component, _ compDetails) string { return x.Serial }}
	colSize         = compCol{key: "size", class: "num", get: func(c *req, x *ingest.Component, _ compDetails) string {
		if x.SizeMB <= 0 {
			return ""
		}
		return fmtSize(c, x.SizeMB)
	}}
)

func colText(key, detail string) compCol {
	return compCol{key: key, get: func(_ *req, _ *ingest.Component, d compDetails) string { return d.str(detail) }}
}

// colIndex is a number that names a thing (a port's SNMP ifIndex), shown as its
// digits: grouped like a quantity ("83 886 080"), it reads as one.
func colIndex(key, detail string) compCol {
	return compCol{key: key, class: "num", get: func(_ *req, _ *ingest.Component, d compDetails) string {
		if n := d.num(detail); n > 0 {
			return strconv.FormatInt(n, 10)
		}
		return ""
	}}
}

func colInt(key, detail string) compCol {
	return compCol{key: key, class: "num", get: func(c *req, _ *ingest.Component, d compDetails) string {
		if n := d.num(detail); n > 0 {
			return fmtInt(c.Lang, n)
		}
		return ""
	}}
}

func colMHz(key, detail string) compCol {
	return compCol{key: key, class: "num", get: func(c *req, _ *ingest.Component, d compDetails) string {
		if n := d.num(detail); n > 0 {
			return c.T("ui.unit.mhz", fmtInt(c.Lang, n))
		}
		return ""
	}}
}

func colMBSize(key, detail string) compCol {
	return compCol{key: key, class: "num", get: func(c *req, _ *ingest.Component, d compDetails) string {
		if n := d.num(detail); n > 0 {
			return fmtSize(c, n)
		}
		return ""
	}}
}

func colWh(key, detail string) compCol {
	return compCol{key: key, class: "num", get: func(c *req, _ *ingest.Component, d compDetails) string {
		if n := d.num(detail); n > 0 {
			return c.T("ui.unit.wh", fmtScaled(c.Lang, float64(n)/1000))
		}
		return ""
	}}
}

func colBool(key, detail string) compCol {
	return compCol{key: key, get: func(c *req, _ *ingest.Component, d compDetails) string {
		switch v := d[detail].(type) {
		case bool:
			if v {
				return c.T("ui.yes")
			}
			return c.T("ui.no")
		case float64:
			if v != 0 {
				return c.T("ui.yes")
			}
			return c.T("ui.no")
		}
		return ""
	}}
}

// componentCols are the columns of each kind; columns empty on every row are left out.
var componentCols = map[string][]compCol{
	"cpu": {colDesignation("model"), colManufacturer, colInt("cores", "cores"), colInt("threads", "threads"),
		colMHz("speed", "speed_mhz"), colText("arch", "arch"), colSerial},
	"memory": {colDesignation("type"), colSize, colMHz("speed", "speed_mhz"), colText("slot", "slot"), colManufacturer, colSerial},
	"storage": {colDesignation("model"), colText("device", "name"), colSize, colText("type", "type"), colText("interface", "interface"),
		colManufacturer, colSerial, colText("firmware", "firmware")},
	"volume": {colDesignation("mount"), colText("device", "device"), colText("fs_type", "fs_type"), colSize,
		{key: "free", class: "num", get: func(c *req, x *ingest.Component, d compDetails) string {
			free, ok := d["free_mb"].(float64)
			if !ok {
				return ""
			}
			s := fmtSize(c, int64(free))
			if x.SizeMB > 0 {
				s += " (" + c.T("ui.unit.percent", fmtInt(c.Lang, int64(free*100/float64(x.SizeMB)+0.5))) + ")"
			}
			return s
		}},
		colText("label", "label"), colText("encryption", "encryption"), colSerial},
	"network": {colDesignation("interface_name"),
		{key: "mac", get: func(_ *req, x *ingest.Component, d compDetails) string {
			if m := d.str("mac"); m != "" {
				return m
			}
			return x.Serial
		}},
		{key: "ips", class: "wrap", get: func(_ *req, _ *ingest.Component, d compDetails) string { return strings.Join(d.list("ips"), ", ") }},
		colText("type", "type"),
		{key: "status", get: func(c *req, _ *ingest.Component, d compDetails) string {
			s := strings.ToLower(d.str("status"))
			if key := "ui.comp.status." + s; s != "" && c.cat.Has(c.Lang, key) {
				return c.T(key)
			}
			return d.str("status")
		}},
		{key: "speed", class: "num", get: func(c *req, _ *ingest.Component, d compDetails) string {
			if n := d.num("speed_mbps"); n > 0 {
				return fmtSpeed(c, n)
			}
			return ""
		}},
		colText("gateway", "gateway"), colBool("virtual", "virtual")},
	"video":      {colDesignation("name"), colText("chipset", "chipset"), colSize, colText("resolution", "resolution")},
	"controller": {colDesignation("name"), colManufacturer, colText("type", "type"), colText("driver", "driver"), colText("pci_slot", "pci_slot")},
	"battery": {colDesignation("name"), colManufacturer, colText("chemistry", "chemistry"), colWh("capacity", "capacity_mwh"),
		colWh("real_capacity", "real_capacity_mwh"), colSerial},
	"monitor":   {colDesignation("name"), colManufacturer, colText("model", "model"), colSerial, colText("port", "port")},
	"antivirus": {colDesignation("name"), colManufacturer, colBool("enabled", "enabled"), colBool("uptodate", "uptodate"), colText("base_version", "base_version")},
	"remote_mgmt": {{key: "tool", get: func(c *req, _ *ingest.Component, d compDetails) string {
		if key := "ui.comp.tool." + d.str("type"); d.str("type") != "" && c.cat.Has(c.Lang, key) {
			return c.T(key)
		}
		return d.str("type")
	}}, colDesignation("remote_id"), colText("version", "version")},
	"firmware": {colDesignation("name"), colManufacturer, colText("type", "type"), colText("version", "version"), colText("date", "date")},
	"powersupply": {colDesignation("name"), colManufacturer, colText("model", "model"), colText("part_number", "part_number"),
		{key: "power", class: "num", get: func(c *req, _ *ingest.Component, d compDetails) string {
			if n := d.num("power_max_w"); n > 0 {
				return c.T("ui.unit.watts", fmtInt(c.Lang, n))
			}
			return ""
		}},
		colBool("hot_replaceable", "hot_replaceable"), colBool("plugged", "plugged"), colText("status", "status"), colSerial},
	"port": {colIndex("number", "number"), colDesignation("name"), colText("description", "description"),
		{key: "mac", get: func(_ *req, x *ingest.Component, _ compDetails) string { return x.Serial }},
		{key: "ips", class: "wrap", get: func(_ *req, _ *ingest.Component, d compDetails) string { return strings.Join(d.list("ips"), ", ") }},
		{key: "speed", class: "num", get: func(c *req, _ *ingest.Component, d compDetails) string {
			if n := d.num("speed_mbps"); n > 0 {
				return fmtSpeed(c, n)
			}
			return ""
		}},
		{key: "status", get: func(c *req, _ *ingest.Component, d compDetails) string {
			if s := d.str("status"); s != "" {
				return c.T("ui.comp.status." + s)
			}
			return ""
		}},
		colBool("virtual", "virtual")},
	"vm": {colDesignation("name"), colText("vmtype", "vmtype"), colText("status", "status"), colInt("vcpus", "vcpus"),
		{key: "memory", class: "num", get: func(c *req, x *ingest.Component, _ compDetails) string {
			if x.SizeMB <= 0 {
				return ""
			}
			return fmtSize(c, x.SizeMB)
		}},
		colText("uuid", "uuid")},
}

// defaultCols are the columns of a kind this page does not know.
var defaultCols = []compCol{colDesignation("name"), colManufacturer, colSize, colSerial}

// componentGroups lays a computer's components out kind by kind.
func (u *UI) componentGroups(c *req, id int64) ([]ComponentGroup, error) {
	cs, err := u.Inventory.Components(c.R.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	return u.groups(c, cs), nil
}

// groups lays components out kind by kind.
func (u *UI) groups(c *req, cs []ingest.Component) []ComponentGroup {
	byKind := map[string][]ingest.Component{}
	kinds := slices.Clone(componentKinds)
	for _, x := range cs {
		if _, ok := byKind[x.Kind]; !ok && !slices.Contains(kinds, x.Kind) {
			kinds = append(kinds, x.Kind)
		}
		byKind[x.Kind] = append(byKind[x.Kind], x)
	}
	var out []ComponentGroup
	for _, kind := range kinds {
		list := byKind[kind]
		if len(list) == 0 {
			continue
		}
		cols, ok := componentCols[kind]
		if !ok {
			cols = defaultCols
		}
		g := ComponentGroup{ID: "comp-" + kind, Title: kindName(c, kind, true), Count: len(list)}
		rows := make([][]Cell, len(list))
		used := make([]bool, len(cols))
		for i := range list {
			var d compDetails
			json.Unmarshal(list[i].Details, &d)
			for j, col := range cols {
				text := col.get(c, &list[i], d)
				used[j] = used[j] || text != ""
				rows[i] = append(rows[i], Cell{Text: text, Class: col.class})
			}
		}
		for j, col := range cols {
			if used[j] || j == 0 {
				g.Columns = append(g.Columns, Column{Label: c.T("ui.comp.col." + col.key), Class: col.class})
			}
		}
		for _, r := range rows {
			var kept []Cell
			for j, cell := range r {
				if used[j] || j == 0 {
					kept = append(kept, cell)
				}
			}
			g.Rows = append(g.Rows, kept)
		}
		out = append(out, g)
	}
	return out
}

// SoftwareTab is the installed software of a computer.
type SoftwareTab struct {
	Action   string // the item page, for the filter form
	Query    string
	Count    string
	Template string // the count once filtered in the browser: {n} and {total} are replaced
	Total    int
	// Columns empty on every installed software are left out.
	HasPublisher, HasArch, HasDate bool
	Rows                           []SoftwareRow
	ClearHref                      string
	Empty                          string
}

// SoftwareRow is one installed software.
type SoftwareRow struct {
	Name, Href, Publisher, Version, Arch, Date string
}

func (u *UI) softwareTab(c *req, id int64, href string) (*SoftwareTab, error) {
	list, err := u.Inventory.Installations(c.R.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	st := &SoftwareTab{Action: href, Query: strings.TrimSpace(c.R.URL.Query().Get("sq")), Total: len(list)}
	st.Template = c.T("ui.sw.shown", "{n}", "{total}")
	canRead := c.Actor.Can(u.App.Reg.MustType("software"), record.Read)
	q := strings.ToLower(st.Query)
	for _, in := range list {
		st.HasPublisher = st.HasPublisher || in.Publisher != ""
		st.HasArch = st.HasArch || in.Arch != ""
		st.HasDate = st.HasDate || in.InstallDate != ""
	}
	for _, in := range list {
		if q != "" && !strings.Contains(strings.ToLower(in.Name+"\x00"+in.Publisher+"\x00"+in.Version), q) {
			continue
		}
		r := SoftwareRow{Name: in.Name, Publisher: in.Publisher, Version: in.Version, Arch: in.Arch, Date: fmtDate(c.Lang, in.InstallDate)}
		if canRead {
			r.Href = "/software/" + strconv.FormatInt(in.SoftwareID, 10)
		}
		st.Rows = append(st.Rows, r)
	}
	if q != "" {
		st.Count = c.T("ui.sw.shown", fmtInt(c.Lang, int64(len(st.Rows))), fmtInt(c.Lang, int64(len(list))))
		st.ClearHref = href + "?tab=software"
		if len(st.Rows) == 0 {
			st.Empty = c.T("ui.sw.no_match")
		}
	} else {
		st.Count = softwareCount(c, int64(len(list)))
		if len(list) == 0 {
			st.Empty = c.T("ui.sw.none")
		}
	}
	return st, nil
}

// softwareCount says how many packages are installed: "1 231 installed packages".
func softwareCount(c *req, n int64) string {
	if n == 1 || (c.Lang == "fr" && n == 0) {
		return c.T("ui.sw.count_one", fmtInt(c.Lang, n))
	}
	return c.T("ui.sw.count", fmtInt(c.Lang, n))
}

// InstalledOn lists the computers a software is installed on.
type InstalledOn struct {
	Count                        string
	Columns                      []Column
	Rows                         []Row
	NextHref, FirstHref, AllHref string
	Empty                        string
}

// Table is the computers' table with its pager.
func (o *InstalledOn) Table() TableView {
	return TableView{Columns: o.Columns, Rows: o.Rows, FirstHref: o.FirstHref, NextHref: o.NextHref}
}

// softwareFilter is the computers list filter of the machines with a software.
func softwareFilter(name string) record.Filter {
	return record.Filter{Field: "software", Op: record.OpEq, Value: name}
}

// installedOn lists, page by page, the computers the actor may read that have the
// software, with the versions installed.
func (u *UI) installedOn(c *req, rec *record.Record, href string) (*InstalledOn, error) {
	comps := u.App.Reg.MustType("computers")
	name := rec.String("name")
	cursor := c.R.URL.Query().Get("cursor")
	q := record.ListQuery{Filters: []record.Filter{softwareFilter(name)}, Limit: record.DefaultLimit, Cursor: cursor, Count: true}
	page, err := u.App.Records.List(c.R.Context(), c.Actor, comps, q)
	if e, ok := record.AsError(err); ok && e.Code == record.CodeInvalid && cursor != "" {
		q.Cursor = ""
		page, err = u.App.Records.List(c.R.Context(), c.Actor, comps, q)
	}
	if err != nil {
		return nil, err
	}
	out := &InstalledOn{Count: countText(c, comps, page.Total, page.TotalCapped)}
	all := url.Values{"filter": {"software:eq:" + name}}
	out.AllHref = withQuery("/computers", all)
	if page.NextCursor != "" {
		v := url.Values{"tab": {"computers"}, "cursor": {page.NextCursor}}
		out.NextHref = href + "?" + v.Encode()
	}
	if q.Cursor != "" {
		out.FirstHref = href + "?tab=computers"
	}
	versions, err := u.Inventory.InstalledVersions(c.R.Context(), name, page.Records)
	if err != nil {
		return nil, err
	}
	withOrg := showOrg(c.Actor, comps)
	out.Columns = []Column{{Label: c.T("field.name")}, {Label: c.T("ui.sw.version")}, {Label: c.T("field.os_name")}, {Label: c.T("field.last_inventory_at")}}
	if withOrg {
		out.Columns = append(out.Columns, Column{Label: c.T("field.organization_id")})
	}
	for _, r := range page.Records {
		row := Row{ID: r.ID, Href: "/computers/" + strconv.FormatInt(r.ID, 10), Label: r.Label()}
		label := r.Label()
		if label == "" {
			label = "#" + strconv.FormatInt(r.ID, 10)
		}
		row.Cells = []Cell{{Text: label, Href: row.Href}, {Text: strings.Join(versions[r.ID], ", ")},
			{Text: r.String("os_name")}, u.cell(c, r, comps.Field("last_inventory_at"))}
		if withOrg {
			row.Cells = append(row.Cells, Cell{Text: r.Display["organization_id"]})
		}
		out.Rows = append(out.Rows, row)
	}
	if len(out.Rows) == 0 {
		out.Empty = c.T("ui.sw.nowhere")
	}
	return out, nil
}

// sizeInLabel finds the sizes ingest writes into component labels ("DDR4 (8 GB)").
var sizeInLabel = regexp.MustCompile(`\((\d+) (MB|GB)\)`)

// localSizes writes the sizes of a component label in the reader's units.
func localSizes(c *req, s string) string {
	return sizeInLabel.ReplaceAllStringFunc(s, func(m string) string {
		p := sizeInLabel.FindStringSubmatch(m)
		n, _ := strconv.ParseInt(p[1], 10, 64)
		key := "ui.unit.mb"
		if p[2] == "GB" {
			key = "ui.unit.gb"
		}
		return "(" + c.T(key, fmtInt(c.Lang, n)) + ")"
	})
}

// compHeads and softwareHeads start the sentences of inventory history entries.
var (
	compHeads     = map[string]string{"added": "ui.history.comp_added", "removed": "ui.history.comp_removed", "changed": "ui.history.comp_changed"}
	softwareHeads = map[string]string{"added": "ui.history.sw_added", "removed": "ui.history.sw_removed", "changed": "ui.history.sw_changed"}
)

// inventoryHistory renders the history entries of inventory's components and
// software as sentences: "Memory added: DDR4 (8 GB)", "Software updated: openssl
// 3.0.11 → 3.0.13". It reports false for other entries.
func inventoryHistory(c *req, e record.Entry, h *HistoryRow) bool {
	verb := "changed"
	switch {
	case e.OldValue == "":
		verb = "added"
	case e.NewValue == "":
		verb = "removed"
	}
	switch {
	case e.Action == "components" && strings.HasPrefix(e.Field, "component."):
		h.Head = c.T(compHeads[verb], kindName(c, strings.TrimPrefix(e.Field, "component."), false))
		h.Old, h.New = localSizes(c, e.OldValue), localSizes(c, e.NewValue)
	case e.Action == "software" && e.Field == "software":
		h.Head = c.T(softwareHeads[verb])
		h.Old, h.New = e.OldValue, e.NewValue
		if verb == "changed" {
			// "openssl 3.0.11" → "openssl 3.0.13" reads "openssl 3.0.11 → 3.0.13".
			if i := strings.LastIndexByte(commonPrefix(h.Old, h.New), ' '); i > 0 {
				h.New = h.New[i+1:]
			}
		}
	default:
		return false
	}
	h.Verb = verb
	return true
}

func commonPrefix(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return a[:n]
}

// staleSince is the start of the day, 30 days ago, in UTC: the agents list's quick
// link for agents that stopped reporting, stable over a day.
func staleSince(now time.Time) string {
	d := now.UTC().AddDate(0, 0, -30)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
}
