package qe_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/internal/offline"
	"github.com/qegen/qegen/qe"
)

// TestCompareCollection runs against internal/offline, which keeps what
// create and the key vault were given (it is not a server); comparing
// needs no libmongocrypt.
func TestCompareCollection(t *testing.T) {
	ctx := context.Background()
	client := offline.New(8, 0, 0).TestClient(t)
	db := client.Database("medical_records")
	vault := db.Collection("__keyVault")

	// specNamed is the patients model under another collection name, with
	// its data keys in the vault, named as CreateCollection names them.
	specNamed := func(name string) qe.CollectionSpec {
		spec := example.PatientSpec()
		spec.Name = name
		for _, f := range spec.EncryptedFields.Fields {
			if _, err := vault.InsertOne(ctx, bson.D{{Key: "_id", Value: keyID(name + f.Path)}, {Key: "keyAltNames", Value: bson.A{qe.KeyAltName(db.Name(), name, f.Path)}}}); err != nil {
				t.Fatal(err)
			}
		}
		return spec
	}
	// create makes the collection from spec, with the keys keyOf gives.
	create := func(spec qe.CollectionSpec, keyOf func(path string) bson.Binary) {
		t.Helper()
		ef, _ := spec.EncryptedFields.WithKeys(func(path string) (bson.Binary, error) { return keyOf(path), nil })
		if err := db.CreateCollection(ctx, spec.Name, options.CreateCollection().SetEncryptedFields(ef.Document())); err != nil {
			t.Fatal(err)
		}
	}
	keysOf := func(name string) func(string) bson.Binary {
		return func(path string) bson.Binary { return keyID(name + path) }
	}

	spec := specNamed("patients")
	if diffs, found, err := qe.CompareCollection(ctx, db, spec, vault); err != nil || found || diffs != nil {
		t.Errorf("before creating: %v, %v, %v; want not found", diffs, found, err)
	}
	create(spec, keysOf("patients"))
	if diffs, found, err := qe.CompareCollection(ctx, db, spec, vault); err != nil || !found || len(diffs) != 0 {
		t.Errorf("as created: %v, %v, %v; want found, no differences", diffs, found, err)
	}

	contention := specNamed("contention")
	changed := contention.Clone()
	changed.EncryptedFields.Fields[0].Queries[0].Contention = 4
	create(changed, keysOf("contention"))

	otherKey := specNamed("other_key")
	create(otherKey, func(path string) bson.Binary {
		if path == "patient_record.billing" {
			return keyID("someone else's")
		}
		return keyID("other_key" + path)
	})

	missingKey := specNamed("missing_key")
	create(missingKey, keysOf("missing_key"))
	if _, err := vault.DeleteOne(ctx, bson.D{{Key: "keyAltNames", Value: qe.KeyAltName(db.Name(), "missing_key", "patient_record.ssn")}}); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		spec qe.CollectionSpec
		want []string
	}{
		{contention, []string{"patient_record.ssn: queries[0].contention is 8 in the model, 4 in the collection"}},
		{otherKey, []string{`patient_record.billing: the collection uses another data key than "medical_records.other_key/patient_record.billing"`}},
		{missingKey, []string{`patient_record.ssn: no data key named "medical_records.missing_key/patient_record.ssn" in medical_records.__keyVault`}},
	} {
		diffs, found, err := qe.CompareCollection(ctx, db, tt.spec, vault)
		if err != nil || !found {
			t.Fatalf("%s: found %v, %v", tt.spec.Name, found, err)
		}
		if diff := cmp.Diff(tt.want, diffs); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.spec.Name, diff)
		}
	}

	// A collection without encryption is an error, not a match.
	if err := db.CreateCollection(ctx, "plain"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := qe.CompareCollection(ctx, db, specNamed("plain"), vault); err == nil || !strings.Contains(err.Error(), "exists without Queryable Encryption") {
		t.Errorf("a plain collection = %v", err)
	}
	if _, _, err := qe.CompareCollection(ctx, db, spec, (*mongo.Collection)(nil)); err == nil {
		t.Error("no vault should be an error")
	}
}

// keyID is a data key id made from a name.
func keyID(name string) bson.Binary {
	data := make([]byte, 16)
	copy(data, name)
	for i := 16; i < len(name); i++ {
		data[i%16] ^= name[i]
	}
	return bson.Binary{Subtype: bson.TypeBinaryUUID, Data: data}
}
