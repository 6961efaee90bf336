package agent

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"time"
)

// Reader of the Linux login records (utmp: who is logged on now; wtmp: the history),
// in glibc's layout, the same on x86_64, arm64 and the other 64-bit ports: 384-byte
// records with 32-bit times.

const (
	utmpSize        = 384
	utmpUserProcess = 7
)

type loginRecord struct {
	User, Line, Host string
	Time             time.Time
}

// parseUtmp returns the user-process records (logins) of a utmp or wtmp file's bytes.
func parseUtmp(b []byte) []loginRecord {
	var out []loginRecord
	for off := 0; off+utmpSize <= len(b); off += utmpSize {
		r := b[off : off+utmpSize]
		if int16(binary.LittleEndian.Uint16(r[0:2])) != utmpUserProcess {
			continue
		}
		user := cString(r[44:76])
		if user == "" {
			continue
		}
		sec := int64(int32(binary.LittleEndian.Uint32(r[340:344])))
		out = append(out, loginRecord{User: user, Line: cString(r[8:40]), Host: cString(r[76:332]), Time: time.Unix(sec, 0)})
	}
	return out
}

func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return cleanString(string(b))
}

// readUtmpTail reads at most the last limit bytes of a login record file, aligned on
// whole records (wtmp grows for years).
func readUtmpTail(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size() - fi.Size()%utmpSize
	start := max(0, size-limit)
	start -= start % utmpSize
	buf := make([]byte, size-start)
	_, err = f.ReadAt(buf, start)
	if err == io.EOF {
		err = nil
	}
	return buf, err
}

// lastLogin returns the most recent login of a wtmp's records.
func lastLogin(recs []loginRecord) (loginRecord, bool) {
	var best loginRecord
	found := false
	for _, r := range recs {
		if !found || !r.Time.Before(best.Time) {
			best, found = r, true
		}
	}
	return best, found
}
