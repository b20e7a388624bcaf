package main

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/internal/qetest"
	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/qe/migrate"
)

// The migration's transformation step, per document, without a server:
// go test ./bench -bench Migrat (add -tags cse for libmongocrypt's share).
// prepare is what qegen adds (decode into the model, check it against the
// encryptedFields, re-encode, compare with the source); explicit adds the
// explicit-mode document encryption with a stand-in encrypter;
// libmongocrypt (cse builds) with the real one.

func migrationSources(b testing.TB) (patient, appointment bson.Raw) {
	amount, _ := bson.ParseDecimal128("1500.25")
	fee, _ := bson.ParseDecimal128("120.50")
	p, err := bson.Marshal(example.Patient{ID: bson.NewObjectID(), PatientName: "John Doe", PatientID: 12345678,
		PatientRecord: example.PatientRecord{SSN: ssn, Billing: example.Billing{CCType: "Visa", CCNumber: "4111111111111111"}, BillAmount: amount}})
	if err != nil {
		b.Fatal(err)
	}
	a, err := bson.Marshal(example.Appointment{ID: bson.NewObjectID(), PatientID: 12345678, PatientName: "John Doe", Reason: "annual checkup",
		At: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC), Fee: fee})
	if err != nil {
		b.Fatal(err)
	}
	return p, a
}

// benchPrepare reports documents per second for one step on one document.
func benchPrepare[T any](b *testing.B, spec qe.CollectionSpec, source bson.Raw, encrypt func(*T) error) {
	m := &migrate.Migration[T]{Spec: spec}
	b.ReportAllocs()
	for b.Loop() {
		doc, err := m.Prepare(source)
		if err == nil && encrypt != nil {
			err = encrypt(doc)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkMigrate(b *testing.B) {
	patient, appointment := migrationSources(b)
	fake := func(spec qe.CollectionSpec) *qe.Explicit {
		x, err := qe.NewExplicit(fakeEncrypter{}, "medical_records", spec)
		if err != nil {
			b.Fatal(err)
		}
		return x
	}
	px, ax := fake(example.PatientSpec()), fake(example.AppointmentSpec())
	b.Run("prepare/patients", func(b *testing.B) { benchPrepare[example.Patient](b, example.PatientSpec(), patient, nil) })
	b.Run("prepare/appointments", func(b *testing.B) { benchPrepare[example.Appointment](b, example.AppointmentSpec(), appointment, nil) })
	b.Run("explicit/patients", func(b *testing.B) {
		benchPrepare(b, example.PatientSpec(), patient, func(p *example.Patient) error { _, err := px.Document(ctx, p); return err })
	})
	b.Run("explicit/appointments", func(b *testing.B) {
		benchPrepare(b, example.AppointmentSpec(), appointment, func(a *example.Appointment) error { _, err := ax.Document(ctx, a); return err })
	})
	if qe.LibmongocryptVersion() == "" {
		return // the libmongocrypt rows need -tags cse
	}
	for _, c := range []struct {
		name string
		spec qe.CollectionSpec
		run  func(b *testing.B, x *qe.Explicit)
	}{
		{"patients", example.PatientSpec(), func(b *testing.B, x *qe.Explicit) {
			benchPrepare(b, example.PatientSpec(), patient, func(p *example.Patient) error { _, err := x.Document(ctx, p); return err })
		}},
		{"appointments", example.AppointmentSpec(), func(b *testing.B, x *qe.Explicit) {
			benchPrepare(b, example.AppointmentSpec(), appointment, func(a *example.Appointment) error { _, err := x.Document(ctx, a); return err })
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
	patient, appointment := migrationSources(t)
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
