package agent

import (
	"regexp"
	"strings"
)

// Parsers of macOS command output, without a build constraint so that they are tested
// on every platform.

var ioregLine = regexp.MustCompile(`^\s*"([^"]+)" = (.*)$`)

// parseIOReg reads the properties of `ioreg -rd1 -c IOPlatformExpertDevice`: lines
// `"key" = "value"` or `"key" = <"value">` (data holding a C string).
func parseIOReg(out []byte) map[string]string {
	props := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		m := ioregLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		v := strings.TrimSpace(m[2])
		v = strings.TrimSuffix(strings.TrimPrefix(v, "<"), ">")
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			props[m[1]] = cleanString(v[1 : len(v)-1])
		}
	}
	return props
}

// parseSwVers reads `sw_vers`: "ProductName:\tmacOS", "ProductVersion:\t14.5",
// "BuildVersion:\t23F79".
func parseSwVers(out []byte) (name, version, build string) {
	f := colonFields(string(out))
	return f["ProductName"], f["ProductVersion"], f["BuildVersion"]
}

// darwinSkipMount tells the mounts of macOS that hold no user data: the sealed system's
// helper volumes (Preboot, VM, Update...) but not /System/Volumes/Data, and the
// pseudo file systems.
func darwinSkipMount(point, fstype string) bool {
	switch fstype {
	case "devfs", "autofs", "nullfs", "fdesc":
		return true
	}
	return strings.HasPrefix(point, "/System/Volumes/") && point != "/System/Volumes/Data" ||
		strings.HasPrefix(point, "/Library/Developer/CoreSimulator/")
}
