package example_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/internal/qetest"
	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/schema"
)

// The tests in this file drive the real libmongocrypt through the driver
// and the generated code, against an in-memory deployment instead of a
// server (package qetest says what that does and does not prove). They
// skip without -tags cse.

// TestCollectionsWithLibmongocrypt checks every example collection with
// qetest.CheckCollection: keys, encryptedFieldsMap, every kind and operator.
func TestCollectionsWithLibmongocrypt(t *testing.T) {
	t.Run("patients", func(t *testing.T) { qetest.CheckCollection(t, example.PatientSpec(), 7, 0, 0) })
	t.Run("appointments", func(t *testing.T) { qetest.CheckCollection(t, example.AppointmentSpec(), 9, 0, 0) })
}

// sent is every command the repository sent to its collection.
func sent(e *qetest.Env, spec qe.CollectionSpec) []bson.Raw {
	var out []bson.Raw
	for _, c := range e.Deployment.Commands("") {
		if c.Namespace == qetest.Namespace(spec) {
			out = append(out, c.Body)
		}
	}
	return out
}

// assertNothingInClear fails when a command sent to the collection holds
// one of the plaintexts.
func assertNothingInClear(t *testing.T, e *qetest.Env, spec qe.CollectionSpec, plaintexts ...string) {
	t.Helper()
	for _, cmd := range sent(e, spec) {
		for _, p := range plaintexts {
			if bytes.Contains(cmd, []byte(p)) {
				t.Errorf("a %s command sent %q in clear", bson.Raw(cmd).Index(0).Key(), p)
			}
		}
	}
}

