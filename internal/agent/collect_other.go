//go:build !linux && !windows && !darwin

package agent

// collectPlatform runs the generic collector (standard library only).
func collectPlatform(c *collector) { collectGeneric(c) }
