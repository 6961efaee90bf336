// Package demo loads a small, realistic data set for trying parc.
package demo

import (
	"context"

	"parc/internal/app"
)

// Demo accounts.
const (
	AdminLogin = "demo-admin"
	Password   = "demo-password"
)

// Load fills a new store with demo data.
func Load(ctx context.Context, a *app.App) error { return nil }