func TestPatientRepositoryWithLibmongocrypt(t *testing.T) {
	ctx := context.Background()
	e := qetest.New(t, 7, 0, 0)
	spec := example.PatientSpec()
	e.Create(t, spec)
	coll := e.ExplicitClient(t, spec).Database(qetest.Database).Collection(example.PatientCollection)
	repo := example.NewPatientRepository(coll, qe.WithExplicitEncryption(qe.NewClientEncrypter(e.Encryption)))

	amount, _ := bson.ParseDecimal128("1500")
	john := &example.Patient{ID: bson.NewObjectID(), PatientName: "John Doe", PatientID: 12345678, PatientRecord: example.PatientRecord{
		SSN: "987-65-4320", Billing: example.Billing{CCType: "Visa", CCNumber: "4111111111111111"}, BillAmount: amount,
	}}
	if _, err := repo.InsertOne(ctx, john); err != nil {
		t.Fatalf("InsertOne: %v", err)
	}
	stored := e.Deployment.Documents(qetest.Namespace(spec))[0]
	qetest.CheckEncrypted(t, "the stored patient", stored, "patient_record.ssn", "patient_record.billing")
	if name := stored.Lookup("patient_name").StringValue(); name != "John Doe" {
		t.Errorf("patient_name stored as %q, want it in clear", name)
	}

	found, err := repo.FindOne(ctx, example.PatientWhere().PatientRecordSSN.Eq("987-65-4320"))
	if err != nil || found.PatientRecord.SSN != "987-65-4320" || found.PatientRecord.Billing.CCNumber != "4111111111111111" {
		t.Fatalf("FindOne(SSN) = %v, %v; want John with his SSN and card decrypted", found, err)
	}
	byID, err := repo.FindOne(ctx, example.PatientWhere().ID.Eq(john.ID))
	if err != nil || byID.PatientRecord.SSN != john.PatientRecord.SSN {
		t.Errorf("FindOne(_id) = %v, %v", byID, err)
	}
	for name, call := range map[string]func() error{
		"Find": func() error {
			_, err := repo.Find(ctx, example.PatientWhere().PatientRecordSSN.Eq("987-65-4320"))
			return err
		},
		"Count": func() error {
			_, err := repo.Count(ctx, example.PatientWhere().PatientRecordSSN.Eq("987-65-4320"))
			return err
		},
		"Find In/Not": func() error {
			w := example.PatientWhere()
			_, err := repo.Find(ctx, qe.And(w.PatientRecordSSN.In("987-65-4320", "000-00-0000"), qe.Not(w.PatientRecordSSN.Eq("111-11-1111"))))
			return err
		},
		"ReplaceOne": func() error {
			_, err := repo.ReplaceOne(ctx, example.PatientWhere().PatientRecordSSN.Eq("987-65-4320"), john)
			return err
		},
		"DeleteOne": func() error {
			_, err := repo.DeleteOne(ctx, example.PatientWhere().PatientRecordSSN.Eq("987-65-4320"))
			return err
		},
	} {
		if err := call(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Updates, find-and-modify, deletes and streaming, in explicit mode:
	// every value set on an encrypted path leaves as a payload.
	w := example.PatientWhere()
	newCard := example.Billing{CCType: "Amex", CCNumber: "378282246310005"}
	john.ID = bson.NewObjectID()
	if _, err := repo.InsertOne(ctx, john); err != nil { // the deletes above took him
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"UpdateOne(_id)": func() error {
			_, err := repo.UpdateOne(ctx, w.ID.Eq(john.ID), qe.Updates(w.PatientRecordSSN.Set("555-44-3333"), w.PatientRecordBilling.Set(newCard), w.PatientName.Set("Johnny")))
			return err
		},
		"UpdateOne": func() error {
			_, err := repo.UpdateOne(ctx, w.PatientRecordSSN.Eq("987-65-4320"), w.PatientID.Inc(1), qe.Upsert())
			return err
		},
		"FindOneAndUpdate": func() error {
			before, err := repo.FindOneAndUpdate(ctx, w.PatientRecordSSN.Eq("987-65-4320"), w.PatientRecordSSN.Set("555-44-3333"))
			if err == nil && before.PatientRecord.SSN != "987-65-4320" {
				return fmt.Errorf("returned %q, want the document as it was, decrypted", before.PatientRecord.SSN)
			}
			return err
		},
		"FindOneAndReplace": func() error {
			_, err := repo.FindOneAndReplace(ctx, w.PatientRecordSSN.Eq("987-65-4320"), john)
			return err
		},
		"Exists": func() error {
			if ok, err := repo.Exists(ctx, w.PatientRecordSSN.Eq("987-65-4320")); !ok || err != nil {
				return fmt.Errorf("Exists = %v, %v", ok, err)
			}
			return nil
		},
		"Stream": func() error {
			for p, err := range repo.Stream(ctx, w.PatientRecordSSN.In("987-65-4320"), qe.Sort(w.PatientName.Asc()), qe.Limit(10)) {
				if err != nil || p.PatientRecord.Billing.CCNumber == "" {
					return fmt.Errorf("streamed %v, %v", p, err)
				}
			}
			return nil
		},
	} {
		if err := call(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, u := range e.Deployment.Commands("update") {
		if strings.Contains(u.Body.String(), "$set") && u.Body.Lookup("encryptionInformation").Type == 0 {
			t.Errorf("an update that sets encrypted fields went without encryptionInformation: libmongocrypt did not process it")
		}
	}
	if _, err := repo.FindOneAndDelete(ctx, w.PatientRecordSSN.Eq("987-65-4320")); err != nil {
		t.Errorf("FindOneAndDelete: %v", err)
	}
	if _, err := repo.DeleteMany(ctx, w.PatientRecordSSN.In("987-65-4320", "555-44-3333")); err != nil {
		t.Errorf("DeleteMany: %v", err)
	}
	for _, name := range []string{"update", "delete", "aggregate", "findAndModify"} {
		if len(e.Deployment.Commands(name)) == 0 {
			t.Errorf("no %s command reached the deployment", name)
		}
	}

	jane := &example.Patient{PatientName: "Jane Roe", PatientRecord: example.PatientRecord{SSN: "123-45-6789", Billing: example.Billing{CCNumber: "5500000000000004"}}}
	for range 2 {
		if _, err := repo.InsertOne(ctx, jane); err != nil {
			t.Fatalf("InsertOne(jane) = %v", err)
		}
	}
	for _, cmd := range e.Deployment.Commands("insert") {
		if docs, _ := cmd.Body.Lookup("documents").Array().Values(); cmd.Namespace == qetest.Namespace(spec) && len(docs) != 1 {
			t.Errorf("an insert command carried %d documents; QE takes one per command", len(docs))
		}
	}
	assertNothingInClear(t, e, spec, "987-65-4320", "4111111111111111", "123-45-6789", "5500000000000004", "Visa", "555-44-3333", "378282246310005", "Amex")
}

func TestAppointmentRepositoryWithLibmongocrypt(t *testing.T) {
	ctx := context.Background()
	e := qetest.New(t, 9, 0, 0)
	spec := example.AppointmentSpec()
	e.Create(t, spec)
	coll := e.ExplicitClient(t, spec).Database(qetest.Database).Collection(example.AppointmentCollection)
	repo := example.NewAppointmentRepository(coll, qe.WithExplicitEncryption(qe.NewClientEncrypter(e.Encryption)))

	at := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	fee, _ := bson.ParseDecimal128("120.50")
	visit := &example.Appointment{PatientID: 12345678, PatientName: "Johnathan Doe", Reason: "annual checkup", At: at, Fee: fee}
	if _, err := repo.InsertOne(ctx, visit); err != nil {
		t.Fatalf("InsertOne: %v", err)
	}
	lo, hi := at.Add(-time.Hour), at.Add(time.Hour)
	cheap, _ := bson.ParseDecimal128("200.00")
	w := example.AppointmentWhere()
	for name, call := range map[string]func() ([]example.Appointment, error){
		"StartsWith": func() ([]example.Appointment, error) { return repo.Find(ctx, w.PatientName.StartsWith("john")) },
		"EndsWith":   func() ([]example.Appointment, error) { return repo.Find(ctx, w.PatientName.EndsWith("than doe")) },
		"Contains":   func() ([]example.Appointment, error) { return repo.Find(ctx, w.Reason.Contains("checkup")) },
		"AtBetween":  func() ([]example.Appointment, error) { return repo.Find(ctx, w.At.Between(lo, hi)) },
		"AtGt":       func() ([]example.Appointment, error) { return repo.Find(ctx, w.At.Gt(lo)) },
		"AtGte":      func() ([]example.Appointment, error) { return repo.Find(ctx, w.At.Gte(lo)) },
		"AtLt":       func() ([]example.Appointment, error) { return repo.Find(ctx, w.At.Lt(hi)) },
		"AtLte":      func() ([]example.Appointment, error) { return repo.Find(ctx, w.At.Lte(hi)) },
		"FeeBetween": func() ([]example.Appointment, error) { return repo.Find(ctx, w.Fee.Between(fee, cheap)) },
		"FeeGt":      func() ([]example.Appointment, error) { return repo.Find(ctx, w.Fee.Gt(fee)) },
		"FeeGte":     func() ([]example.Appointment, error) { return repo.Find(ctx, w.Fee.Gte(fee)) },
		"FeeLt":      func() ([]example.Appointment, error) { return repo.Find(ctx, w.Fee.Lt(cheap)) },
		"FeeLte":     func() ([]example.Appointment, error) { return repo.Find(ctx, w.Fee.Lte(cheap)) },
		"range and plain": func() ([]example.Appointment, error) {
			return repo.Find(ctx, qe.And(w.At.Gte(lo), w.PatientID.Eq(12345678), w.Fee.In(fee)))
		},
	} {
		got, err := call()
		if err != nil || len(got) != 1 || got[0].Reason != "annual checkup" || !got[0].At.Equal(at) {
			t.Errorf("%s = %v, %v; want the visit, decrypted", name, got, err)
		}
	}
	assertNothingInClear(t, e, spec, "Johnathan", "annual checkup", "checkup", "than doe")

	// libmongocrypt's refusal quotes the value (for a date before the
	// range, its milliseconds); the repository's error must not.
	early := *visit
	early.At = time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := repo.InsertOne(ctx, &early)
	var withheld *qe.WithheldError
	if value := fmt.Sprint(early.At.UnixMilli()); !errors.As(err, &withheld) || withheld.Code == 0 || strings.Contains(err.Error(), value) || strings.Contains(fmt.Sprintf("%+v", err), value) {
		t.Errorf("InsertOne with a date before the range = %v; want a *qe.WithheldError with libmongocrypt's code and without the value %s", err, value)
	}

	// A document libmongocrypt refuses (a reason longer than
	// strMaxLength) is never sent.
	inserts := len(e.Deployment.Commands("insert"))
	long := *visit
	long.Reason = strings.Repeat("x", 61)
	if _, err := repo.InsertOne(ctx, &long); err == nil {
		t.Fatal("InsertOne with a reason longer than strMaxLength succeeded")
	}
	if n := len(e.Deployment.Commands("insert")) - inserts; n != 0 {
		t.Errorf("%d insert commands sent for a refused document, want 0", n)
	}
}

// TestLibmongocryptVersionChecks: with the linked libmongocrypt, what the
// collection made for 8.2's text preview needs is named, and explicit mode
// refuses to start rather than fail on every call.
func TestLibmongocryptVersionChecks(t *testing.T) {
	qetest.Skip(t)
	e := qetest.New(t, 8, 2, 0)
	preview := example.AppointmentSpec()
	preview.EncryptedFields = schema.EncryptedFields{StrEncodeVersion: 1, Fields: []schema.Field{{
		Path: "patient_name", BSONType: schema.String,
		Queries: []schema.Query{{Type: "prefixPreview", Contention: 8, Text: &schema.TextOptions{StrMinQueryLength: 2, StrMaxQueryLength: 20}}},
	}}}
	_, err := qe.NewExplicit(qe.NewClientEncrypter(e.Encryption), qetest.Database, preview)
	version := qe.LibmongocryptVersion()
	if strings.HasPrefix(version, "1.19.") || strings.HasPrefix(version, "1.20.") {
		if err != nil {
			t.Errorf("libmongocrypt %s with the preview names: %v", version, err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), "libmongocrypt "+version) || !strings.Contains(err.Error(), "1.19.1 to 1.20.x") {
		t.Errorf("NewExplicit for 8.2's text preview with libmongocrypt %s = %v, want the versions named", version, err)
	}
}

// TestMissingKeyWithLibmongocrypt: a collection whose keys were never
// made fails on its first explicit call, naming the key and the fix.
func TestMissingKeyWithLibmongocrypt(t *testing.T) {
	e := qetest.New(t, 7, 0, 0)
	coll := e.Plain.Database(qetest.Database).Collection(example.PatientCollection)
	repo := example.NewPatientRepository(coll, qe.WithExplicitEncryption(qe.NewClientEncrypter(e.Encryption)))
	_, err := repo.InsertOne(context.Background(), &example.Patient{PatientRecord: example.PatientRecord{SSN: "987-65-4320"}})
	if err == nil || !strings.Contains(err.Error(), `no data key named "medical_records.patients/patient_record.ssn"`) || !strings.Contains(err.Error(), "qe.CreateCollection") {
		t.Errorf("InsertOne without data keys = %v, want the missing key named with the fix", err)
	}
	if n := len(e.Deployment.Commands("insert")); n != 0 {
		t.Errorf("%d inserts sent without keys", n)
	}
}
