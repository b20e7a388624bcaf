package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// compilation is the cost of building and vetting the synthetic package
// with its generated code and without, at one size.
type compilation struct {
	size               int
	compile, compileGn cost // the compiler of the package alone, without and with generated code
	vet, vetGen        cost // go vet of the package, without and with generated code
}

// syntheticPkg is the import path of the synthetic package.
const syntheticPkg = "example.com/synthetic/models"

// compileLogEnv names the file where this program, run by the go command
// as -toolexec, records the compiler's cost for the synthetic package.
const compileLogEnv = "QEGEN_BENCH_COMPILE_LOG"

// measureCompilation times the compiler of the package (go build with this
// program as -toolexec, which records the compile of that package alone:
// its CPU time and its peak memory) and go vet, runs times each after
// touching a comment, so that only that package is compiled (or vetted)
// and every dependency comes from the build cache. One untimed round
// first fills the cache.
func measureCompilation(p *pair, self string, runs int) (compilation, error) {
	c := compilation{size: p.size}
	if err := generate(p.gen); err != nil {
		return c, err
	}
	var b, bg, v, vg []cost
	for i := range runs + 1 {
		if err := p.touch(); err != nil {
			return c, err
		}
		without, err := measureCompiler(p.floor, self)
		if err != nil {
			return c, err
		}
		with, err := measureCompiler(p.gen, self)
		if err != nil {
			return c, err
		}
		if err := p.touch(); err != nil {
			return c, err
		}
		vetWithout, err := measure(p.floor, "go", "vet", modelsPattern)
		if err != nil {
			return c, err
		}
		vetWith, err := measure(p.gen, "go", "vet", modelsPattern)
		if err != nil {
			return c, err
		}
		if i > 0 {
			b, bg, v, vg = append(b, without), append(bg, with), append(v, vetWithout), append(vg, vetWith)
		}
	}
	c.compile, c.compileGn, c.vet, c.vetGen = medians(b), medians(bg), medians(v), medians(vg)
	return c, nil
}

// measureCompiler runs go build in dir with this program as -toolexec and
// returns what the compile of the synthetic package cost.
func measureCompiler(dir, self string) (cost, error) {
	log, err := os.CreateTemp("", "qegen-bench-compile-")
	if err != nil {
		return cost{}, err
	}
	log.Close()
	defer os.Remove(log.Name())
	if _, err := measureEnv([]string{compileLogEnv + "=" + log.Name()}, dir, "go", "build", "-toolexec="+self, modelsPattern); err != nil {
		return cost{}, err
	}
	data, err := os.ReadFile(log.Name())
	if err != nil {
		return cost{}, err
	}
	f := strings.Fields(string(data))
	if len(f) != 2 {
		return cost{}, fmt.Errorf("go build in %s compiled %s %d times, want once (is it in the build cache?)", dir, syntheticPkg, len(f)/2)
	}
	cpu, err1 := strconv.ParseInt(f[0], 10, 64)
	rss, err2 := strconv.ParseInt(f[1], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return cost{}, err
	}
	return cost{cpu: time.Duration(cpu), maxRSS: rss}, nil
}

// runTool is this program as the go command's -toolexec: it runs the tool
// and, for the compile of the synthetic package, appends the compiler's
// CPU time and peak memory to the file named by compileLogEnv.
func runTool(logPath string, args []string) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "bench -toolexec:", err)
		return 1
	}
	if tool := strings.TrimSuffix(filepath.Base(args[0]), ".exe"); tool == "compile" && compiles(args, syntheticPkg) {
		st := cmd.ProcessState
		line := fmt.Sprintf("%d %d\n", st.UserTime()+st.SystemTime(), maxRSS(st))
		f, ferr := os.OpenFile(logPath, os.O_APPEND|os.O_WRONLY, 0)
		if ferr == nil {
			_, ferr = f.WriteString(line)
			ferr = errors.Join(ferr, f.Close())
		}
		if ferr != nil {
			fmt.Fprintln(os.Stderr, "bench -toolexec:", ferr)
			return 1
		}
	}
	return cmd.ProcessState.ExitCode()
}

// compiles reports whether compiler arguments compile package path.
func compiles(args []string, path string) bool {
	i := slices.Index(args, "-p")
	return i >= 0 && i+1 < len(args) && args[i+1] == path
}
