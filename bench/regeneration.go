package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/qegen/qegen/internal/testmod"
)

// regeneration is the cost of the run that follows an edit, at one size.
type regeneration struct {
	size                     int
	floor, qegen, coldRender cost
}

// measureRegeneration times, runs times after a fresh edit each, the
// floor (this program with -floor: go/packages loading the edited models,
// no generated code present) and the qegen command (its previous output
// present), both as subprocesses so that their memory is measured too.
// qegen keeps its render cache (templates.Cache) in the environment's
// cache directory, as a user's does; coldRender is the same run with an
// empty cache directory, as on the first run of a new build of qegen. One
// untimed round first fills the build and render caches.
func measureRegeneration(p *pair, qegen, self string, runs int) (regeneration, error) {
	var floors, qegens, colds []cost
	for i := range runs + 1 {
		if err := p.edit(); err != nil {
			return regeneration{}, err
		}
		f, err := measure(p.floor, self, "-floor")
		if err != nil {
			return regeneration{}, err
		}
		q, err := measure(p.gen, qegen, modelsPattern)
		if err != nil {
			return regeneration{}, err
		}
		if err := p.edit(); err != nil { // the cold run sees an edit of its own
			return regeneration{}, err
		}
		empty, err := os.MkdirTemp("", "qegen-bench-cache-")
		if err != nil {
			return regeneration{}, err
		}
		c, err := measureEnv([]string{"XDG_CACHE_HOME=" + empty, "HOME=" + empty, "LocalAppData=" + empty}, p.gen, qegen, modelsPattern)
		os.RemoveAll(empty)
		if err != nil {
			return regeneration{}, err
		}
		if i > 0 {
			floors, qegens, colds = append(floors, f), append(qegens, q), append(colds, c)
		}
	}
	return regeneration{size: p.size, floor: medians(floors), qegen: medians(qegens), coldRender: medians(colds)}, nil
}

// measurePhases times each step of qegen's run in this process, runs
// times after a fresh edit each, and returns the medians.
func measurePhases(p *pair, runs int) (phases, error) {
	var load, build, render, write []int64
	for range runs {
		if err := p.edit(); err != nil {
			return phases{}, err
		}
		ph, err := generatePhases(p.gen)
		if err != nil {
			return phases{}, err
		}
		load, build = append(load, int64(ph.load)), append(build, int64(ph.build))
		render, write = append(render, int64(ph.render)), append(write, int64(ph.write))
	}
	return phases{time.Duration(median(load)), time.Duration(median(build)), time.Duration(median(render)), time.Duration(median(write))}, nil
}

// buildQegen builds the qegen command of this checkout into dir.
func buildQegen(dir string) (string, error) {
	root, err := testmod.Root()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "qegen")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/qegen")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building qegen: %v\n%s", err, out)
	}
	return bin, nil
}

// runFloor is this program run with -floor, in the floor module.
func runFloor() int {
	if err := loadFloor("."); err != nil {
		fmt.Fprintln(os.Stderr, "bench -floor:", err)
		return 1
	}
	return 0
}
