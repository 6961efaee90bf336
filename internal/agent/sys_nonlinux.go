//go:build !linux

package agent

import (
	"errors"
	"time"
)

// The Linux collector's system calls have no meaning elsewhere; its file readers still
// run in tests on fake trees.

func uname() (machine, release string, err error) {
	return "", "", errors.New("uname: Linux only")
}

func statfs(string) (fsUsage, error) { return fsUsage{}, errors.New("statfs: Linux only") }

func birthTime(string) (time.Time, bool) { return time.Time{}, false }
