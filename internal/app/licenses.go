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
	a.Records.Sealer = box
	a.Licenses = license.NewService(a.Records, box, a.Notify)
	a.Inventory.OnFold(a.Licenses.MarkSoftware)
	for _, j := range a.Licenses.Jobs() {
		a.Jobs.Add(j)
	}
}
