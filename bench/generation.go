package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/tools/go/packages"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/internal/testmod"
	"github.com/qegen/qegen/templates"
)

// pair is one synthetic package in two scratch modules: gen, with the
// code qegen generated beside the models, as a repository that commits it
// has; floor, the same models alone.
type pair struct {
	size       int
	gen, floor string // module directories
	edits      int    // edits made so far, so that each one is new
}

// modelsPattern names the synthetic package inside its module.
const modelsPattern = "./models"

// newPair writes both modules for n collections under root and generates
// the code of gen once.
func newPair(root string, n int) (*pair, error) {
	p := &pair{size: n}
	for _, m := range []struct {
		dir  *string
		name string
	}{{&p.gen, "size%d"}, {&p.floor, "size%d-floor"}} {
		*m.dir = filepath.Join(root, fmt.Sprintf(m.name, n))
		pkgDir := filepath.Join(*m.dir, "models")
		if err := os.MkdirAll(pkgDir, 0o755); err != nil {
			return nil, err
		}
		if err := testmod.Write(*m.dir, "example.com/synthetic"); err != nil {
			return nil, err
		}
		if err := writeSynthetic(pkgDir, n); err != nil {
			return nil, err
		}
	}
	return p, generate(p.gen)
}

// edit renames a document key identically in both modules.
func (p *pair) edit() error {
	p.edits++
	for _, dir := range []string{p.gen, p.floor} {
		if err := renameKey(filepath.Join(dir, "models"), p.edits); err != nil {
			return err
		}
	}
	return nil
}

// touch changes a comment identically in both modules.
func (p *pair) touch() error {
	p.edits++
	for _, dir := range []string{p.gen, p.floor} {
		if err := touch(filepath.Join(dir, "models"), p.edits); err != nil {
			return err
		}
	}
	return nil
}

// floorMode is how a generator that reads types loads its packages with
// go/packages: syntax and types of the named packages, export data of the
// rest. Loading the synthetic package this way, with no generated code
// present, is the floor qegen is measured against.
const floorMode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo

// loadFloor is the floor: it loads the package in dir and checks it.
func loadFloor(dir string) error {
	pkgs, err := packages.Load(&packages.Config{Mode: floorMode, Dir: dir}, modelsPattern)
	if err == nil && packages.PrintErrors(pkgs) > 0 {
		err = fmt.Errorf("synthetic package in %s has errors", dir)
	}
	return err
}

// generate is qegen's whole run on the module in dir: load, build,
// render, write.
func generate(dir string) error {
	_, err := generatePhases(dir)
	return err
}

// phases is how long each step of one run took.
type phases struct{ load, build, render, write time.Duration }

func generatePhases(dir string) (phases, error) {
	var ph phases
	cfg := generator.Config{Dir: dir, Patterns: []string{modelsPattern}}
	start := time.Now()
	pkgs, err := generator.LoadPackages(cfg)
	if err != nil {
		return ph, err
	}
	loaded := time.Now()
	model, err := generator.Build(pkgs, cfg)
	if err != nil {
		return ph, err
	}
	built := time.Now()
	outputs, err := templates.Render(model)
	if err != nil {
		return ph, err
	}
	rendered := time.Now()
	_, err = generator.Write(outputs, model.Orphans)
	return phases{loaded.Sub(start), built.Sub(loaded), rendered.Sub(built), time.Since(rendered)}, err
}
