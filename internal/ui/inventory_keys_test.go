package ui

import (
	"testing"

	"parc/internal/i18n"
)

// TestInventoryKeysExist checks the catalogue keys the inventory pages build at run
// time (kinds of components, their columns, history sentences, protocols).
func TestInventoryKeysExist(t *testing.T) {
	cat := i18n.MustLoad()
	var keys []string
	for _, k := range componentKinds {
		keys = append(keys, "ui.comp.kind."+k, "ui.comp.one."+k)
		if _, ok := componentCols[k]; !ok {
			t.Errorf("no columns for components of kind %s", k)
		}
	}
	for _, cols := range append([][]compCol{defaultCols}, mapValues(componentCols)...) {
		for _, c := range cols {
			keys = append(keys, "ui.comp.col."+c.key)
		}
	}
	for _, v := range []string{"added", "removed", "changed"} {
		keys = append(keys, "ui.history.comp_"+v, "ui.history.sw_"+v)
	}
	for _, f := range []string{"fusioninventory", "ocs", "glpi"} {
		keys = append(keys, "ui.inv.format."+f)
	}
	for _, k := range keys {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, k) {
				t.Errorf("%s: missing %s", lang, k)
			}
		}
	}
}

func mapValues[K comparable, V any](m map[K]V) []V {
	var out []V
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestSizes(t *testing.T) {
	c := &req{Lang: "fr", cat: i18n.MustLoad()}
	for mb, want := range map[int64]string{512: "512\u00a0Mo", 1024: "1\u00a0Go", 1536: "1,5\u00a0Go", 24105: "24\u00a0Go", 274877: "268\u00a0Go", 2 * 1024 * 1024: "2\u00a0To"} {
		if got := fmtSize(c, mb); got != want {
			t.Errorf("fmtSize(%d) = %q, want %q", mb, got, want)
		}
	}
	c.Lang = "en"
	if got := fmtSize(c, 8*1024+300); got != "8.3\u00a0GB" {
		t.Errorf("fmtSize(8492) = %q", got)
	}
	if got := localSizes(c, "DDR4 (8 GB) [SN]"); got != "DDR4 (8\u00a0GB) [SN]" {
		t.Errorf("localSizes: %q", got)
	}
	if got := joinLocks([]string{"", "serial", "os_name,serial", " uuid "}); got != "serial,os_name,uuid" {
		t.Errorf("joinLocks: %q", got)
	}
}
