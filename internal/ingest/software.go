package ingest

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"parc/internal/asset"
	"parc/internal/inventory"
	"parc/internal/record"
	"parc/internal/softver"
	"parc/internal/store"
)

// dictRule is an active software dictionary rule.
type dictRule struct {
	name, publisher *regexp.Regexp
	action          string
	newName, newPub string
}

// Dictionary is a set of software dictionary rules in the order they apply. The
// inventory files reported software through it, and Refile files the catalogue's
// existing entries through one again.
type Dictionary struct{ rules []dictRule }

// LoadDictionary reads the active shared dictionary rules (those of no
// organisation): the only ones that may re-file the catalogue, which every
// organisation shares. A client's own rules apply to its computers' inventories
// (dictionary), never to the shared entries.
func LoadDictionary(ctx context.Context, q store.Querier) (Dictionary, error) {
	rules, err := readRules(ctx, q, "organization_id IS NULL", nil)
	return Dictionary{rules}, err
}

// DictionaryRule is a rule as written, for a preview of a rule not saved yet.
type DictionaryRule struct {
	MatchName, MatchPublisher, Action, NewName, NewPublisher string
}

// With is the dictionary with rule r applied after the others; a rule whose
// patterns do not compile is left out.
func (d Dictionary) With(r DictionaryRule) Dictionary {
	out := Dictionary{slices.Clone(d.rules)}
	if dr, ok := compileRule(r.MatchName, r.MatchPublisher, r.Action, r.NewName, r.NewPublisher); ok {
		out.rules = append(out.rules, dr)
	}
	return out
}

// dictionary reads the rules that file the software of a computer of organisation
// org: the shared ones, org's own and its ancestors' visible below them. A client's
// rule never changes another client's inventory.
func dictionary(ctx context.Context, q store.Querier, tree *record.OrgTree, org int64) (Dictionary, error) {
	vis, args := record.VisibleFromSQL(tree, org)
	rules, err := readRules(ctx, q, vis, args)
	return Dictionary{rules}, err
}

