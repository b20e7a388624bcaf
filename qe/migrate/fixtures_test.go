package migrate

import (
	"encoding/binary"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/example"
)

// oid is the i-th of a sequence of ObjectIDs in ascending order.
func oid(i int) bson.ObjectID {
	var id bson.ObjectID
	copy(id[:], "qegen-")
	binary.BigEndian.PutUint32(id[8:], uint32(i))
	return id
}

// ssnOf is patient i's SSN: plaintext of an encrypted field, which no
// report may show.
func ssnOf(i int) string { return fmt.Sprintf("900-00-%04d", i) }

// patientDoc is patient i as the driver encodes example.Patient.
func patientDoc(t testing.TB, i int) bson.D {
	t.Helper()
	amount, err := bson.ParseDecimal128(fmt.Sprintf("%d.50", i))
	if err != nil {
		t.Fatal(err)
	}
	return bson.D{
		{Key: "_id", Value: oid(i)},
		{Key: "patient_name", Value: fmt.Sprintf("Patient %d", i)},
		{Key: "patient_id", Value: int64(1000 + i)},
		{Key: "patient_record", Value: bson.D{
			{Key: "ssn", Value: ssnOf(i)},
			{Key: "billing", Value: bson.D{{Key: "cc_type", Value: "Visa"}, {Key: "cc_number", Value: fmt.Sprintf("4111-%04d", i)}}},
			{Key: "bill_amount", Value: amount},
		}},
	}
}

func patientSource(t testing.TB, n int) *memSource {
	docs := make([]bson.Raw, n)
	for i := range docs {
		docs[i] = mustRaw(t, patientDoc(t, i))
	}
	return newMemSource(docs...)
}

// patientMigration copies source into an in-memory target of the
// example's patients model, without a rate limit or real sleeps.
func patientMigration(source *memSource) (*Migration[example.Patient], *memTarget, *memRepo[example.Patient], *memCheckpoints, *fakeClock) {
	spec := example.PatientSpec()
	target := newMemTarget(spec)
	repo := &memRepo[example.Patient]{target: target}
	cps := newMemCheckpoints()
	clock := newFakeClock()
	m := &Migration[example.Patient]{
		Source: source, Target: target, Repository: repo, Spec: spec, Checkpoints: cps,
		Rate: Unlimited, ReadRate: Unlimited, clock: clock,
	}
	return m, target, repo, cps, clock
}

// set returns doc with the value at a dotted path replaced (or added).
func set(doc bson.D, path []string, v any) bson.D {
	out := append(bson.D(nil), doc...)
	for i, e := range out {
		if e.Key != path[0] {
			continue
		}
		if len(path) == 1 {
			out[i].Value = v
		} else {
			out[i].Value = set(e.Value.(bson.D), path[1:], v)
		}
		return out
	}
	if len(path) == 1 {
		return append(out, bson.E{Key: path[0], Value: v})
	}
	return append(out, bson.E{Key: path[0], Value: set(nil, path[1:], v)})
}
