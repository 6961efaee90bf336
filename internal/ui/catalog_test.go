package ui_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"parc/internal/core"
	"parc/internal/helpdesk"
	"parc/internal/i18n"
	"parc/internal/record"
)

// TestCatalogueCoversRegistry checks that every name the pages derive from the
// registry (types, fields, list options) and every key the templates and handlers
// use exists in every language.
func TestCatalogueCoversRegistry(t *testing.T) {
	cat := i18n.MustLoad()
	reg := core.NewRegistry()
	keys := map[string]bool{}
	for _, k := range []string{"field.organization_id", "field.id", "field.version", "field.created_at", "field.updated_at", "field.password"} {
		keys[k] = true
	}
	kinds := map[record.Kind]bool{}
	for _, ty := range reg.Types() {
		keys["type."+ty.Singular] = true
		keys["type."+ty.Singular+".plural"] = true
		for _, f := range ty.Fields {
			keys[f.LabelKey()] = true
			kinds[f.Kind] = true
			for _, o := range f.Options {
				keys["enum."+f.Name+"."+o] = true
			}
		}
	}
	for k := range kinds {
		keys["kind."+string(k)] = true
	}
	for _, a := range []record.Area{record.AreaAssets, helpdesk.Area, record.AreaMaintenance, record.AreaManagement, record.AreaAdmin, record.AreaSettings} {
		keys["area."+string(a)] = true
	}
	for _, ty := range reg.Types() {
		for n := range ty.Virtual {
			keys["ui.filter.virtual."+n] = true
			keys["ui.filter.virtual_hint."+n] = true
		}
	}
	for _, a := range []string{"create", "update", "trash", "restore", "purge", "components", "software"} {
		keys["history.action."+a] = true
	}
	for _, o := range []string{record.OriginWeb, record.OriginAPI, record.OriginImport, record.OriginInventory, record.OriginRule, record.OriginJob, record.OriginCLI} {
		keys["history.origin."+o] = true
	}
	for _, op := range record.Ops {
		keys["op."+string(op)] = true
	}
	for _, a := range record.Actions {
		keys["action."+string(a)] = true
	}
	// Keys written out in the templates and the Go code of this package.
	files, _ := filepath.Glob("templates/*.html")
	gofiles, _ := filepath.Glob("*.go")
	literal := regexp.MustCompile(`"((?:ui|field|type|enum|op|area|kind|action|err)\.[a-z_]+(?:\.[a-z_-]+)*)"`)
	for _, name := range append(files, gofiles...) {
		if filepath.Ext(name) == ".go" && len(name) > 8 && name[len(name)-8:] == "_test.go" {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	if len(keys) < 200 {
		t.Fatalf("only %d keys found: the scan is broken", len(keys))
	}
	for k := range keys {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, k) {
				t.Errorf("%s: missing %s", lang, k)
			}
		}
	}
}
