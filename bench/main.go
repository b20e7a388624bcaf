// Bench measures qegen against its goals and prints the figures:
//
//	go run ./bench                 # generation and runtime tables
//	go run ./bench -sizes 10,100   # smaller, faster
//
// Generation: synthetic packages of 10, 100 and 1,000 collections (20
// fields each, a third encrypted, nested structs) are generated in a
// scratch module. The floor is loading them with go/packages in qegen's
// mode; qegen is its whole run (load, build, render, write); own work is
// everything after loading. Runtime: what generated repositories do before
// the driver sends a command, against hand-written driver code.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"
)

func main() {
	sizes := flag.String("sizes", "10,100,1000", "comma-separated numbers of collections")
	runs := flag.Int("runs", 5, "runs per size; the median is shown")
	skipRuntime := flag.Bool("generation-only", false, "skip the runtime table")
	keep := flag.String("keep", "", "write the synthetic modules, with generated code, into this directory and stop")
	flag.Parse()
	if *keep != "" {
		for _, s := range strings.Split(*sizes, ",") {
			n, _ := strconv.Atoi(s)
			if _, err := newSyntheticModule(*keep, n); err != nil {
				fmt.Fprintln(os.Stderr, "bench:", err)
				os.Exit(1)
			}
		}
		return
	}
	if err := run(*sizes, *runs, !*skipRuntime); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(sizes string, runs int, runtime bool) error {
	root, err := os.MkdirTemp("", "qegen-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)

	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "collections\tfloor\tqegen\tratio\town work\town/collection\t")
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("bad size %q", s)
		}
		r, err := measureGeneration(root, n, runs)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%.2fx\t%s\t%s\t\n", n, ms(r.floor), ms(r.total), float64(r.total)/float64(r.floor), ms(r.own), (r.own / time.Duration(n)).Round(time.Microsecond))
	}
	w.Flush()
	if !runtime {
		return nil
	}

	fmt.Println()
	w = tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "operation\tgenerated ns/op\thand ns/op\tratio\tgenerated allocs\thand allocs\t")
	for _, p := range pairs {
		g, h := measure(p.generated), measure(p.handwritten)
		fmt.Fprintf(w, "%s\t%.0f\t%.0f\t%.2fx\t%d\t%d\t\n", p.name, g.ns, h.ns, g.ns/h.ns, g.allocs, h.allocs)
	}
	return w.Flush()
}

type runtimeResult struct {
	ns     float64
	allocs int64
}

// measure takes the best of five testing.Benchmark runs, which is less
// sensitive to a busy machine than one run.
func measure(fn func()) runtimeResult {
	best := runtimeResult{ns: -1}
	for range 5 {
		r := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				fn()
			}
		})
		ns := float64(r.T.Nanoseconds()) / float64(r.N)
		if best.ns < 0 || ns < best.ns {
			best = runtimeResult{ns: ns, allocs: r.AllocsPerOp()}
		}
	}
	return best
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond)) }
