package qe

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/qegen/qegen/schema"
)

// CompareCollection compares the collection spec.Name in db, as
// listCollections reports it, with the model, without changing anything.
// found is false when there is no such collection. Otherwise diffs lists
// every difference (schema.Diff), data keys included: each field must use
// the key named KeyAltName(db.Name(), spec.Name, path) in vault, which is
// the key explicit mode and EncryptedFieldsMap encrypt with. No
// difference means a program may write to the collection with this model.
// A collection without Queryable Encryption is an error.
//
// It reads only: unlike CreateCollection it makes no key and no
// collection, so a dry run can call it.
func CompareCollection(ctx context.Context, db *mongo.Database, spec CollectionSpec, vault *mongo.Collection) (diffs []string, found bool, err error) {
	if spec.err != nil {
		return nil, false, spec.err
	}
	if db == nil || vault == nil {
		return nil, false, errors.New("qe: CompareCollection needs a database and the key vault collection")
	}
	got, found, err := existingEncryptedFields(ctx, db, spec.Name)
	if err != nil || !found {
		return nil, found, err
	}
	// The model's keys are unknown (nil), which Diff skips; they are
	// compared below, by alt name.
	diffs = schema.Diff(spec.EncryptedFields, got)
	for _, f := range spec.EncryptedFields.Fields {
		altName := KeyAltName(db.Name(), spec.Name, f.Path)
		id, err := keyIDByAltName(ctx, vault, altName)
		if errors.Is(err, mongo.ErrNoDocuments) {
			diffs = append(diffs, fmt.Sprintf("%s: no data key named %q in %s", f.Path, altName, namespace(vault)))
			continue
		}
		if err != nil {
			return nil, true, err
		}
		for _, g := range got.Fields {
			if g.Path == f.Path && g.KeyID != nil && !sameKey(*g.KeyID, id) {
				diffs = append(diffs, fmt.Sprintf("%s: the collection uses another data key than %q", f.Path, altName))
			}
		}
	}
	return diffs, true, nil
}

func sameKey(a, b bson.Binary) bool { return a.Subtype == b.Subtype && bytes.Equal(a.Data, b.Data) }

// keyIDByAltName finds a data key's id in the key vault, or
// mongo.ErrNoDocuments.
func keyIDByAltName(ctx context.Context, vault *mongo.Collection, altName string) (bson.Binary, error) {
	var key struct {
		ID bson.Binary `bson:"_id"`
	}
	err := vault.FindOne(ctx, bson.D{{Key: "keyAltNames", Value: altName}}).Decode(&key)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return bson.Binary{}, fmt.Errorf("qe: looking up data key %q in %s: %w", altName, namespace(vault), err)
	}
	return key.ID, err
}
