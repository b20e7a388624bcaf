package main

import (
	"fmt"
	"os"
	"testing"
)

// BenchmarkGeneration times the package-loading floor and qegen's whole
// run on synthetic packages of 10 and 100 collections (and 1,000 with
// QEGEN_BENCH_LARGE=1, which takes minutes to set up):
//
//	go test ./bench -run '^$' -bench Generation -benchtime 5x
func BenchmarkGeneration(b *testing.B) {
	sizes := []int{10, 100}
	if os.Getenv("QEGEN_BENCH_LARGE") != "" {
		sizes = append(sizes, 1000)
	}
	root := b.TempDir()
	for _, n := range sizes {
		m, err := newSyntheticModule(root, n)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("floor/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.floor(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("qegen/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := m.generate(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSyntheticPackagesGenerate checks that the synthetic models are valid
// and that qegen's output for them builds, so the benchmark measures real
// work; it uses the smallest size.
func TestSyntheticPackagesGenerate(t *testing.T) {
	m, err := newSyntheticModule(t.TempDir(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.floor(); err != nil {
		t.Fatalf("loading the synthetic package with its generated code: %v", err)
	}
}
