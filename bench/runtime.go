package main

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/internal/offline"
	"github.com/qegen/qegen/qe"
)

// A runtimePair compares what a generated repository does before the driver sends
// a command with what a careful person writes by hand for the same work.
// Each function does one operation; results go to sinks so the compiler
// keeps the work.
type runtimePair struct {
	name                   string
	generated, handwritten func()
}

var (
	sinkD   bson.D
	sinkRaw bson.Raw
	sinkErr error
)

var (
	ctx    = context.Background()
	ssn    = "987-65-4320"
	lo, hi = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	prefix = "jo"
	pid    = int64(12345678)
	john   = &example.Patient{
		PatientName: "John Doe", PatientID: 12345678,
		PatientRecord: example.PatientRecord{SSN: ssn, Billing: example.Billing{CCType: "Visa", CCNumber: "4111111111111111"}},
	}
)

// fakeEncrypter stands in for libmongocrypt in explicit mode, identically
// for both sides, so only the work around it is compared.
type fakeEncrypter struct{}

var ciphertext = bson.Binary{Subtype: 6, Data: make([]byte, 64)}

func (fakeEncrypter) Encrypt(context.Context, bson.RawValue, qe.EncryptOptions) (bson.Binary, error) {
	return ciphertext, nil
}

func (fakeEncrypter) EncryptExpression(_ context.Context, expr bson.D, _ qe.EncryptOptions) (bson.D, error) {
	return expr, nil
}

var explicitPatients = func() *qe.Explicit {
	x, err := qe.NewExplicit(fakeEncrypter{}, "medical_records", example.PatientSpec())
	if err != nil {
		panic(err)
	}
	return x
}()

var (
	newName    = "Jane Doe"
	patientSet = func() qe.Update {
		w := example.PatientWhere()
		return qe.Updates(w.PatientName.Set(newName), w.PatientID.Inc(1))
	}
)

var runtimePairs = []runtimePair{
	{"filter: equality",
		func() { sinkD, sinkErr = example.PatientWhere().PatientRecordSSN.Eq(ssn).ForAutomaticEncryption() },
		func() { sinkD = bson.D{{Key: "patient_record.ssn", Value: ssn}} }},
	{"filter: range",
		func() { sinkD, sinkErr = example.AppointmentWhere().At.Between(lo, hi).ForAutomaticEncryption() },
		func() { sinkD = bson.D{{Key: "at", Value: bson.D{{Key: "$gte", Value: lo}, {Key: "$lte", Value: hi}}}} }},
	{"filter: prefix",
		func() {
			sinkD, sinkErr = example.AppointmentWhere().PatientName.StartsWith(prefix).ForAutomaticEncryption()
		},
		func() {
			sinkD = bson.D{{Key: "$expr", Value: bson.D{{Key: "$encStrStartsWith", Value: bson.D{
				{Key: "input", Value: "$patient_name"}, {Key: "prefix", Value: prefix},
			}}}}}
		}},
	{"filter: and",
		func() {
			sinkD, sinkErr = qe.And(example.AppointmentWhere().At.Gte(lo), example.AppointmentWhere().PatientID.Eq(pid)).ForAutomaticEncryption()
		},
		func() {
			sinkD = bson.D{{Key: "$and", Value: bson.A{
				bson.D{{Key: "at", Value: bson.D{{Key: "$gte", Value: lo}}}},
				bson.D{{Key: "patient_id", Value: pid}},
			}}}
		}},
	{"explicit: document to BSON",
		func() { sinkRaw, sinkErr = explicitPatients.Document(ctx, john) },
		func() {
			// By hand, the driver marshals the document when it sends it.
			sinkD, sinkErr = handwrittenExplicitDocument(ctx, fakeEncrypter{}, john)
			sinkRaw, sinkErr = bson.Marshal(sinkD)
		}},
	{"explicit: equality filter",
		func() {
			sinkD, sinkErr = explicitPatients.Filter(ctx, example.PatientWhere().PatientRecordSSN.Eq(ssn))
		},
		func() {
			t, v, err := bson.MarshalValue(ssn)
			if err != nil {
				panic(err)
			}
			ct, err := fakeEncrypter{}.Encrypt(ctx, bson.RawValue{Type: t, Value: v}, qe.EncryptOptions{KeyAltName: "medical_records.patients/patient_record.ssn", Algorithm: "Indexed", QueryType: "equality", Contention: 8})
			sinkD, sinkErr = bson.D{{Key: "patient_record.ssn", Value: ct}}, err
		}},
	// The driver marshals an update when it sends it, so both sides do.
	{"update: plain fields",
		func() {
			sinkD, sinkErr = patientSet().ForAutomaticEncryption()
			sinkRaw, sinkErr = bson.Marshal(sinkD)
		},
		func() {
			sinkRaw, sinkErr = bson.Marshal(bson.D{
				{Key: "$set", Value: bson.D{{Key: "patient_name", Value: newName}}},
				{Key: "$inc", Value: bson.D{{Key: "patient_id", Value: int64(1)}}},
			})
		}},
	{"explicit: update encrypted and plain",
		func() {
			w := example.PatientWhere()
			sinkD, sinkErr = explicitPatients.Update(ctx, qe.Updates(w.PatientRecordSSN.Set(ssn), w.PatientName.Set(newName)))
		},
		func() {
			t, v, err := bson.MarshalValue(ssn)
			if err != nil {
				panic(err)
			}
			ct, err := fakeEncrypter{}.Encrypt(ctx, bson.RawValue{Type: t, Value: v}, qe.EncryptOptions{KeyAltName: "medical_records.patients/patient_record.ssn", Algorithm: "Indexed", Contention: 8})
			sinkD, sinkErr = bson.D{{Key: "$set", Value: bson.D{{Key: "patient_record.ssn", Value: ct}, {Key: "patient_name", Value: newName}}}}, err
		}},
	{"find with sort, skip, limit, projection (in-memory server)",
		func() {
			w := example.PatientWhere()
			sinkPatients, sinkErr = pagePatients.Find(ctx, w.PatientID.Gte(pid),
				qe.Sort(w.PatientName.Asc(), w.PatientID.Desc()), qe.Skip(5), qe.Limit(10), qe.Include(w.PatientName, w.PatientID))
		},
		func() {
			opts := options.Find().
				SetSort(bson.D{{Key: "patient_name", Value: 1}, {Key: "patient_id", Value: -1}}).
				SetSkip(5).SetLimit(10).
				SetProjection(bson.D{{Key: "patient_name", Value: 1}, {Key: "patient_id", Value: 1}})
			cursor, err := pageCollection.Find(ctx, bson.D{{Key: "patient_id", Value: bson.D{{Key: "$gte", Value: pid}}}}, opts)
			if err != nil {
				panic(err)
			}
			sinkPatients = nil
			sinkErr = cursor.All(ctx, &sinkPatients)
		}},
}

