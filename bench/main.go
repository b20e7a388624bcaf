// Bench measures qegen against its goals and prints the figures:
//
//	go run ./bench                         # regeneration and runtime tables
//	go run ./bench -sizes 100 -runs 3      # smaller, faster
//	go run ./bench -compile                # also the cost of compiling generated code
//
// Regeneration: a synthetic package of N collections (20 fields each, a
// third encrypted, nested structs) sits in two scratch modules, one with
// the code qegen generated beside the models and one without. Before every
// timed run the document key of a plain field of the first collection is
// renamed, identically in both, to a key it never had: an edit a user
// makes before running go generate, which no build cache has seen, and
// after which the old generated code still compiles. The floor is a
// go/packages load of the edited models with types (NeedTypes and
// NeedTypesInfo, no NeedDeps) in the module without generated code; qegen
// is the qegen command after the same edit, its previous output present.
// Both run as subprocesses: wall time, and the peak memory of the largest
// process of each (the go command and the compiler are processes too).
//
// Compilation: go build and go vet of the package, with and without its
// generated code, after touching a comment so that only that package is
// compiled, every dependency coming from the build cache.
//
// Runtime: what generated repositories do before the driver sends a
// command, against hand-written driver code; and a migration's
// transformation of one document.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"
)

func main() {
	if log := os.Getenv(compileLogEnv); log != "" && len(os.Args) > 1 {
		os.Exit(runTool(log, os.Args[1:])) // run by go build -toolexec
	}
	sizes := flag.String("sizes", "100,500,2000", "comma-separated numbers of collections")
	runs := flag.Int("runs", 5, "timed runs per size; medians are shown")
	compile := flag.Bool("compile", false, "also measure go build and go vet of the generated code (slow)")
	compileSizes := flag.String("compile-sizes", "100,500", "sizes for -compile")
	skipRuntime := flag.Bool("generation-only", false, "skip the runtime table")
	keep := flag.String("keep", "", "write the synthetic modules, with generated code, into this directory and stop")
	qegenBin := flag.String("qegen", "", "qegen `binary` to measure, such as an older build; default: this checkout's")
	floor := flag.Bool("floor", false, "internal: load the synthetic package in the current directory as the floor does")
	flag.Parse()
	if *floor {
		os.Exit(runFloor())
	}
	if err := run(*sizes, *compileSizes, *keep, *qegenBin, *runs, *compile, !*skipRuntime); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(sizes, compileSizes, keep, qegen string, runs int, compile, runtime bool) error {
	ns, err := parseSizes(sizes)
	if err != nil {
		return err
	}
	if keep != "" {
		for _, n := range ns {
			if _, err := newPair(keep, n); err != nil {
				return err
			}
		}
		return nil
	}
	root, err := os.MkdirTemp("", "qegen-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if qegen == "" {
		if qegen, err = buildQegen(root); err != nil {
			return err
		}
	}
	// qegen's render cache lives in the scratch directory, not the user's;
	// the go command's caches stay where they are, which moving the cache
	// directory would otherwise change.
	if err := pinGoEnv("GOCACHE", "GOMODCACHE", "GOPATH"); err != nil {
		return err
	}
	if err := os.Setenv("XDG_CACHE_HOME", filepath.Join(root, "cache")); err != nil {
		return err
	}

	pairs := map[int]*pair{}
	fmt.Printf("Regeneration after a one-line edit (medians of %d runs):\n\n", runs)
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "collections\tfloor\tqegen\tratio\tfirst run\tratio\tfloor RSS\tqegen RSS\tRSS ratio\t")
	var inProcess []string
	for _, n := range ns {
		fmt.Fprintf(os.Stderr, "bench: regeneration at %d collections\n", n)
		p, err := newPair(root, n)
		if err != nil {
			return err
		}
		pairs[n] = p
		r, err := measureRegeneration(p, qegen, self, runs)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%.2fx\t%s\t%.2fx\t%s\t%s\t%.2fx\t\n", n, ms(r.floor.wall), ms(r.qegen.wall), ratio(r.qegen.wall, r.floor.wall), ms(r.coldRender.wall), ratio(r.coldRender.wall, r.floor.wall), mb(r.floor.maxRSS), mb(r.qegen.maxRSS), ratio(r.qegen.maxRSS, r.floor.maxRSS))
		ph, err := measurePhases(p, runs)
		if err != nil {
			return err
		}
		inProcess = append(inProcess, fmt.Sprintf("%d\t%s\t%s\t%s\t%s\t%s\t\n", n, ms(ph.load), ms(ph.build), ms(ph.render), ms(ph.write), perItem(ph.build+ph.render+ph.write, n)))
	}
	w.Flush()
	fmt.Printf("\nThe same run in this process, by step (medians of %d runs):\n\n", runs)
	w = tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "collections\tload\tbuild\trender\twrite\tafter load, per collection\t")
	for _, row := range inProcess {
		fmt.Fprint(w, row)
	}
	w.Flush()

	if compile {
		cs, err := parseSizes(compileSizes)
		if err != nil {
			return err
		}
		fmt.Printf("\nCompiling the package without and with its generated code (medians of %d runs):\n\n", runs)
		w = tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(w, "collections\tcompile CPU\twith generated\tper collection\tcompiler RSS\twith generated\tper collection\tvet\twith generated\tper collection\t")
		for _, n := range cs {
			p := pairs[n]
			if p == nil {
				if p, err = newPair(root, n); err != nil {
					return err
				}
			}
			fmt.Fprintf(os.Stderr, "bench: compilation at %d collections\n", n)
			c, err := measureCompilation(p, self, runs)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", n,
				ms(c.compile.cpu), ms(c.compileGn.cpu), perItem(c.compileGn.cpu-c.compile.cpu, n),
				mb(c.compile.maxRSS), mb(c.compileGn.maxRSS), fmt.Sprintf("%.2fMB", float64(c.compileGn.maxRSS-c.compile.maxRSS)/float64(n)/(1<<20)),
				ms(c.vet.wall), ms(c.vetGen.wall), perItem(c.vetGen.wall-c.vet.wall, n))
		}
		w.Flush()
	}
	if !runtime {
		return nil
	}

	fmt.Println()
	w = tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "operation\tgenerated ns/op\thand ns/op\tratio\tgenerated allocs\thand allocs\t")
	for _, p := range runtimePairs {
		g, h := measureRuntime(p.generated), measureRuntime(p.handwritten)
		fmt.Fprintf(w, "%s\t%.0f\t%.0f\t%.2fx\t%d\t%d\t\n", p.name, g.ns, h.ns, g.ns/h.ns, g.allocs, h.allocs)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return printMigration()
}

