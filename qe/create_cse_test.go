package qe_test

import (
	"context"
	"strings"
	"testing"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/internal/qetest"
	"github.com/qegen/qegen/qe"
)

// TestCreateCollectionGivesUpOnNamespaceExists: when the server keeps
// answering NamespaceExists (48) and the collection never shows up,
// CreateCollection compares once more and then fails, rather than retry
// forever. With the real libmongocrypt; no server (see package qetest).
func TestCreateCollectionGivesUpOnNamespaceExists(t *testing.T) {
	e := qetest.New(t, 8, 0, 0)
	e.Deployment.Fail("create", 48, 100)
	_, err := qe.CreateCollection(context.Background(), e.Plain.Database(qetest.Database), example.PatientSpec(), e.Keys)
	if err == nil || !strings.Contains(err.Error(), "creating encrypted collection medical_records.patients") {
		t.Errorf("CreateCollection = %v, want the server's error after one retry", err)
	}
	var creates int
	for _, c := range e.Deployment.Commands("create") {
		if c.Namespace == "medical_records.enxcol_.patients.esc" {
			creates++
		}
	}
	if creates != 2 {
		t.Errorf("the collection was created %d times, want 2 (once, then once more after NamespaceExists)", creates)
	}
}
