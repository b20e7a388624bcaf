package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/templates"
)

func TestExitCodes(t *testing.T) {
	tests := []struct {
		args       []string
		want       int
		wantStderr string
	}{
		{[]string{"-h"}, exitOK, "usage: qegen"},
		{[]string{"-bogus"}, exitUsage, "flag provided but not defined: -bogus"},
		{[]string{"-map", "-check"}, exitUsage, "use at most one of -map, -check and -list"},
		{[]string{"-check", "-o", "x"}, exitUsage, "-o goes with -map"},
		{[]string{"-version"}, exitOK, ""},
		{[]string{"-list", "../../example"}, exitOK, ""},
		{[]string{"-check", "../../example"}, exitOK, ""},
		{[]string{"-map", "./testdata/no/such/dir"}, exitFail, "qegen:"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		got := run(tt.args, &stdout, &stderr)
		if got != tt.want {
			t.Errorf("qegen %s: exit %d, want %d; stderr:\n%s", strings.Join(tt.args, " "), got, tt.want, stderr.String())
		}
		if !strings.Contains(stderr.String(), tt.wantStderr) {
			t.Errorf("qegen %s: stderr %q, want it to contain %q", strings.Join(tt.args, " "), stderr.String(), tt.wantStderr)
		}
	}
}

// TestExampleIsFresh fails when example/models_qe.go is not what qegen
// generates from example/models.go today.
func TestExampleIsFresh(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"-check", "../../example"}, &bytes.Buffer{}, &stderr); code != exitOK {
		t.Fatalf("example/models_qe.go is stale; run go generate ./example:\n%s", stderr.String())
	}
}

// TestDeterministic generates the same packages twice, named in different
// orders, and expects the same bytes.
func TestDeterministic(t *testing.T) {
	render := func(patterns ...string) []generator.Output {
		m, err := generator.Load(generator.Config{Patterns: patterns})
		if err != nil {
			t.Fatal(err)
		}
		out, err := templates.Render(m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a := render("../../example", "../../generator/internal/typecases")
	b := render("../../generator/internal/typecases", "../../example")
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("got %d and %d outputs", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Content, b[i].Content) {
			t.Errorf("output %d differs between runs: %s vs %s", i, a[i].Path, b[i].Path)
		}
	}
}