// printMigration times the migration's transformation per document; go
// test -tags cse ./bench -bench Migrat adds libmongocrypt's share.
func printMigration() error {
	steps, err := migrationSteps()
	if err != nil {
		return err
	}
	fmt.Println("\nMigration, per document, without a server (explicit: with a stand-in encrypter):")
	fmt.Println()
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "step\tµs/doc\tdocs/s\tallocs\t")
	for _, s := range steps {
		if err := s.run(); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		r := measureRuntime(func() { sinkErr = s.run() })
		fmt.Fprintf(w, "%s\t%.1f\t%.0f\t%d\t\n", s.name, r.ns/1e3, 1e9/r.ns, r.allocs)
	}
	return w.Flush()
}

func parseSizes(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad size %q", f)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

type runtimeResult struct {
	ns     float64
	allocs int64
}

// measureRuntime takes the best of five testing.Benchmark runs, which is
// less sensitive to a busy machine than one run.
func measureRuntime(fn func()) runtimeResult {
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

func median(v []int64) int64 {
	v = slices.Clone(v)
	slices.Sort(v)
	return v[len(v)/2]
}

func ratio[T time.Duration | int64](a, b T) float64 { return float64(a) / float64(b) }

func ms(d time.Duration) string { return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond)) }

func mb(b int64) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0fMB", float64(b)/(1<<20))
}

func perItem(d time.Duration, n int) string {
	return (d / time.Duration(n)).Round(10 * time.Microsecond).String()
}

// pinGoEnv sets each go env variable to its current value, so that
// commands run with another HOME or XDG_CACHE_HOME keep using them.
func pinGoEnv(keys ...string) error {
	out, err := exec.Command("go", append([]string{"env"}, keys...)...).Output()
	if err != nil {
		return fmt.Errorf("go env: %v", err)
	}
	for i, v := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if err := os.Setenv(keys[i], v); err != nil {
			return err
		}
	}
	return nil
}
