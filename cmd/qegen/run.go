package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/templates"
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1 // invalid models, stale files, or failure to write
	exitUsage = 2
)

const usage = `usage: qegen [flags] [packages]

Generates <file>_qe.go beside every Go file that declares a struct marked
//qegen:collection NAME. Packages default to ".".

Field tags:  qe:"KIND[,KIND...][,OPTION=VALUE...]"
  kinds:    encrypt (encrypted, not queryable), equality,
            range, prefix, suffix, substring
  options:  contention=N (equality and other query kinds; default 8)
            min, max, sparsity, trimFactor, precision (range)
            strMinQueryLength, strMaxQueryLength, strMaxLength,
            caseSensitive, diacriticSensitive (prefix, suffix, substring)
  example:  SSN string ` + "`bson:\"ssn\" qe:\"equality,contention=4\"`" + `

The document key is the bson tag's name, or the lower-cased Go name.

Flags:
`

// run is the whole command; main only exits with its status.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("qegen", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(stderr, usage)
		flags.PrintDefaults()
	}
	printMap := flags.Bool("map", false, "print the encryptedFields of every collection as canonical Extended JSON; write nothing")
	check := flags.Bool("check", false, "exit 1 if generated files are missing or stale; write nothing")
	tags := flags.String("tags", "", "comma-separated build tags used to load the packages")
	verbose := flags.Bool("v", false, "list the files written, removed or unchanged")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *printMap && *check {
		fmt.Fprintln(stderr, "qegen: -map and -check cannot be used together")
		return exitUsage
	}

	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(stderr, "qegen:", err)
		return exitFail
	}
	cfg := generator.Config{Patterns: flags.Args()}
	if *tags != "" {
		cfg.BuildTags = strings.Split(*tags, ",")
	}
	model, err := generator.Load(cfg)
	if err != nil {
		return report(stderr, wd, err)
	}
	if *printMap {
		out, err := generator.MapJSON(model)
		if err != nil {
			return report(stderr, wd, err)
		}
		stdout.Write(out)
		return exitOK
	}
	outputs, err := templates.Render(model)
	if err != nil {
		return report(stderr, wd, err)
	}
	if *check {
		stale := generator.Check(outputs, model.Orphans)
		for _, c := range stale {
			verb := "is missing or stale"
			if c.Action == "remove" {
				verb = "is orphaned (its models declare no collection)"
			}
			fmt.Fprintf(stderr, "%s %s: run qegen (or go generate) and commit the result\n", relative(wd, c.Path), verb)
		}
		if len(stale) > 0 {
			return exitFail
		}
		return exitOK
	}
	changes, err := generator.Write(outputs, model.Orphans)
	if *verbose {
		for _, c := range changes {
			fmt.Fprintf(stdout, "%s %s\n", c.Action, relative(wd, c.Path))
		}
	}
	if err != nil {
		return report(stderr, wd, err)
	}
	return exitOK
}

// report prints err as file:line:col: message lines relative to wd.
func report(stderr io.Writer, wd string, err error) int {
	var list generator.ErrorList
	var one *generator.Error
	switch {
	case errors.As(err, &list):
		list.Relative(wd)
	case errors.As(err, &one):
		generator.ErrorList{one}.Relative(wd)
	}
	msg := err.Error()
	if list == nil && one == nil {
		msg = "qegen: " + msg
	}
	fmt.Fprintln(stderr, msg)
	return exitFail
}

func relative(wd, path string) string {
	if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}
