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

func TestDiffEncryptedFields(t *testing.T) {
	model := bson.D{{Key: "fields", Value: bson.A{
		schemaField("ssn", "string", eq(int64(8))),
		schemaField("billing", "object", nil),
	}}}
	tests := []struct {
		name string
		got  bson.D
		want []string
	}{
		{"same, as the server stores it", bson.D{
			{Key: "escCollection", Value: "enxcol_.patients.esc"},
			{Key: "ecocCollection", Value: "enxcol_.patients.ecoc"},
			{Key: "fields", Value: bson.A{
				schemaField("billing", "object", nil),
				schemaField("ssn", "string", bson.A{eq(int32(8))}),
			}},
		}, nil},
		{"other contention", bson.D{{Key: "fields", Value: bson.A{
			schemaField("ssn", "string", eq(int64(4))), schemaField("billing", "object", nil),
		}}}, []string{"ssn: queries[0].contention is 8 in the model, 4 in the collection"}},
		{"field added to the model", bson.D{{Key: "fields", Value: bson.A{
			schemaField("ssn", "string", eq(int64(8))),
		}}}, []string{"billing: the model encrypts it, the collection does not"}},
		{"field no longer in the model, and made queryable", bson.D{{Key: "fields", Value: bson.A{
			schemaField("ssn", "string", nil), schemaField("billing", "object", nil), schemaField("notes", "string", nil),
		}}}, []string{
			"notes: the collection encrypts it, the model does not",
			"ssn: queries[0].contention is 8 in the model, absent in the collection",
			`ssn: queries[0].queryType is "equality" in the model, absent in the collection`,
		}},
		{"other type and key", bson.D{{Key: "fields", Value: bson.A{
			schemaField("ssn", "long", eq(int64(8))),
			append(schemaField("billing", "object", nil)[1:], bson.E{Key: "keyId", Value: bson.Binary{Subtype: 4, Data: []byte("other")}}),
		}}}, []string{
			`billing: keyId is {"$binary":{"base64":"YmlsbGluZw==","subType":"04"}} in the model, {"$binary":{"base64":"b3RoZXI=","subType":"04"}} in the collection`,
			`ssn: bsonType is "string" in the model, "long" in the collection`,
		}},
	}
	for _, tt := range tests {
		got, err := DiffEncryptedFields(model, tt.got)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	err := mismatchError("medical_records", "patients", []string{"ssn: x"})
	for _, want := range []string{"medical_records.patients exists with other encryptedFields", "ssn: x", "cannot be changed in place", "enxcol_.patients.esc"} {
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
