package main

import (
	"bytes"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestExitCodes(t *testing.T) {
	tests := []struct {
		args       []string
		want       int
		wantStdout string // a regexp stdout must match
		wantStderr string // a regexp stderr must match; "" means stderr must be empty
	}{
		{[]string{"-h"}, exitOK, "^$", "^usage: qegen"},
		{[]string{"-bogus"}, exitUsage, "^$", "flag provided but not defined: -bogus"},
		{[]string{"-map", "-check"}, exitUsage, "^$", "use at most one of -map, -check and -list"},
		{[]string{"-check", "-o", "x"}, exitUsage, "^$", "-o goes with -map"},
		{[]string{"-server", "8.1"}, exitUsage, "^$", `unknown server version "8.1"`},
		{[]string{"-version"}, exitOK, `^qegen \S+\n$`, ""},
		{[]string{"-list", "../../example"}, exitOK, `(?m)^patients \(Patient at .*models.go:\d+\)$`, ""},
		{[]string{"-map", "../../example"}, exitOK, `"patients": \{`, ""},
		{[]string{"-map", "./testdata/no/such/dir"}, exitFail, "^$", "qegen:"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		got := run(tt.args, &stdout, &stderr)
		name := "qegen " + strings.Join(tt.args, " ")
		if got != tt.want {
			t.Errorf("%s: exit %d, want %d; stderr:\n%s", name, got, tt.want, stderr.String())
		}
		if !regexp.MustCompile(tt.wantStdout).MatchString(stdout.String()) {
			t.Errorf("%s: stdout %q, want it to match %q", name, stdout.String(), tt.wantStdout)
		}
		if tt.wantStderr == "" && stderr.Len() > 0 || !regexp.MustCompile(tt.wantStderr).MatchString(stderr.String()) {
			t.Errorf("%s: stderr %q, want %q", name, stderr.String(), tt.wantStderr)
		}
	}
}

// TestExampleIsFresh fails when example/*_qe.go is not what qegen
// generates from the example's models today.
func TestExampleIsFresh(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"-check", "../../example"}, &bytes.Buffer{}, &stderr); code != exitOK || stderr.Len() > 0 {
		t.Fatalf("the example's generated code is stale; run go generate ./example:\n%s", stderr.String())
	}
}

// TestManualIsOneText: -h, the package documentation and the README carry
// the same manual, and the manual names every flag.
func TestManualIsOneText(t *testing.T) {
	var stderr bytes.Buffer
	run([]string{"-h"}, &bytes.Buffer{}, &stderr)
	if stderr.String() != manual {
		t.Errorf("-h prints something else than manual.txt:\n%s", stderr.String())
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```\n"+manual+"```\n") {
		t.Error("README.md does not carry manual.txt word for word in a code block: copy it there")
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	var doc strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(manual, "\n"), "\n") {
		if line == "" {
			doc.WriteString("//\n")
		} else {
			doc.WriteString("//\t" + line + "\n")
		}
	}
	if !strings.Contains(string(src), doc.String()) {
		t.Error("the package documentation in main.go does not carry manual.txt word for word: copy it there, indented")
	}
	flags := flag.NewFlagSet("qegen", flag.ContinueOnError)
	defineFlags(flags, &options{})
	flags.VisitAll(func(f *flag.Flag) {
		if !regexp.MustCompile(`(?m)^  -` + f.Name + `\b`).MatchString(manual) {
			t.Errorf("the manual does not describe -%s", f.Name)
		}
	})
}
