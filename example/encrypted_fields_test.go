package example

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestEncryptedFieldsJSON checks that the JSON text reviewers read in the
// generated file is what PatientEncryptedFields really sends.
func TestEncryptedFieldsJSON(t *testing.T) {
	for name, c := range map[string]struct {
		doc  bson.D
		text string
	}{
		"patients":     {PatientEncryptedFields(), PatientEncryptedFieldsJSON},
		"appointments": {AppointmentEncryptedFields(), AppointmentEncryptedFieldsJSON},
	} {
		got, err := bson.MarshalExtJSONIndent(c.doc, true, false, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.text {
			t.Errorf("%s: the encryptedFields function marshals to\n%s\nbut the JSON constant is\n%s", name, got, c.text)
		}
	}
}

// TestEncryptedFieldsMatchTutorial checks the tutorial's choices: the SSN
// is equality-queryable with an explicit contention, and billing is
// encrypted whole and not queryable.
func TestEncryptedFieldsMatchTutorial(t *testing.T) {
	var doc struct {
		Fields []struct {
			KeyID    any    `bson:"keyId"`
			Path     string `bson:"path"`
			BSONType string `bson:"bsonType"`
			Queries  *struct {
				QueryType  string `bson:"queryType"`
				Contention *int64 `bson:"contention"`
			} `bson:"queries"`
		} `bson:"fields"`
	}
	raw, err := bson.Marshal(PatientEncryptedFields())
	if err != nil {
		t.Fatal(err)
	}
	if err := bson.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Fields) != 2 {
		t.Fatalf("got %d encrypted fields, want 2", len(doc.Fields))
	}
	ssn, billing := doc.Fields[0], doc.Fields[1]
	if ssn.Path != "patient_record.ssn" || ssn.BSONType != "string" || ssn.Queries == nil || ssn.Queries.QueryType != "equality" || ssn.Queries.Contention == nil {
		t.Errorf("ssn field = %+v, want equality-queryable string with contention", ssn)
	}
	if billing.Path != "patient_record.billing" || billing.BSONType != "object" || billing.Queries != nil {
		t.Errorf("billing field = %+v, want a non-queryable object", billing)
	}
	for _, f := range doc.Fields {
		if f.KeyID != nil {
			t.Errorf("%s: keyId = %v, want null for createEncryptedCollection to fill in", f.Path, f.KeyID)
		}
	}
}
