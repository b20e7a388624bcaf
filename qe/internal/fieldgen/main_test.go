package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/qegen/qegen/internal/golden"
)

// TestFieldsGenUpToDate fails when qe/fields_gen.go is not what the table
// renders: run go generate ./qe (or go test ./qe/internal/fieldgen -update).
func TestFieldsGenUpToDate(t *testing.T) {
	const path = "../../fields_gen.go"
	want, err := render()
	if err != nil {
		t.Fatal(err)
	}
	if *golden.Update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("qe/fields_gen.go is stale: run go generate ./qe")
	}
}
