package app

import (
	"path/filepath"

	"parc/internal/license"
	"parc/internal/secret"
)

// buildLicenses makes the licence service: the secret box that seals keys (given
// to the record service for the licences' hooks), the counts marked stale by
// the install-count fold, and the licence jobs.
func (a *App) buildLicenses() {
	dir := a.opt.SecretDir
	if dir == "" && a.DB.Path != "" {
		dir = filepath.Dir(a.DB.Path)
	}
	box := secret.Lazy(dir)
	if dir == "" {
		// Only Build and New without a data directory (tests over PostgreSQL):
		// parc serve and the commands open the store with one (OpenWith).
		a.Log.Warn("licence keys are sealed with a key kept in memory: set " + secret.EnvKey + " or open the store with a data directory")
		box = secret.Ephemeral()
	}
	a.Records.Sealer = box
	a.Licenses = license.NewService(a.Records, box, a.Notify)
	a.Inventory.OnFold(a.Licenses.MarkSoftware)
	for _, j := range a.Licenses.Jobs() {
		a.Jobs.Add(j)
	}
}