// readRules reads the active rules that where selects, in the order they apply.
func readRules(ctx context.Context, q store.Querier, where string, args []any) ([]dictRule, error) {
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(match_name, ''), COALESCE(match_publisher, ''), action, COALESCE(new_name, ''), COALESCE(new_publisher, '')
		FROM software_rules WHERE active = ? AND deleted_at IS NULL AND `+where+` ORDER BY position, id`, append([]any{true}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dictRule
	for rows.Next() {
		var mn, mp, action, newName, newPub string
		if err := rows.Scan(&mn, &mp, &action, &newName, &newPub); err != nil {
			return nil, err
		}
		if d, ok := compileRule(mn, mp, action, newName, newPub); ok {
			out = append(out, d)
		}
	}
	return out, rows.Err()
}

// compileRule compiles a rule's patterns; a rule that does not compile (refused
// at save time) is skipped rather than failing inventories.
func compileRule(mn, mp, action, newName, newPub string) (dictRule, bool) {
	d := dictRule{action: action, newName: newName, newPub: newPub}
	var err1, err2 error
	if mn != "" {
		d.name, err1 = regexp.Compile("(?i)" + mn)
	}
	if mp != "" {
		d.publisher, err2 = regexp.Compile("(?i)" + mp)
	}
	return d, err1 == nil && err2 == nil
}

// versionInName finds a version number at the end of a name, and the
// architecture in parentheses after it: "7-Zip 23.01 (x64)", "Mozilla Firefox
// 128.0 (x64 fr)", "Microsoft Visual C++ 2015-2022 Redistributable (x64) -
// 14.36.32532". A number joined to the name (python3.11, tcl8.6) is part of it.
var versionInName = regexp.MustCompile(`^(.*?\S)(?:\s+-)?\s+v?(\d+(?:\.\d+)+[0-9A-Za-z.+~-]*)(?:\s*\(((?:x64|x86|x86_64|amd64|arm64|64-bit|32-bit|64 bits?|32 bits?)\b[^)]*)\))?$`)

// splitVersion moves a version number reported inside a name to the version:
// when the agent reported no version, or one that the number in the name agrees
// with (one starts with the other), the name loses the number and the
// architecture after it.
func splitVersion(name, version, arch string) (string, string, string) {
	m := versionInName.FindStringSubmatch(name)
	if m == nil {
		return name, version, arch
	}
	inName := m[2]
	if version != "" && !strings.HasPrefix(version, inName) && !strings.HasPrefix(inName, version) {
		return name, version, arch
	}
	if version == "" {
		version = inName
	}
	if arch == "" && m[3] != "" {
		arch = strings.Fields(m[3])[0]
	}
	return m[1], version, arch
}

// file applies the dictionary to one reported software (or catalogue entry):
// the version in its name moved to its version, then the rules in order. It
// reports false when a rule ignores it or its name ends up empty.
func (d Dictionary) file(in install) (install, bool) {
	in.name, in.version, in.arch = splitVersion(in.name, in.version, in.arch)
	for _, r := range d.rules {
		if r.name != nil && !r.name.MatchString(in.name) || r.publisher != nil && !r.publisher.MatchString(in.publisher) {
			continue
		}
		switch r.action {
		case "ignore":
			return in, false
		case "rename":
			in.name = r.newName
		case "set_publisher":
			in.publisher = r.newPub
		case "set_category":
			in.category = r.newName
		}
	}
	if in.name == "" {
		return in, false
	}
	in.name, in.publisher = clip(in.name, 255), clip(in.publisher, 255)
	in.key = swKey{asset.SoftwareKey(in.name), asset.SoftwareKey(in.publisher)}
	return in, true
}

// install is one wanted installation after the dictionary.
type install struct {
	key                       swKey // catalogue key of name and publisher
	name, publisher, category string
	version, arch, date       string
	versionKey                string // softver.Key(version)
	softwareID                int64
}

type instKey struct {
	softwareID    int64
	version, arch string
}

// applySoftware makes the installed software match the inventory: new entries
// installed, missing ones removed, version changes shown as updates.
func (r *run) applySoftware() error {
	var want []install
	if r.pre != nil && r.pre.software != nil && r.pre.org == r.comp.OrgID {
		// A copy: a transaction may run again after its group was rolled back.
		want = slices.Clone(r.pre.software)
	} else {
		var err error
		if want, err = wantedSoftware(r.ctx, r.tx, r.db, r.inv, r.actor.Tree, r.comp.OrgID, nil); err != nil {
			return err
		}
	}
	have, known, err := r.installations()
	if err != nil {
		return err
	}
	if err := r.catalogue(want, known); err != nil {
		return err
	}
	return r.storeSoftware(want, have)
}

// wantedSoftware is the inventory's software after the dictionary, with catalogue
// keys, and catalogue ids for the software q already knows.
func wantedSoftware(ctx context.Context, q store.Querier, db *store.DB, inv *inventory.Inventory, tree *record.OrgTree, org int64, cache *catalogueCache) ([]install, error) {
	dict, err := dictionary(ctx, q, tree, org)
	if err != nil {
		return nil, err
	}
	var want []install
	for _, sw := range inv.Softwares {
		in, ok := dict.file(install{name: strings.TrimSpace(sw.Name), publisher: strings.TrimSpace(sw.Publisher), category: sw.Category,
			version: clip(strings.TrimSpace(sw.Version), 255), arch: clip(sw.Arch, 64), date: sw.InstallDate})
		if !ok {
			continue
		}
		in.versionKey = softver.Key(in.version)
		want = append(want, in)
	}
	keys := map[swKey]int64{}
	for _, w := range want {
		keys[w.key] = 0
	}
	lookup := lookupSoftware
	if cache != nil {
		lookup = cache.fill
	}
	if err := lookup(ctx, q, db, keys); err != nil {
		return nil, err
	}
	for i := range want {
		want[i].softwareID = keys[want[i].key]
	}
	return want, nil
}

// storeSoftware writes the difference between the wanted installations, all in the
// catalogue now, and those the computer has.
func (r *run) storeSoftware(want []install, have map[instKey]string) error {
	wantSet := map[instKey]install{}
	for _, w := range want {
		wantSet[instKey{w.softwareID, w.version, w.arch}] = w
	}
	var add []install
	var del []instKey
	for k, w := range wantSet {
		if _, ok := have[k]; !ok {
			add = append(add, w)
		}
	}
	for k := range have {
		if _, ok := wantSet[k]; !ok {
			del = append(del, k)
		}
	}
	slices.SortFunc(add, func(a, b install) int {
		return cmp.Or(cmp.Compare(a.softwareID, b.softwareID), strings.Compare(a.version, b.version), strings.Compare(a.arch, b.arch))
	})
	slices.SortFunc(del, func(a, b instKey) int { return int(a.softwareID - b.softwareID) })
	for _, k := range del {
		if _, err := r.tx.ExecContext(r.ctx, "DELETE FROM software_installations WHERE computer_id = ? AND software_id = ? AND version = ? AND arch = ?", r.comp.ID, k.softwareID, k.version, k.arch); err != nil {
			return err
		}
	}
	if err := r.insertInstallations(add); err != nil {
		return err
	}
	// install_count counts computers with the software, whatever the version.
	before, after := map[int64]bool{}, map[int64]bool{}
	for k := range have {
		before[k.softwareID] = true
	}
	for k := range wantSet {
		after[k.softwareID] = true
	}
	var plus, minus []int64
	for id := range after {
		if !before[id] {
			plus = append(plus, id)
		}
	}
	for id := range before {
		if !after[id] {
			minus = append(minus, id)
		}
	}
	// Software whose installations changed at all (a version too): what folding
	// hands to its listeners (the licence counts).
	touchedSet := map[int64]bool{}
	for _, a := range add {
		touchedSet[a.softwareID] = true
	}
	for _, k := range del {
		touchedSet[k.softwareID] = true
	}
	touched := slices.Sorted(maps.Keys(touchedSet))
	if len(plus)+len(minus)+len(touched) > 0 {
		// Owed to the catalogue's counts; FoldInstallCounts adds them.
		slices.Sort(plus)
		slices.Sort(minus)
		if _, err := r.tx.ExecContext(r.ctx, "INSERT INTO software_count_changes (added, removed, touched) VALUES (?, ?, ?)", ids(plus), ids(minus), ids(touched)); err != nil {
			return err
		}
	}
	if _, err := r.tx.ExecContext(r.ctx, "UPDATE computers SET software_count = ? WHERE id = ?", len(wantSet), r.comp.ID); err != nil {
		return err
	}
	if r.res.Created {
		return nil
	}
	return r.softwareHistory(add, del, have)
}

// softwareHistory writes installs, removals and version changes.
func (r *run) softwareHistory(add []install, del []instKey, have map[instKey]string) error {
	removed := map[int64][]instKey{}
	for _, k := range del {
		removed[k.softwareID] = append(removed[k.softwareID], k)
	}
	var hist []record.Change
	for _, a := range add {
		if olds := removed[a.softwareID]; len(olds) > 0 {
			hist = append(hist, record.Change{Field: "software", Old: a.name + " " + olds[0].version, New: a.name + " " + a.version})
			removed[a.softwareID] = olds[1:]
			continue
		}
		hist = append(hist, record.Change{Field: "software", New: strings.TrimSpace(a.name + " " + a.version)})
	}
	for _, k := range del {
		for _, left := range removed[k.softwareID] {
			if left == k {
				hist = append(hist, record.Change{Field: "software", Old: strings.TrimSpace(have[k] + " " + k.version)})
			}
		}
	}
	if len(hist) == 0 {
		return nil
	}
	return r.s.App.Records.AddHistoryTx(r.ctx, r.tx, r.actor, r.comp, "software", hist)
}

func ids(list []int64) string {
	var b strings.Builder
	for i, id := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, id)
	}
	return b.String()
}

// installations reads the computer's installations, with each software's name, and
// the catalogue keys of the software already installed (so that a re-inventory looks up
// only the software it has not seen on this machine).
func (r *run) installations() (map[instKey]string, map[swKey]int64, error) {
	rows, err := r.tx.QueryContext(r.ctx, `SELECT i.software_id, i.version, i.arch, s.name, s.name_key, s.publisher_key
		FROM software_installations i JOIN software s ON s.id = i.software_id WHERE i.computer_id = ?`, r.comp.ID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := map[instKey]string{}
	known := map[swKey]int64{}
	for rows.Next() {
		var k instKey
		var name string
		var sk swKey
		if err := rows.Scan(&k.softwareID, &k.version, &k.arch, &name, &sk.name, &sk.publisher); err != nil {
			return nil, nil, err
		}
		out[k] = name
		known[sk] = k.softwareID
	}
	return out, known, rows.Err()
}

func (r *run) insertInstallations(add []install) error {
	if r.db.Dialect == store.SQLite {
		// One row per statement: a multi-row INSERT makes SQLite copy every page it
		// touches into a statement journal first (to undo that statement alone), which
		// costs more than the separate statements, prepared once per connection.
		q := "INSERT INTO software_installations (computer_id, software_id, version, version_key, arch, install_date) VALUES (?, ?, ?, ?, ?, ?)"
		for _, a := range add {
			var date any
			if len(a.date) >= 10 {
				date = a.date[:10]
			}
			if _, err := r.tx.ExecContext(r.ctx, q, r.comp.ID, a.softwareID, a.version, a.versionKey, a.arch, date); err != nil {
				return err
			}
		}
		return nil
	}
	for chunk := range slices.Chunk(add, 400) {
		args := make([]any, 0, len(chunk)*6)
		for _, a := range chunk {
			var date any
			if len(a.date) >= 10 {
				date = a.date[:10]
			}
			args = append(args, r.comp.ID, a.softwareID, a.version, a.versionKey, a.arch, date)
		}
		q := "INSERT INTO software_installations (computer_id, software_id, version, version_key, arch, install_date) VALUES " + store.Rows(len(chunk), 6)
		if _, err := r.tx.ExecContext(r.ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

type swKey struct{ name, publisher string }

// catalogue finds or creates the software entries of the wanted installations and sets
// their ids. Inserts go in key order so that concurrent inventories never deadlock.
func (r *run) catalogue(want []install, known map[swKey]int64) error {
	keys := map[swKey]int64{}
	for _, w := range want {
		// What this transaction reads of the machine wins over a lookup made before it.
		keys[w.key] = cmp.Or(known[w.key], w.softwareID)
	}
	if err := lookupSoftware(r.ctx, r.tx, r.db, keys); err != nil {
		return err
	}
	var missing []swKey
	first := map[swKey]install{}
	for _, w := range want {
		k := w.key
		if keys[k] == 0 {
			if _, seen := first[k]; !seen {
				missing = append(missing, k)
				first[k] = w
			}
		}
	}
	slices.SortFunc(missing, func(a, b swKey) int { return strings.Compare(a.name+"\x00"+a.publisher, b.name+"\x00"+b.publisher) })
	for chunk := range slices.Chunk(missing, 300) {
		args := make([]any, 0, len(chunk)*7)
		for _, k := range chunk {
			w := first[k]
			args = append(args, w.name, nullable(w.publisher), k.name, k.publisher, nullable(w.category), r.now, r.now)
		}
		q := "INSERT INTO software (name, publisher, name_key, publisher_key, category, install_count, version, created_at, updated_at) VALUES " +
			store.Repeat("(?, ?, ?, ?, ?, 0, 1, ?, ?)", len(chunk)) + " ON CONFLICT (name_key, publisher_key) DO NOTHING"
		if _, err := r.tx.ExecContext(r.ctx, q, args...); err != nil {
			return err
		}
	}
	if len(missing) > 0 {
		if err := lookupSoftware(r.ctx, r.tx, r.db, keys); err != nil {
			return err
		}
	}
	for i := range want {
		want[i].softwareID = keys[want[i].key]
		if want[i].softwareID == 0 {
			return fmt.Errorf("software %q was not stored", want[i].name)
		}
	}
	return nil
}

// lookupSoftware fills the ids of the keys still 0 that the catalogue holds.
func lookupSoftware(ctx context.Context, q store.Querier, db *store.DB, keys map[swKey]int64) error {
	names := map[string]bool{}
	for k, id := range keys {
		if id == 0 {
			names[k.name] = true
		}
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	slices.Sort(list)
	for chunk := range slices.Chunk(list, 500) {
		args := make([]any, len(chunk))
		for i, n := range chunk {
			args[i] = n
		}
		ph := store.Placeholders(len(chunk))
		rows, err := q.QueryContext(ctx, "SELECT id, name_key, publisher_key FROM software WHERE name_key IN ("+ph+")", args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var k swKey
			if err := rows.Scan(&id, &k.name, &k.publisher); err != nil {
				rows.Close()
				return err
			}
			if cur, ok := keys[k]; ok && cur == 0 {
				keys[k] = id
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
