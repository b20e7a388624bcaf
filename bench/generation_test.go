package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkRegeneration times, in this process, the floor and qegen's
// whole run after a fresh edit of the models (see main.go), on synthetic
// packages of 10 and 100 collections, and 500 and 2,000 with
// QEGEN_BENCH_LARGE=1:
//
//	go test ./bench -run '^$' -bench Regeneration -count 10
func BenchmarkRegeneration(b *testing.B) {
	sizes := []int{10, 100}
	if os.Getenv("QEGEN_BENCH_LARGE") != "" {
		sizes = append(sizes, 500, 2000)
	}
	root := b.TempDir()
	for _, n := range sizes {
		p, err := newPair(root, n)
		if err != nil {
			b.Fatal(err)
		}
		for _, side := range []struct {
			name string
			run  func() error
		}{{"floor", func() error { return loadFloor(p.floor) }}, {"qegen", func() error { return generate(p.gen) }}} {
			b.Run(fmt.Sprintf("%s/%d", side.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					b.StopTimer()
					if err := p.edit(); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					if err := side.run(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestEditsMakeOutputStale checks that the benchmark measures real work:
// after an edit the generated code is stale yet still compiles, as after
// most edits (which is what made go list compile it in full), the floor
// loads the edited models, and qegen's run rewrites the code. A touch
// changes the model file's bytes and nothing qegen generates.
func TestEditsMakeOutputStale(t *testing.T) {
	p, err := newPair(t.TempDir(), 10)
	if err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(p.gen, "models", editedFile)
	output := strings.TrimSuffix(model, ".go") + "_qe.go"
	before := read(t, output)
	must(t, p.edit())
	build(t, p.gen)
	must(t, loadFloor(p.floor))
	must(t, generate(p.gen))
	after := read(t, output)
	if bytes.Equal(before, after) || !bytes.Contains(after, []byte(`"s2e1"`)) {
		t.Fatalf("the edit did not change %s as expected", output)
	}
	build(t, p.gen)

	src := read(t, model)
	must(t, p.touch())
	if bytes.Equal(src, read(t, model)) {
		t.Error("touch left the model file as it was")
	}
	must(t, generate(p.gen))
	if !bytes.Equal(after, read(t, output)) {
		t.Error("touch changed the generated code")
	}
}

func build(t *testing.T, dir string) {
	t.Helper()
	cmd := exec.Command("go", "build", modelsPattern)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build in %s: %v\n%s", dir, err, out)
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
