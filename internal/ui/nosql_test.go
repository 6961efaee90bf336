package ui_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPagesHoldNoSQL: the pages translate requests into service calls; queries and
// transactions belong to the domain services. No page file imports database/sql or
// the store, reaches the store (a .DB selector), or writes an SQL statement.
func TestPagesHoldNoSQL(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	statement := regexp.MustCompile(`(?i)\b(SELECT\b.+\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b`)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if p := strings.Trim(imp.Path.Value, `"`); p == "database/sql" || p == "parc/internal/store" {
				t.Errorf("%s imports %s", name, p)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if n.Sel.Name == "DB" {
					t.Errorf("%s: reaches the store at %s", name, fset.Position(n.Pos()))
				}
			case *ast.BasicLit:
				if n.Kind == token.STRING && statement.MatchString(n.Value) {
					t.Errorf("%s: SQL at %s: %.60s", name, fset.Position(n.Pos()), n.Value)
				}
			}
			return true
		})
	}
}
