package qe

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
)

func schemaField(path, bsonType string, queries any) bson.D {
	d := bson.D{{Key: "keyId", Value: bson.Binary{Subtype: 4, Data: []byte(path)}}, {Key: "path", Value: path}, {Key: "bsonType", Value: bsonType}}
	if queries != nil {
		d = append(d, bson.E{Key: "queries", Value: queries})
	}
	return d
}

func eq(contention any) bson.D {
	return bson.D{{Key: "queryType", Value: "equality"}, {Key: "contention", Value: contention}}
}

// TestDiffEncryptedFields: the documents as listCollections gives them
// reach schema.Diff, whose rules schema/document_test.go covers; the
// mismatch error says what to do.
func TestDiffEncryptedFields(t *testing.T) {
	model := bson.D{{Key: "fields", Value: bson.A{
		schemaField("ssn", "string", eq(int64(8))),
		schemaField("billing", "object", nil),
	}}}
	stored := bson.D{
		{Key: "escCollection", Value: "enxcol_.patients.esc"},
		{Key: "ecocCollection", Value: "enxcol_.patients.ecoc"},
		{Key: "fields", Value: bson.A{
			schemaField("billing", "object", nil),
			schemaField("ssn", "string", bson.A{eq(int32(4))}),
		}},
	}
	got, err := DiffEncryptedFields(model, stored)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ssn: queries[0].contention is 8 in the model, 4 in the collection"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	err = mismatchError("medical_records", "patients", got)
	for _, want := range []string{"medical_records.patients exists with other encryptedFields", "contention is 8", "cannot be changed in place", "qe/migrate", "enxcol_.patients.esc"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("mismatch error lacks %q: %v", want, err)
		}
	}
}

func TestDiffRefusesWhatItCannotRead(t *testing.T) {
	// A field without a path, or a key qe does not know, cannot be
	// compared: an error, never a panic or a silent match.
	bad := bson.D{{Key: "fields", Value: bson.A{bson.D{{Key: "bsonType", Value: "string"}}}}}
	if _, err := DiffEncryptedFields(bad, bad); err == nil || !strings.Contains(err.Error(), "no path") {
		t.Errorf("DiffEncryptedFields without a path = %v", err)
	}
	unknown := bson.D{{Key: "fields", Value: bson.A{bson.D{{Key: "path", Value: "a"}, {Key: "keyAltName", Value: "x"}}}}}
	if _, err := DiffEncryptedFields(unknown, unknown); err == nil || !strings.Contains(err.Error(), `unknown key "keyAltName"`) {
		t.Errorf("DiffEncryptedFields with an unknown key = %v", err)
	}
}
