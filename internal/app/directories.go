package app

import (
	"parc/internal/directory"
)

// buildDirectories makes the directory service over the secret box the licences
// set up (bind passwords are sealed like licence keys) and lets sign-in ask it
// for the users directories keep.
func (a *App) buildDirectories() {
	box, _ := a.Records.Sealer.(interface {
		Open(sealed, context string) (string, error)
	})
	a.Directories = directory.NewService(a.Records, box, a.Log)
	a.Auth.Directory = a.Directories
}
