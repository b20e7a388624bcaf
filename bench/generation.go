package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"golang.org/x/tools/go/packages"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/internal/testmod"
	"github.com/qegen/qegen/templates"
)

// syntheticModule is a scratch module holding a synthetic package.
type syntheticModule struct {
	dir string
	cfg generator.Config
}

func newSyntheticModule(root string, n int) (*syntheticModule, error) {
	dir := filepath.Join(root, fmt.Sprintf("size%d", n))
	pkgDir := filepath.Join(dir, "models")
	if err := os.MkdirAll(pkgDir, 0o755); err != nil {
		return nil, err
	}
	if err := testmod.Write(dir, "example.com/synthetic"); err != nil {
		return nil, err
	}
	if err := writeSynthetic(pkgDir, n); err != nil {
		return nil, err
	}
	m := &syntheticModule{dir: dir, cfg: generator.Config{Dir: dir, Patterns: []string{"./models"}}}
	// Generate once, so that the package and the build cache are in the
	// steady state of a repository whose generated code is committed.
	if _, _, err := m.generate(); err != nil {
		return nil, err
	}
	return m, nil
}

// floor loads the package as qegen does, and does nothing else.
func (m *syntheticModule) floor() (time.Duration, error) {
	start := time.Now()
	pkgs, err := packages.Load(&packages.Config{Mode: floorMode, Dir: m.dir}, m.cfg.Patterns...)
	if err == nil && packages.PrintErrors(pkgs) > 0 {
		err = fmt.Errorf("synthetic package has errors")
	}
	return time.Since(start), err
}

// generate is qegen's whole run; own is the part after loading.
func (m *syntheticModule) generate() (total, own time.Duration, err error) {
	start := time.Now()
	pkgs, err := generator.LoadPackages(m.cfg)
	if err != nil {
		return 0, 0, err
	}
	loaded := time.Now()
	model, err := generator.Build(pkgs, m.cfg)
	if err != nil {
		return 0, 0, err
	}
	outputs, err := templates.Render(model)
	if err != nil {
		return 0, 0, err
	}
	if _, err := generator.Write(outputs, model.Orphans); err != nil {
		return 0, 0, err
	}
	end := time.Now()
	return end.Sub(start), end.Sub(loaded), nil
}

// generationResult is the median of several runs at one size.
type generationResult struct {
	size              int
	floor, total, own time.Duration
}

// measureGeneration alternates floor and qegen runs, so both see the
// same machine load, and keeps the medians.
func measureGeneration(root string, size, runs int) (generationResult, error) {
	m, err := newSyntheticModule(root, size)
	if err != nil {
		return generationResult{}, err
	}
	var floors, totals, owns []time.Duration
	for range runs {
		f, err := m.floor()
		if err != nil {
			return generationResult{}, err
		}
		t, o, err := m.generate()
		if err != nil {
			return generationResult{}, err
		}
		floors, totals, owns = append(floors, f), append(totals, t), append(owns, o)
	}
	return generationResult{size: size, floor: median(floors), total: median(totals), own: median(owns)}, nil
}

func median(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

// floorMode is how a generator that reads types loads its packages with
// go/packages: syntax and types of the named packages, export data of the
// rest.
const floorMode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo
