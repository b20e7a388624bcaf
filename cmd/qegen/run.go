package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/schema"
	"github.com/qegen/qegen/templates"
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1 // invalid models, stale files, or failure to write
	exitUsage = 2
)

// manual is the one text of qegen's manual: -h prints it, and tests check
// that the README and the package documentation carry it word for word.
//
//go:embed manual.txt
var manual string

// options are the parsed command line.
type options struct {
	printMap, check, list, verbose, version bool
	output, tags, server                    string
	patterns                                []string
}

// run is the whole command; main only exits with its status.
func run(args []string, stdout, stderr io.Writer) int {
	opts, code := parseFlags(args, stderr)
	if code >= 0 {
		return code
	}
	if opts.version {
		fmt.Fprintln(stdout, "qegen", version())
		return exitOK
	}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(stderr, "qegen:", err)
		return exitFail
	}
	target, err := schema.ParseRelease(opts.server)
	if err != nil {
		fmt.Fprintln(stderr, "qegen:", err)
		return exitUsage
	}
	cfg := generator.Config{Patterns: opts.patterns, Target: target}
	if opts.tags != "" {
		cfg.BuildTags = strings.Split(opts.tags, ",")
	}
	model, err := generator.Load(cfg)
	if err != nil {
		return report(stderr, wd, err)
	}
	if len(model.Warnings) > 0 {
		model.Warnings.Relative(wd)
		fmt.Fprintln(stderr, model.Warnings.Error())
	}
	switch {
	case opts.printMap:
		return printMap(model, opts.output, stdout, stderr, wd)
	case opts.list:
		if err := generator.WriteList(stdout, model, wd); err != nil {
			return report(stderr, wd, err)
		}
		return exitOK
	}
	var cache *templates.Cache // -check compares what it renders, never what it remembers
	if !opts.check {
		cache = templates.OpenCache()
	}
	outputs, err := templates.RenderCached(model, cache)
	if err != nil {
		return report(stderr, wd, err)
	}
	if opts.check {
		return check(outputs, model.Orphans, stderr, wd)
	}
	changes, err := generator.Write(outputs, model.Orphans)
	if err == nil {
		if err := cache.Record(model, outputs); err != nil && opts.verbose {
			fmt.Fprintf(stderr, "qegen: render cache not saved: %v\n", err)
		}
	}
	if opts.verbose {
		for _, c := range changes {
			fmt.Fprintf(stdout, "%s %s\n", c.Action, generator.RelativePath(wd, c.Path))
		}
		if cache != nil {
			fmt.Fprintf(stdout, "rendered %d of %d files; the others were unchanged since this build wrote them\n", len(outputs)-cache.Hits(), len(outputs))
		}
	}
	if err != nil {
		return report(stderr, wd, err)
	}
	return exitOK
}

// parseFlags returns the options, or an exit status >= 0 when the command
// line alone decides the outcome (help, or a usage error).
func parseFlags(args []string, stderr io.Writer) (options, int) {
	var opts options
	flags := flag.NewFlagSet("qegen", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, manual) }
	defineFlags(flags, &opts)
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return opts, exitOK
		}
		return opts, exitUsage
	}
	opts.patterns = flags.Args()
	modes := 0
	for _, on := range []bool{opts.printMap, opts.check, opts.list} {
		if on {
			modes++
		}
	}
	switch {
	case modes > 1:
		fmt.Fprintln(stderr, "qegen: use at most one of -map, -check and -list")
		return opts, exitUsage
	case opts.output != "" && !opts.printMap:
		fmt.Fprintln(stderr, "qegen: -o goes with -map")
		return opts, exitUsage
	}
	return opts, -1
}

func printMap(model *generator.Model, output string, stdout, stderr io.Writer, wd string) int {
	out, err := generator.MapJSON(model)
	if err != nil {
		return report(stderr, wd, err)
	}
	if output == "" {
		stdout.Write(out)
		return exitOK
	}
	if err := generator.WriteFile(output, out); err != nil {
		return report(stderr, wd, err)
	}
	return exitOK
}

// defineFlags declares the flags; manual.txt describes each of them.
func defineFlags(flags *flag.FlagSet, opts *options) {
	flags.BoolVar(&opts.printMap, "map", false, "print the encryptedFields of every collection as canonical Extended JSON; write no Go files")
	flags.StringVar(&opts.output, "o", "", "with -map: write the JSON to `file` instead of standard output")
	flags.BoolVar(&opts.check, "check", false, "exit 1, with a diff, if generated files are missing or stale; write nothing")
	flags.BoolVar(&opts.list, "list", false, "print a table of every collection's paths, types, encryption and queries; write nothing")
	flags.StringVar(&opts.server, "server", schema.DefaultRelease.String(), "oldest MongoDB `release` to generate for: 7.0, 8.0, 8.2 or 9.0; it decides which query kinds exist and their names")
	flags.StringVar(&opts.tags, "tags", "", "comma-separated build `tags` used to load the packages")
	flags.BoolVar(&opts.verbose, "v", false, "list the files written, removed or unchanged")
	flags.BoolVar(&opts.version, "version", false, "print qegen's version and exit")
}

// maxDiffLines keeps -check's output readable when a file changed a lot.
const maxDiffLines = 40

func check(outputs []generator.Output, orphans []string, stderr io.Writer, wd string) int {
	stale := generator.Check(outputs, orphans)
	for _, c := range stale {
		name := generator.RelativePath(wd, c.Path)
		switch {
		case c.Action == generator.RemoveAction:
			fmt.Fprintf(stderr, "%s is orphaned (its models declare no collection): run qegen to remove it\n", name)
		case c.Old == nil:
			fmt.Fprintf(stderr, "%s is missing: run qegen (or go generate) and commit the result\n", name)
		default:
			fmt.Fprintf(stderr, "%s is stale: run qegen (or go generate) and commit the result\n", name)
			fmt.Fprint(stderr, shortDiff(name, c.Old, c.New))
		}
	}
	if len(stale) > 0 {
		return exitFail
	}
	return exitOK
}

func shortDiff(name string, old, new []byte) string {
	lines := strings.SplitAfter(string(generator.Diff(name, old, new)), "\n")
	if len(lines) > maxDiffLines {
		more := len(lines) - maxDiffLines
		lines = append(lines[:maxDiffLines], fmt.Sprintf("... %d more diff lines\n", more))
	}
	return strings.Join(lines, "")
}

// report prints err as file:line:col: message lines relative to wd.
func report(stderr io.Writer, wd string, err error) int {
	var list generator.ErrorList
	if errors.As(err, &list) {
		list.Relative(wd)
		fmt.Fprintln(stderr, list.Error())
		return exitFail
	}
	fmt.Fprintln(stderr, "qegen:", err)
	return exitFail
}

// version is the module version qegen was built from: a tag when installed
// with go install or go get -tool, "(devel)" in a checkout.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" {
		return "(devel)"
	}
	return info.Main.Version
}
