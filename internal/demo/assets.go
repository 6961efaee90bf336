package demo

import (
	"fmt"
	"math"
	"strings"
	"time"

	"parc/internal/record"
)

// computerInfo is what the other assets of a desk need to know of its computer.
type computerInfo struct {
	id       int64
	state    string
	owner    *employee
	room     int64
	laptop   bool
	maker    string
	bought   time.Time
	inUse    bool
	location int64
}

// fillSite creates a site's computers with their monitors, docks, webcams and
// phones, then its network equipment, printers and UPS.
func (l *loader) fillSite(s *site) error {
	var owners []*employee
	for _, p := range people {
		if p.site != s.code {
			continue
		}
		e := &employee{id: l.users[p.login], first: p.first, last: p.last, room: pick(l.rng, s.offices), named: true}
		for i := 0; i < p.computers; i++ {
			owners = append(owners, e)
		}
	}
	var staff []*employee
	var desks []computerInfo
	for i := 0; i < s.computers; i++ {
		state := "in_use"
		var owner *employee
		if i < len(owners) {
			owner = owners[i]
		} else {
			state = l.pickState()
		}
		var err error
		switch {
		case owner != nil:
		case state == "in_use" || (state == "loan" && len(staff) == 0):
			if owner, err = l.newEmployee(s); err != nil {
				return err
			}
			staff = append(staff, owner)
		case state == "loan":
			owner = pick(l.rng, staff)
		}
		// marie.dupont's second computer is the desktop of the bakery's office.
		laptop := owner != nil && owner.named && (i == 0 || owners[i-1] != owner)
		c, err := l.computer(s, state, owner, laptop)
		if err != nil {
			return err
		}
		desks = append(desks, c)
	}
	for _, c := range desks {
		if err := l.deskAssets(s, c); err != nil {
			return err
		}
	}
	for i := 0; i < 2; i++ {
		if err := l.monitor(s, computerInfo{state: "stock", location: s.technical, maker: "Dell",
			bought: l.date(2025, 1, 2025, 6)}); err != nil {
			return err
		}
	}
	if err := l.network(s); err != nil {
		return err
	}
	return l.printersAndPower(s)
}

func (l *loader) pickState() string {
	n := l.rng.IntN(1000)
	for _, st := range stateWeights {
		if n < st.weight {
			return st.code
		}
		n -= st.weight
	}
	return "in_use"
}

// computer creates one computer; names come from the naming plan except in the
// lawyers' office, which keeps its own names.
func (l *loader) computer(s *site, state string, owner *employee, laptop bool) (computerInfo, error) {
	prefs := orgPrefs[s.org]
	maker := pick(l.rng, prefs.makers)
	if owner == nil || !owner.named {
		share := map[string]int{"igs": 75, "bm": 40, "mtr": 30, "cda": 70}[s.org]
		laptop = l.rng.IntN(100) < share
	}
	if maker == "Apple" {
		laptop = true
	}
	var m *modelRef
	for _, mm := range models {
		if mm.category == "computer" && mm.maker == maker && mm.laptop == laptop {
			if m == nil || l.rng.IntN(3) == 0 {
				m = l.models[mm.name]
			}
		}
	}
	var bought time.Time
	switch state {
	case "stock", "reserved":
		bought = l.date(2025, 1, 2025, 8)
	case "retired":
		bought = l.date(2016, 1, 2019, 6)
	case "disposed":
		bought = l.date(2015, 1, 2018, 6)
	default:
		bought = l.date(2020, 1, 2025, 6)
	}
	room := s.technical // stock, repairs and old machines wait in the technical room
	if owner != nil {
		room = owner.room
	}
	// Windows follows the age of the machine; a few ESN desktops run Ubuntu.
	var os = osChoices[2]
	switch {
	case maker == "Apple":
		os = pick(l.rng, macOS)
	case s.org == "igs" && !laptop && l.rng.IntN(4) == 0:
		os = osChoices[3]
	case bought.Year() >= 2023:
		os = pick(l.rng, osChoices[:2])
	case bought.Year() >= 2021:
		os = pick(l.rng, osChoices[1:3])
	}
	in := l.assetInput(s, m, state, bought, room, owner)
	in["uuid"] = l.uuid()
	in["os_name"] = os.name
	in["os_version"] = os.version
	in["supplier_id"] = l.suppliers[prefs.supplier]
	if s.org == "cda" && laptop {
		// The firm's desktops are named by its naming plan (orgNamingPlans).
		in["name"] = l.nextName(s, "CDA-PORT-", 3)
	}
	r, err := l.create("computers", in)
	if err != nil {
		return computerInfo{}, err
	}
	if state == "in_use" || state == "loan" {
		// Machines at work run parc's agent (inventory.go).
		l.machines = append(l.machines, &machine{id: r.ID, name: r.String("name"), serial: r.String("serial"), uuid: r.String("uuid"),
			maker: maker, model: m.name, laptop: laptop, osName: os.name, osVersion: os.version, site: s, owner: owner, bought: bought})
	}
	return computerInfo{id: r.ID, state: state, owner: owner, room: room, laptop: laptop, maker: maker,
		bought: bought, inUse: state == "in_use", location: room}, nil
}

