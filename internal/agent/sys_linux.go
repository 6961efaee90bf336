//go:build linux

package agent

import (
	"time"

	"golang.org/x/sys/unix"
)

// collectPlatform runs the Linux collector.
func collectPlatform(c *collector) { collectLinux(c) }

// uname returns the machine (architecture) and kernel release.
func uname() (machine, release string, err error) {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "", "", err
	}
	return unix.ByteSliceToString(u.Machine[:]), unix.ByteSliceToString(u.Release[:]), nil
}

// statfs returns a file system's size and the space an unprivileged user may still
// use (f_bavail, as df reports), in MiB.
func statfs(path string) (fsUsage, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return fsUsage{}, err
	}
	bs := uint64(st.Bsize)
	if st.Frsize > 0 {
		bs = uint64(st.Frsize)
	}
	return fsUsage{TotalMB: int(st.Blocks * bs >> 20), FreeMB: int(st.Bavail * bs >> 20)}, nil
}

// birthTime returns a file's creation time when the file system records it.
func birthTime(path string) (time.Time, bool) {
	var st unix.Statx_t
	if err := unix.Statx(unix.AT_FDCWD, path, 0, unix.STATX_BTIME, &st); err != nil || st.Mask&unix.STATX_BTIME == 0 {
		return time.Time{}, false
	}
	if st.Btime.Sec == 0 {
		return time.Time{}, false
	}
	return time.Unix(st.Btime.Sec, int64(st.Btime.Nsec)), true
}
