package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/internal/offline"
	"github.com/qegen/qegen/internal/qetest"
)

// TestProgramWithLibmongocrypt runs the program's phases through the
// real libmongocrypt against internal/offline, which is not a server (see
// package qetest): a dry run, then a copy with verification.
func TestProgramWithLibmongocrypt(t *testing.T) {
	qetest.Skip(t)
	key := make([]byte, 96)
	rand.Read(key)
	t.Setenv("QE_KEY_VAULT_NAMESPACE", "medical_records.__keyVault")
	t.Setenv("QE_KMS_PROVIDER", "local")
	t.Setenv("QE_LOCAL_KEY", base64.StdEncoding.EncodeToString(key))
	d := offline.New(8, 0, 0)
	for i := range 5 {
		raw, _ := bson.Marshal(example.Patient{ID: bson.NewObjectID(), PatientName: fmt.Sprint("P", i), PatientRecord: example.PatientRecord{SSN: fmt.Sprintf("321-00-%04d", i)}})
		d.Store("medical_records.patients_plain", raw)
	}
	run := func(args ...string) string {
		t.Helper()
		o, err := parseOptions(args, &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		if err := migrateWith(context.Background(), o, func() *options.ClientOptions { return d.ClientOptions() }, &stdout, &stderr); err != nil {
			t.Fatalf("migrate %q: %v\n%s", args, err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "documents") {
			t.Errorf("migrate %q showed no progress: %q", args, stderr.String())
		}
		return stdout.String()
	}
	out := run("-from", "patients_plain", "-to", "patients", "-dry-run")
	for _, want := range []string{"does not exist: create it first", "read 5 documents: 5 would be copied, 0 are in the target already, 0 do not fit"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run printed %q, want %q", out, want)
		}
	}
	if n := len(d.Documents("medical_records.patients")) + len(d.Documents("medical_records.qegen_migrations")); n != 0 {
		t.Errorf("the dry run wrote %d documents", n)
	}
	out = run("-from", "patients_plain", "-to", "patients", "-verify", "all", "-rate", "inf")
	for _, want := range []string{"5 copied, 0 already in the target", "source holds 5 documents, target 5", "5 compared, 0 missing, 0 did not fit, 0 differences"} {
		if !strings.Contains(out, want) {
			t.Errorf("the copy printed %q, want %q", out, want)
		}
	}
	for _, doc := range d.Documents("medical_records.patients") {
		if subtype, _, _ := doc.Lookup("patient_record", "ssn").BinaryOK(); subtype != 6 {
			t.Errorf("the SSN is stored as %s", doc.Lookup("patient_record", "ssn").Type)
		}
	}
	if strings.Contains(out, "321-00-") {
		t.Errorf("the report shows an SSN: %s", out)
	}
}
