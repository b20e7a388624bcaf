package main

import (
	"io"
	"log/slog"
	"testing"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/internal/qetest"
	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/qe/migrate"
)

// benchStep reports documents per second for one step.
func benchStep(b *testing.B, step func() error) {
	b.ReportAllocs()
	for b.Loop() {
		if err := step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkMigrate: go test ./bench -bench Migrat (add -tags cse for
// libmongocrypt's share).
func BenchmarkMigrate(b *testing.B) {
	steps, err := migrationSteps()
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range steps {
		b.Run(s.name, func(b *testing.B) { benchStep(b, s.run) })
	}
	patient, appointment, err := migrationSources()
	if err != nil {
		b.Fatal(err)
	}
	if qe.LibmongocryptVersion() == "" {
		return // the libmongocrypt rows need -tags cse
	}
	for _, c := range []struct {
		name string
		spec qe.CollectionSpec
		run  func(b *testing.B, x *qe.Explicit)
	}{
		{"patients", example.PatientSpec(), func(b *testing.B, x *qe.Explicit) {
			benchStep(b, prepareStep(example.PatientSpec(), patient, func(p *example.Patient) error { _, err := x.Document(ctx, p); return err }))
		}},
		{"appointments", example.AppointmentSpec(), func(b *testing.B, x *qe.Explicit) {
			benchStep(b, prepareStep(example.AppointmentSpec(), appointment, func(a *example.Appointment) error { _, err := x.Document(ctx, a); return err }))
		}},
	} {
		b.Run("libmongocrypt/"+c.name, func(b *testing.B) {
			// The local key's warnings would break the benchmark's lines.
			defer slog.SetDefault(slog.Default())
			slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
			e := qetest.New(b, 9, 0, 0)
			e.Create(b, c.spec)
			x, err := qe.NewExplicit(qe.NewClientEncrypter(e.Encryption), qetest.Database, c.spec)
			if err != nil {
				b.Fatal(err)
			}
			c.run(b, x)
		})
	}
}

// TestMigrateBenchDocumentsFit: the benchmark measures the path a
// document that fits takes, not an early refusal.
func TestMigrateBenchDocumentsFit(t *testing.T) {
	patient, appointment, err := migrationSources()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&migrate.Migration[example.Patient]{Spec: example.PatientSpec()}).Prepare(patient); err != nil {
		t.Error(err)
	}
	if _, err := (&migrate.Migration[example.Appointment]{Spec: example.AppointmentSpec()}).Prepare(appointment); err != nil {
		t.Error(err)
	}
	if _, err := (&migrate.Migration[example.Appointment]{Spec: example.AppointmentSpec()}).Prepare(patient); err == nil {
		t.Error("a patient fits the appointments model: the check is not running")
	}
}