// assetInput fills the fields every asset has.
func (l *loader) assetInput(s *site, m *modelRef, state string, bought time.Time, room int64, owner *employee) record.Input {
	in := record.Input{
		"organization_id":  s.orgID,
		"inventory_number": l.inventory(s.org),
		"serial":           l.serial(m.maker, m.laptop, m.category),
		"manufacturer_id":  m.makerID,
		"model_id":         m.id,
		"type_id":          m.typeID,
		"state_id":         l.states[state],
		"location_id":      room,
		"purchase_date":    bought.Format("2006-01-02"),
		"purchase_price":   l.price(m.price),
		"warranty_end":     bought.AddDate(m.warrantyYears, 0, -1).Format("2006-01-02"),
	}
	if owner != nil {
		in["user_id"] = owner.id
	}
	if c := comments[state]; len(c) > 0 {
		in["comment"] = pick(l.rng, c)
	}
	return in
}

// deskAssets are what goes with a computer in use: monitors, a dock, a webcam,
// a headset, a smartphone, a desk phone.
func (l *loader) deskAssets(s *site, c computerInfo) error {
	if !c.inUse {
		return nil
	}
	screens := 0
	switch {
	case !c.laptop:
		screens = 1
		if l.rng.IntN(5) == 0 {
			screens = 2
		}
	case l.rng.IntN(100) < 55:
		screens = 1
	}
	for i := 0; i < screens; i++ {
		if err := l.monitor(s, c); err != nil {
			return err
		}
	}
	dock := map[string]string{"Dell": "WD19S", "HP": "USB-C Dock G5", "Lenovo": "ThinkPad Universal USB-C Dock"}[c.maker]
	if c.laptop && dock != "" && l.rng.IntN(2) == 0 {
		if err := l.peripheral(s, c, dock, "DOCK"); err != nil {
			return err
		}
	}
	if !c.laptop && l.rng.IntN(4) == 0 {
		if err := l.peripheral(s, c, "C920 HD Pro", "CAM"); err != nil {
			return err
		}
	}
	if (s.org == "igs" || s.org == "cda") && l.rng.IntN(10) < 3 {
		if err := l.peripheral(s, c, "Evolve2 40 SE", "CASQUE"); err != nil {
			return err
		}
	}
	if !c.owner.mobile && (c.owner.named || l.rng.IntN(10) < 3) {
		c.owner.mobile = true
		if err := l.smartphone(s, c); err != nil {
			return err
		}
	}
	if orgPrefs[s.org].landline && (!c.laptop || l.rng.IntN(2) == 0) {
		if err := l.deskPhone(s, c); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) monitor(s *site, c computerInfo) error {
	choices := map[string][]string{"Dell": {"P2423D", "P2423D", "P2723DE"}, "HP": {"E24 G5"}, "Lenovo": {"ThinkVision T24i-30"},
		"Apple": {"ViewFinity S6 S27C"}}[c.maker]
	m := l.models[pick(l.rng, choices)]
	in := l.assetInput(s, m, c.state, c.bought, c.location, c.owner)
	in["name"] = l.nextName(s, "ECR-"+s.code+"-", 3)
	in["size_inches"] = m.size
	in["supplier_id"] = l.suppliers[orgPrefs[s.org].supplier]
	if c.id != 0 {
		in["computer_id"] = c.id
	}
	_, err := l.create("monitors", in)
	return err
}

func (l *loader) peripheral(s *site, c computerInfo, modelName, prefix string) error {
	m := l.models[modelName]
	in := l.assetInput(s, m, "in_use", c.bought.AddDate(0, 0, l.rng.IntN(200)), c.location, c.owner)
	in["name"] = l.nextName(s, prefix+"-"+s.code+"-", 3)
	in["supplier_id"] = l.suppliers[orgPrefs[s.org].supplier]
	if c.id != 0 {
		in["computer_id"] = c.id
	}
	_, err := l.create("peripherals", in)
	return err
}

func (l *loader) smartphone(s *site, c computerInfo) error {
	name := "Galaxy A54 5G"
	if (s.org == "igs" || s.org == "cda") && l.rng.IntN(2) == 0 {
		name = "iPhone 15"
	}
	m := l.models[name]
	bought := l.date(2023, 1, 2025, 6)
	in := l.assetInput(s, m, "in_use", bought, c.location, c.owner)
	in["name"] = l.nextName(s, "MOB-"+s.code+"-", 3)
	in["phone_number"] = fmt.Sprintf("+33 %d %02d %02d %02d %02d", 6+l.rng.IntN(2), l.rng.IntN(100), l.rng.IntN(100), l.rng.IntN(100), l.rng.IntN(100))
	in["imei"] = l.imei()
	in["supplier_id"] = l.suppliers["Orange Business"]
	_, err := l.create("phones", in)
	return err
}

func (l *loader) deskPhone(s *site, c computerInfo) error {
	m := l.models["T54W"]
	in := l.assetInput(s, m, "in_use", c.bought, c.location, c.owner)
	in["name"] = l.nextName(s, "TEL-"+s.code+"-", 3)
	in["phone_number"] = fmt.Sprintf("%s %02d %02d", s.landline, l.rng.IntN(100), l.rng.IntN(100))
	in["mac_address"] = l.mac("80:5e:c0")
	in["supplier_id"] = l.suppliers["Orange Business"]
	_, err := l.create("phones", in)
	return err
}

// network creates a site's firewall, switches and Wi-Fi access points, managed by
// the ESN's network group.
func (l *loader) network(s *site) error {
	switchModel := "CBS350-48P-4G"
	if s.org == "igs" || s.org == "cda" {
		switchModel = "Catalyst 9200L-24P-4G"
	}
	gear := []struct {
		model, prefix, oui, firmware string
		count, host                  int
	}{
		{"FortiGate 60F", "FW", "04:d5:90", "FortiOS 7.2.8", 1, 1},
		{switchModel, "SW", "00:1b:54", map[bool]string{true: "IOS XE 17.9.4a", false: "3.3.0.16"}[switchModel != "CBS350-48P-4G"], 1 + s.computers/20, 2},
		{"UniFi U6 Pro", "AP", "74:83:c2", "UniFi 6.6.77", 1 + s.computers/12, 20},
	}
	bought := l.date(2019, 6, 2024, 12)
	for _, g := range gear {
		m := l.models[g.model]
		for i := 0; i < g.count; i++ {
			room := s.technical
			if g.prefix == "AP" {
				room = pick(l.rng, s.openSpaces)
			}
			in := l.assetInput(s, m, "in_use", bought, room, nil)
			in["name"] = fmt.Sprintf("%s-%s-%02d", g.prefix, s.code, i+1)
			in["ip_address"] = fmt.Sprintf("10.%d.0.%d", s.subnet, g.host+i)
			in["mac_address"] = l.mac(g.oui)
			in["firmware"] = g.firmware
			in["ports"] = int64(m.size)
			in["group_id"] = l.groups["Réseau & sécurité"]
			in["supplier_id"] = l.suppliers["Econocom"]
			if _, err := l.create("network-equipment", in); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *loader) printersAndPower(s *site) error {
	choices := map[string][]string{
		"igs": {"MFC-L8900CDW", "HL-L5210DN"},
		"bm":  {"HL-L5210DN", "MFC-L8900CDW"},
		"mtr": {"HL-L5210DN"},
		"cda": {"Color LaserJet Pro MFP 4302fdw", "i-SENSYS MF455dw"},
	}[s.org]
	oui := map[string]string{"Brother": "00:80:77", "HP": "3c:d9:2b", "Canon": "00:1e:8f"}
	n := 1 + s.computers/15
	for i := 0; i < n; i++ {
		m := l.models[choices[i%len(choices)]]
		room := s.reception
		if i > 0 {
			room = s.openSpaces[(i-1)%len(s.openSpaces)]
		}
		in := l.assetInput(s, m, "in_use", l.date(2020, 1, 2025, 3), room, nil)
		in["name"] = fmt.Sprintf("IMP-%s-%02d", s.code, i+1)
		in["ip_address"] = fmt.Sprintf("10.%d.1.%d", s.subnet, 10+i)
		in["mac_address"] = l.mac(oui[m.maker])
		in["color"] = strings.Contains(m.name, "Color") || m.name == "MFC-L8900CDW"
		in["duplex"] = true
		in["supplier_id"] = l.suppliers[orgPrefs[s.org].supplier]
		if _, err := l.create("printers", in); err != nil {
			return err
		}
	}
	ups := l.assetInput(s, l.models["5E 1100i USB"], "in_use", l.date(2021, 1, 2024, 12), s.technical, nil)
	ups["name"] = "ONDULEUR-" + s.code
	ups["group_id"] = l.groups["Réseau & sécurité"]
	_, err := l.create("peripherals", ups)
	return err
}

// nextName counts names per prefix within a site: ECR-PAR-001, ECR-PAR-002...
func (l *loader) nextName(s *site, prefix string, width int) string {
	s.seq[prefix]++
	return fmt.Sprintf("%s%0*d", prefix, width, s.seq[prefix])
}

// inventory numbers are unique per organisation: BM-00042.
func (l *loader) inventory(orgKey string) string {
	l.invSeq[orgKey]++
	code := ""
	for _, o := range orgSpecs {
		if o.key == orgKey {
			code = o.code
		}
	}
	return fmt.Sprintf("%s-%05d", code, l.invSeq[orgKey])
}

// date draws a day between two months (inclusive), never a weekend.
func (l *loader) date(y1, m1, y2, m2 int) time.Time {
	from := time.Date(y1, time.Month(m1), 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(y2, time.Month(m2), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, -1)
	d := from.AddDate(0, 0, l.rng.IntN(int(to.Sub(from).Hours()/24)+1))
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// price varies a catalogue price by -8%..+7%, to the cent.
func (l *loader) price(base float64) float64 {
	return math.Round(base*(0.92+0.15*l.rng.Float64())*100) / 100
}

const serialChars = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"

func (l *loader) chars(set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[l.rng.IntN(len(set))]
	}
	return string(b)
}

// serial draws a serial number in the maker's usual shape.
func (l *loader) serial(name string, laptop bool, category string) string {
	digits := "0123456789"
	switch name {
	case "Dell":
		if category == "monitor" {
			return "CN0" + l.chars(serialChars, 9)
		}
		return l.chars(serialChars, 7)
	case "HP":
		if category == "monitor" {
			return "CNK" + l.chars(serialChars, 7)
		}
		if laptop {
			return "5CG" + l.chars(serialChars, 7)
		}
		return "CZC" + l.chars(serialChars, 7)
	case "Lenovo":
		if category == "monitor" {
			return "V9" + l.chars(serialChars, 6)
		}
		if laptop {
			return "PF" + l.chars(serialChars, 6)
		}
		return "MJ" + l.chars(serialChars, 6)
	case "Apple":
		return l.chars(serialChars, 10)
	case "Samsung":
		if category == "phone" {
			return "R5" + l.chars(serialChars, 9)
		}
		return "H4ZW" + l.chars(serialChars, 6)
	case "Cisco":
		return "FOC" + l.chars(digits, 4) + l.chars(serialChars, 4)
	case "Fortinet":
		return "FGT60FTK" + l.chars(digits, 8)
	case "Ubiquiti":
		return strings.ToUpper(strings.ReplaceAll(l.mac("74:83:c2"), ":", ""))
	case "Brother":
		return "E7" + l.chars(digits, 2) + l.chars(serialChars, 1) + l.chars(digits, 6)
	}
	return strings.ToUpper(name[:2]) + l.chars(digits, 10)
}

func (l *loader) mac(oui string) string {
	return fmt.Sprintf("%s:%02x:%02x:%02x", oui, l.rng.IntN(256), l.rng.IntN(256), l.rng.IntN(256))
}

// imei draws a 15-digit IMEI with its Luhn check digit.
func (l *loader) imei() string {
	d := "35" + l.chars("0123456789", 12)
	sum := 0
	for i := 0; i < 14; i++ {
		n := int(d[i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return d + fmt.Sprint((10-sum%10)%10)
}

func (l *loader) uuid() string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(l.rng.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