var sinkPatients []example.Patient

// pageCollection holds 50 patients in an in-memory deployment, which
// answers like a server without a network; pagePatients is its generated
// repository, in automatic mode, as the filter and options touch plain
// fields only.
var pageCollection, pagePatients = func() (*mongo.Collection, *example.PatientRepository) {
	d := offline.New()
	client, err := d.Client()
	if err != nil {
		panic(err)
	}
	for i := range 50 {
		doc, err := bson.Marshal(bson.D{{Key: "_id", Value: bson.ObjectID{11: byte(i)}}, {Key: "patient_name", Value: fmt.Sprintf("patient %02d", i%7)}, {Key: "patient_id", Value: pid + int64(i)}})
		if err != nil {
			panic(err)
		}
		d.Store("medical_records."+example.PatientCollection, doc)
	}
	coll := client.Database("medical_records").Collection(example.PatientCollection)
	return coll, example.NewPatientRepository(coll)
}()

// handwrittenExplicitDocument is what a careful user writes for explicit
// encryption: encrypt the two encrypted values, build the document.
func handwrittenExplicitDocument(ctx context.Context, enc qe.Encrypter, p *example.Patient) (bson.D, error) {
	t, v, err := bson.MarshalValue(p.PatientRecord.SSN)
	if err != nil {
		return nil, err
	}
	ssnCT, err := enc.Encrypt(ctx, bson.RawValue{Type: t, Value: v}, qe.EncryptOptions{KeyAltName: "medical_records.patients/patient_record.ssn", Algorithm: "Indexed", Contention: 8})
	if err != nil {
		return nil, err
	}
	t, v, err = bson.MarshalValue(p.PatientRecord.Billing)
	if err != nil {
		return nil, err
	}
	billingCT, err := enc.Encrypt(ctx, bson.RawValue{Type: t, Value: v}, qe.EncryptOptions{KeyAltName: "medical_records.patients/patient_record.billing", Algorithm: "Unindexed"})
	if err != nil {
		return nil, err
	}
	return bson.D{
		{Key: "patient_name", Value: p.PatientName},
		{Key: "patient_id", Value: p.PatientID},
		{Key: "patient_record", Value: bson.D{
			{Key: "ssn", Value: ssnCT},
			{Key: "billing", Value: billingCT},
			{Key: "bill_amount", Value: p.PatientRecord.BillAmount},
		}},
	}, nil
}
