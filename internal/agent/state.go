package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// StateFile is the name of the agent's state file in its state directory.
const StateFile = "state.json"

// State is what the agent keeps between runs.
type State struct {
	// DeviceID is "hostname-YYYY-MM-DD-HH-MM-SS" of the first run: it names this
	// installation of the agent (as the other agents' DEVICEID), not the machine.
	DeviceID string `json:"device_id"`
}

// DefaultStateDir is /var/lib/parc-agent for root on Unix, %ProgramData%\parc-agent
// on Windows, and parc-agent in the user's configuration directory otherwise.
func DefaultStateDir() string {
	if runtime.GOOS == "windows" {
		if pd := os.Getenv("ProgramData"); pd != "" {
			return filepath.Join(pd, "parc-agent")
		}
	} else if os.Geteuid() == 0 {
		return "/var/lib/parc-agent"
	}
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "parc-agent")
	}
	return filepath.Join(os.TempDir(), "parc-agent")
}

// LoadState reads the state of dir, creating it (and the device id, from hostname and
// now) on the first run.
func LoadState(dir, hostname string, now time.Time) (State, error) {
	path := filepath.Join(dir, StateFile)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		var st State
		if err := json.Unmarshal(data, &st); err != nil {
			return State{}, fmt.Errorf("state file %s: %w (remove it to start afresh: the server will see a new agent)", path, err)
		}
		if strings.TrimSpace(st.DeviceID) != "" {
			return st, nil
		}
	case !errors.Is(err, fs.ErrNotExist):
		return State{}, fmt.Errorf("state file: %w", err)
	}
	st := State{DeviceID: NewDeviceID(hostname, now)}
	if err := saveState(dir, st); err != nil {
		return State{}, err
	}
	return st, nil
}

// NewDeviceID makes a device id: the host name (characters other than letters, digits,
// '.', '_' and '-' replaced by '-') and the time.
func NewDeviceID(hostname string, now time.Time) string {
	h := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '-'
	}, strings.TrimSpace(hostname))
	if h == "" {
		h = "unknown"
	}
	return h + "-" + now.Format("2006-01-02-15-04-05")
}

// saveState writes the state atomically (a temporary file renamed over the old one).
func saveState(dir string, st State) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("state directory: %w", err)
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, StateFile+".*")
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("state file: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, StateFile)); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("state file: %w", err)
	}
	return nil
}
