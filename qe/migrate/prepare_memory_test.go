package migrate

import (
	"errors"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/example"
)

// TestPrepareWithConvertInMemory: a Convert decides how a changed model
// takes old documents; the _id and the encrypted paths are still checked.
func TestPrepareWithConvertInMemory(t *testing.T) {
	m, _, _, _, _ := patientMigration(newMemSource())
	// The old shape kept the SSN at the top level.
	old := mustRaw(t, bson.D{{Key: "_id", Value: oid(1)}, {Key: "name", Value: "Jane"}, {Key: "ssn", Value: "123-45-6789"}})
	m.Convert = func(src bson.Raw) (*example.Patient, error) {
		id, _ := src.Lookup("_id").ObjectIDOK()
		return &example.Patient{ID: id, PatientName: src.Lookup("name").StringValue(), PatientRecord: example.PatientRecord{SSN: src.Lookup("ssn").StringValue()}}, nil
	}
	p, err := m.Prepare(old)
	if err != nil || p.PatientRecord.SSN != "123-45-6789" || p.PatientName != "Jane" {
		t.Fatalf("Prepare with Convert = %+v, %v", p, err)
	}
	m.Convert = func(bson.Raw) (*example.Patient, error) { return &example.Patient{PatientName: "x"}, nil }
	if _, err := m.Prepare(old); err == nil || !strings.Contains(err.Error(), "the model stores no _id") {
		t.Errorf("a Convert that drops _id = %v", err)
	}
	m.Convert = func(bson.Raw) (*example.Patient, error) { return nil, nil }
	if _, err := m.Prepare(old); err == nil || !strings.Contains(err.Error(), "Convert: the Convert function returned no document") {
		t.Errorf("a Convert that returns nil = %v", err)
	}
	m.Convert = func(bson.Raw) (*example.Patient, error) { return nil, errors.New("no ssn") }
	if _, err := m.Prepare(old); err == nil || !strings.Contains(err.Error(), "Convert: no ssn") {
		t.Errorf("a Convert error = %v", err)
	}
}

// TestDecodeErrorsHideValuesInMemory: the driver's message for an
// overflow quotes the number; the report keeps only the path and type.
func TestDecodeErrorsHideValuesInMemory(t *testing.T) {
	type small struct {
		ID bson.ObjectID `bson:"_id"`
		N  int8          `bson:"n"`
	}
	m := &Migration[small]{Spec: example.PatientSpec()}
	m.Spec.EncryptedFields.Fields = nil
	_, err := m.Prepare(mustRaw(t, bson.D{{Key: "_id", Value: oid(1)}, {Key: "n", Value: int32(31337)}}))
	if err == nil || strings.Contains(err.Error(), "31337") || !strings.Contains(err.Error(), "n: BSON 32-bit integer does not decode") {
		t.Errorf("an overflowing value = %v, want the path and type without the value", err)
	}
	var unfit *UnfitError
	if !errors.As(err, &unfit) {
		t.Errorf("%T is not an *UnfitError", err)
	}
}

// TestPrepareKeepsIDInMemory: a model that would store another _id
// would copy documents a resumed run cannot find.
func TestPrepareKeepsIDInMemory(t *testing.T) {
	type wide struct {
		ID   int64  `bson:"_id"`
		Name string `bson:"name"`
	}
	m := &Migration[wide]{Spec: example.PatientSpec()}
	m.Spec.EncryptedFields.Fields = nil
	_, err := m.Prepare(mustRaw(t, bson.D{{Key: "_id", Value: int32(5)}, {Key: "name", Value: "x"}}))
	if err == nil || !strings.Contains(err.Error(), `_id: the model stores it as {"$numberLong":"5"}, not as the source's {"$numberInt":"5"}`) {
		t.Errorf("an int _id into an int64 field = %v", err)
	}
	if _, err := m.Prepare(mustRaw(t, bson.D{{Key: "_id", Value: int64(5)}, {Key: "name", Value: "x"}})); err != nil {
		t.Errorf("a long _id: %v", err)
	}
}
