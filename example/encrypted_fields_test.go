package example

import (
	"testing"

	"github.com/qegen/qegen/schema"
)

// TestEncryptedFieldsMatchTutorial checks the tutorial's choices, as the
// runtime reads them from the generated JSON: the SSN is equality-queryable
// with an explicit contention, and billing is encrypted whole and not
// queryable.
func TestEncryptedFieldsMatchTutorial(t *testing.T) {
	spec := PatientSpec()
	if err := spec.Err(); err != nil {
		t.Fatal(err)
	}
	fields := spec.EncryptedFields.Fields
	if len(fields) != 2 {
		t.Fatalf("got %d encrypted fields, want 2", len(fields))
	}
	ssn, billing := fields[0], fields[1]
	if ssn.Path != "patient_record.ssn" || ssn.BSONType != schema.String || len(ssn.Queries) != 1 || ssn.Queries[0].Kind() != schema.Equality || ssn.Queries[0].Contention != schema.DefaultContention {
		t.Errorf("ssn field = %+v, want equality-queryable string with contention 8", ssn)
	}
	if billing.Path != "patient_record.billing" || billing.BSONType != schema.Object || len(billing.Queries) != 0 {
		t.Errorf("billing field = %+v, want a non-queryable object", billing)
	}
	for _, f := range fields {
		if f.KeyID != nil {
			t.Errorf("%s: keyId = %v, want null for qe.CreateCollection to fill in", f.Path, f.KeyID)
		}
	}
	// PatientSpec returns a copy: changing it changes nothing else.
	spec.EncryptedFields.Fields[0].Path = "elsewhere"
	if PatientSpec().EncryptedFields.Fields[0].Path != "patient_record.ssn" {
		t.Error("PatientSpec shares its fields with the repository's spec")
	}
}
