package example_test

import (
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/schema"
)

// Source documents for the migration tests, in _id order. Their
// encrypted values are plaintext that no command sent to a target, and
// no report, may hold.

func migrationPatient(i int) *example.Patient {
	amount, _ := bson.ParseDecimal128(fmt.Sprintf("%d.25", 100+i))
	return &example.Patient{
		ID: migrationID(i), PatientName: fmt.Sprintf("Patient %02d", i), PatientID: int64(5000 + i),
		PatientRecord: example.PatientRecord{
			SSN:        fmt.Sprintf("555-01-%04d", i),
			Billing:    example.Billing{CCType: "Visa", CCNumber: fmt.Sprintf("4000-0000-0000-%04d", i)},
			BillAmount: amount,
		},
	}
}

func migrationAppointment(i int) *example.Appointment {
	fee, _ := bson.ParseDecimal128(fmt.Sprintf("%d.50", 40+i))
	return &example.Appointment{
		ID: migrationID(i), PatientID: int64(5000 + i), PatientName: fmt.Sprintf("Migrated Person %02d", i),
		Reason: fmt.Sprintf("follow-up %02d", i), At: time.Date(2026, 5, 1+i%28, 9, 0, 0, 0, time.UTC), Fee: fee,
	}
}

// migrationSecrets are the plaintexts of encrypted fields of the first n
// source documents.
func migrationSecrets(n int) []string {
	var out []string
	for i := range n {
		p, a := migrationPatient(i), migrationAppointment(i)
		out = append(out, p.PatientRecord.SSN, p.PatientRecord.Billing.CCNumber, a.PatientName, a.Reason)
	}
	return out
}

// migrationID is the i-th of ascending ObjectIDs.
func migrationID(i int) bson.ObjectID {
	id := bson.ObjectID{'m', 'i', 'g', 'r', 'a', 't', 'e'}
	id[10], id[11] = byte(i>>8), byte(i)
	return id
}

func marshalAll[T any](t testing.TB, docs ...*T) []bson.Raw {
	t.Helper()
	out := make([]bson.Raw, len(docs))
	for i, d := range docs {
		raw, err := bson.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = raw
	}
	return out
}

// renamed is spec under another collection name, as the collection an
// older model made would be.
func renamed(spec qe.CollectionSpec, name string) qe.CollectionSpec {
	out := spec.Clone()
	out.Name = name
	return out
}

// textPreview is spec as MongoDB 8.2 made it: the text queries under
// their preview names, which 9.0 removed.
func textPreview(spec qe.CollectionSpec, name string) qe.CollectionSpec {
	out := renamed(spec, name)
	for i := range out.EncryptedFields.Fields {
		for j, q := range out.EncryptedFields.Fields[i].Queries {
			if q.Kind().IsText() {
				out.EncryptedFields.Fields[i].Queries[j].Type = q.Kind().QueryType(schema.Release82)
			}
		}
	}
	out.MinServer, out.MaxServer = schema.Release82, schema.Release90
	return out
}
