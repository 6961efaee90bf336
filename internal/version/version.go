// Package version holds parc's version, set at build time with
// -ldflags "-X parc/internal/version.Version=...".
package version

// Version of this build.
var Version = "0.1.0-dev"
