// Package archtest checks the architecture the tree shows: every package
// imports only packages below it in docs/ARCHITECTURE.md's list.
package archtest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/wigglenn/wiggle/"

// layers is docs/ARCHITECTURE.md's list, top first; a package may import
// those after it. Packages on one line are peers and may not import each
// other.
var layers = [][]string{
	{"cmd/wiggle", "playground/wasm", "playground/internal/buildwasm"},
	{"playground"},
	{"playground/session"},
	{"lab"},
	{"perf"},
	{"plot"},
	{"train"},
	{"probe"},
	{"model", "modelio/onnx"},
	{"modelio"},
	{"data/mnist"},
	{"data"},
	{"optim"},
	{"loss"},
	{"nn"},
	{"act"},
	{"engine"},
	{"tensor"},
	{"internal/kernels"},
	{"internal/hugepages/hugepagestest"},
	{"internal/hugepages"},
	{"internal/clock"},
	{"internal/atomicfile"},
	{"internal/float32le"},
	{"internal/memlimit"},
	{"internal/jsonfmt"},
	{"internal/quote"},
	{"internal/nilio"},
	{"internal/numtext"},
	{"internal/utf16text"},
	{"internal/utf8prefix"},
	{"internal/testlock"},
	{"internal/panictest"},
	{"internal/onnxpb/gen"},
	{"internal/onnxpb"},
}

func level(pkg string) int {
	for i, row := range layers {
		for _, p := range row {
			if p == pkg {
				return i
			}
		}
	}
	return -1
}

func TestImportsPointDown(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, row := range layers {
		for _, pkg := range row {
			files, _ := filepath.Glob(filepath.Join(root, pkg, "*.go"))
			if len(files) == 0 {
				t.Errorf("package %s has no files: update the list", pkg)
			}
			for _, file := range files {
				if strings.HasSuffix(file, "_test.go") {
					continue // tests may reach sideways for fixtures
				}
				f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
				if err != nil {
					t.Fatal(err)
				}
				for _, imp := range f.Imports {
					path := strings.Trim(imp.Path.Value, `"`)
					dep, ok := strings.CutPrefix(path, module)
					if !ok || strings.HasPrefix(dep, "internal/reftest") {
						continue
					}
					if l := level(dep); l < 0 || l <= level(pkg) {
						t.Errorf("%s imports %s, which is not below it in the architecture", file, dep)
					}
				}
			}
		}
	}
}

// TestEveryPackageIsListed finds package folders missing from the list.
func TestEveryPackageIsListed(t *testing.T) {
	root := filepath.Join("..", "..")
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		_, modErr := os.Stat(filepath.Join(path, "go.mod"))
		ownModule := modErr == nil // a generator or benchmark of its own, not part of wiggle
		if rel != "." && (strings.HasPrefix(d.Name(), ".") || strings.Contains(rel, "testdata") || ownModule) {
			return filepath.SkipDir
		}
		files, _ := filepath.Glob(filepath.Join(path, "*.go"))
		var code bool
		for _, f := range files {
			code = code || !strings.HasSuffix(f, "_test.go")
		}
		if code && level(filepath.ToSlash(rel)) < 0 && !strings.HasPrefix(filepath.ToSlash(rel), "internal/reftest") && rel != "internal/archtest" {
			t.Errorf("package %s is not in the architecture list", rel)
		}
		return nil
	})
}
