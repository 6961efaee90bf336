package agent

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
)

// pciNames names PCI vendors, devices and classes from the pci.ids database that
// pciutils installs (usr/share/misc/pci.ids or usr/share/hwdata/pci.ids), keeping only
// the entries asked for; without the file, a short built-in list names the common
// vendors and the classes.
type pciNames struct {
	vendors map[string]string // "8086"
	devices map[string]string // "8086:1234"
	classes map[uint32]string // 0x0200 (subclass) and 0x02 (class)
}

// loadPCINames reads the names of the given devices ("vendor:device") and of every
// vendor and class. A nil *pciNames names nothing but the built-in list.
func loadPCINames(root string, devices []string) *pciNames {
	n := &pciNames{vendors: map[string]string{}, devices: map[string]string{}, classes: map[uint32]string{}}
	want := map[string]bool{}
	for _, d := range devices {
		want[d] = true
	}
	var data []byte
	for _, p := range []string{"usr/share/misc/pci.ids", "usr/share/hwdata/pci.ids", "usr/share/pci.ids"} {
		if b, err := readFile(filepath.Join(root, p)); err == nil {
			data = b
			break
		}
	}
	if data == nil {
		return n
	}
	wantVendor := map[string]bool{}
	for d := range want {
		v, _, _ := strings.Cut(d, ":")
		wantVendor[v] = true
	}
	// About 40,000 lines: device and subsystem lines of vendors not asked for are
	// skipped without being turned into strings.
	var vendor string
	var class uint64
	inClasses := false
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if line[0] == '\t' && !inClasses && (!wantVendor[vendor] || len(line) > 1 && line[1] == '\t') {
			continue
		}
		if bytes.HasPrefix(line, []byte("C ")) {
			inClasses = true
			id, name, _ := strings.Cut(string(line[2:]), "  ")
			class, _ = strconv.ParseUint(strings.TrimSpace(id), 16, 8)
			n.classes[uint32(class)] = strings.TrimSpace(name)
			continue
		}
		text := string(line)
		tabs := len(text) - len(strings.TrimLeft(text, "\t"))
		id, name, ok := strings.Cut(strings.TrimLeft(text, "\t"), "  ")
		if !ok {
			continue
		}
		id, name = strings.ToLower(strings.TrimSpace(id)), strings.TrimSpace(name)
		switch {
		case inClasses && tabs == 1:
			if sub, err := strconv.ParseUint(id, 16, 8); err == nil {
				n.classes[uint32(class<<8|sub)] = name
			}
		case inClasses:
		case tabs == 0:
			vendor = id
			n.vendors[id] = name
		case tabs == 1 && want[vendor+":"+id]:
			n.devices[vendor+":"+id] = name
		}
	}
	return n
}

func (n *pciNames) vendor(id string) string {
	id = strings.ToLower(id)
	if n != nil {
		if v := n.vendors[id]; v != "" {
			return v
		}
	}
	return builtinPCIVendors[id]
}

func (n *pciNames) device(vendor, device string) string {
	if n == nil {
		return ""
	}
	return n.devices[strings.ToLower(vendor+":"+device)]
}

// class names a class and subclass (0x0200), falling back to the class alone.
func (n *pciNames) class(c uint32) string {
	if n != nil {
		if v := n.classes[c]; v != "" {
			return v
		}
		if v := n.classes[c>>8]; v != "" {
			return v
		}
	}
	return builtinPCIClasses[c>>8]
}

var builtinPCIVendors = map[string]string{
	"8086": "Intel Corporation", "1022": "Advanced Micro Devices, Inc. [AMD]",
	"1002": "Advanced Micro Devices, Inc. [AMD/ATI]", "10de": "NVIDIA Corporation",
	"1af4": "Red Hat, Inc.", "1b36": "Red Hat, Inc.", "15ad": "VMware", "80ee": "InnoTek Systemberatung GmbH",
	"1414": "Microsoft Corporation", "5853": "XenSource, Inc.", "10ec": "Realtek Semiconductor Co., Ltd.",
	"14e4": "Broadcom Inc. and subsidiaries", "15b3": "Mellanox Technologies", "144d": "Samsung Electronics Co Ltd",
	"1b4b": "Marvell Technology Group Ltd.", "168c": "Qualcomm Atheros", "17cb": "Qualcomm Technologies, Inc",
	"1e0f": "KIOXIA Corporation", "1c5c": "SK hynix", "15b7": "Sandisk Corp", "2646": "Kingston Technology Company, Inc.",
	"1987": "Phison Electronics Corporation", "126f": "Silicon Motion, Inc.", "c0a9": "Micron/Crucial Technology",
	"1344": "Micron Technology Inc", "1000": "Broadcom / LSI", "9005": "Adaptec", "103c": "Hewlett-Packard Company",
	"1028": "Dell", "1912": "Renesas Technology Corp.", "1d6a": "Aquantia Corp.", "8087": "Intel Corporation",
}

var builtinPCIClasses = map[uint32]string{
	0x00: "Unclassified device", 0x01: "Mass storage controller", 0x02: "Network controller",
	0x03: "Display controller", 0x04: "Multimedia controller", 0x05: "Memory controller",
	0x06: "Bridge", 0x07: "Communication controller", 0x08: "Generic system peripheral",
	0x09: "Input device controller", 0x0a: "Docking station", 0x0b: "Processor",
	0x0c: "Serial bus controller", 0x0d: "Wireless controller", 0x0e: "Intelligent controller",
	0x0f: "Satellite communications controller", 0x10: "Encryption controller",
	0x11: "Signal processing controller", 0x12: "Processing accelerators",
	0x13: "Non-Essential Instrumentation", 0x40: "Coprocessor", 0xff: "Unassigned class",
}
