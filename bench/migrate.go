package main

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/qe/migrate"
)

// The migration's transformation step, per document, without a server.
// prepare is what qegen adds (decode into the model, check it against the
// encryptedFields, re-encode, compare with the source); explicit adds the
// explicit-mode document encryption with the stand-in encrypter;
// BenchmarkMigrate adds libmongocrypt's share in cse builds.

// migrationSources are one patient and one appointment as a plaintext
// source collection holds them.
func migrationSources() (patient, appointment bson.Raw, err error) {
	amount, _ := bson.ParseDecimal128("1500.25")
	fee, _ := bson.ParseDecimal128("120.50")
	patient, err = bson.Marshal(example.Patient{ID: bson.NewObjectID(), PatientName: "John Doe", PatientID: 12345678,
		PatientRecord: example.PatientRecord{SSN: ssn, Billing: example.Billing{CCType: "Visa", CCNumber: "4111111111111111"}, BillAmount: amount}})
	if err != nil {
		return nil, nil, err
	}
	appointment, err = bson.Marshal(example.Appointment{ID: bson.NewObjectID(), PatientID: 12345678, PatientName: "John Doe", Reason: "annual checkup",
		At: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC), Fee: fee})
	return patient, appointment, err
}

// prepareStep is one document's transformation: Prepare, then encrypt
// when it is not nil.
func prepareStep[T any](spec qe.CollectionSpec, source bson.Raw, encrypt func(*T) error) func() error {
	m := &migrate.Migration[T]{Spec: spec}
	return func() error {
		doc, err := m.Prepare(source)
		if err == nil && encrypt != nil {
			err = encrypt(doc)
		}
		return err
	}
}

// migrationStep names one step measured on one collection's document.
type migrationStep struct {
	name string
	run  func() error
}

// migrationSteps are the steps measured without libmongocrypt.
func migrationSteps() ([]migrationStep, error) {
	patient, appointment, err := migrationSources()
	if err != nil {
		return nil, err
	}
	px, err := qe.NewExplicit(fakeEncrypter{}, "medical_records", example.PatientSpec())
	if err != nil {
		return nil, err
	}
	ax, err := qe.NewExplicit(fakeEncrypter{}, "medical_records", example.AppointmentSpec())
	if err != nil {
		return nil, err
	}
	return []migrationStep{
		{"prepare/patients", prepareStep[example.Patient](example.PatientSpec(), patient, nil)},
		{"prepare/appointments", prepareStep[example.Appointment](example.AppointmentSpec(), appointment, nil)},
		{"explicit/patients", prepareStep(example.PatientSpec(), patient, func(p *example.Patient) error { _, err := px.Document(ctx, p); return err })},
		{"explicit/appointments", prepareStep(example.AppointmentSpec(), appointment, func(a *example.Appointment) error { _, err := ax.Document(ctx, a); return err })},
	}, nil
}
