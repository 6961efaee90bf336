// Package ui serves parc's server-rendered HTML interface.
package ui

import (
	"net/http"

	"parc/internal/app"
	"parc/internal/i18n"
)

// UI holds the page handlers' dependencies.
type UI struct {
	App *app.App
	Cat *i18n.Catalog
}

// New makes the HTML interface.
func New(a *app.App, cat *i18n.Catalog) *UI { return &UI{App: a, Cat: cat} }

// Register adds the page routes.
func (u *UI) Register(mux *http.ServeMux) {}
