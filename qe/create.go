package qe

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// codeNamespaceExists is the server's NamespaceExists error code.
const codeNamespaceExists = 48

// CollectionSpec is what generated code knows about one collection.
type CollectionSpec struct {
	Name string
	// EncryptedFields has every keyId null, as qegen generates it.
	EncryptedFields bson.D
	// MinServer is the oldest release that serves every query kind used,
	// e.g. "8.0"; MaxServer, when set, the first release that does not.
	MinServer, MaxServer string
}

// CreateCollection creates the collection in db. In order, it: checks the
// server, ensures the key vault index, finds or creates one data key per
// field named KeyAltName(db.Name(), spec.Name, path), and creates the
// collection with those keys. A collection that already exists is reused,
// so it is safe to call at every start.
func CreateCollection(ctx context.Context, db *mongo.Database, spec CollectionSpec, keys Keys) (*mongo.Collection, error) {
	if err := keys.validate(); err != nil {
		return nil, err
	}
	if err := CheckServer(ctx, db.Client(), spec.MinServer, spec.MaxServer); err != nil {
		return nil, err
	}
	name, encryptedFields := spec.Name, spec.EncryptedFields
	if err := EnsureKeyVaultIndex(ctx, keys.Vault); err != nil {
		return nil, err
	}
	withKeys, err := assignKeys(encryptedFields, func(path string) (bson.Binary, error) {
		return DataKey(ctx, keys, KeyAltName(db.Name(), name, path))
	})
	if err != nil {
		return nil, err
	}
	exists, err := collectionExists(ctx, db, name)
	if err != nil {
		return nil, err
	}
	if !exists {
		err = db.CreateCollection(ctx, name, options.CreateCollection().SetEncryptedFields(withKeys))
		var cmdErr mongo.CommandError
		if errors.As(err, &cmdErr) && cmdErr.Code == codeNamespaceExists {
			err = nil // created concurrently by another process
		}
		if err != nil {
			return nil, fmt.Errorf("qe: creating encrypted collection %s.%s: %w", db.Name(), name, err)
		}
	}
	return db.Collection(name), nil
}

// assignKeys returns a copy of encryptedFields with each field's keyId set
// to keyFor(path). The input is left untouched.
func assignKeys(encryptedFields bson.D, keyFor func(path string) (bson.Binary, error)) (bson.D, error) {
	out := make(bson.D, 0, len(encryptedFields))
	for _, e := range encryptedFields {
		if e.Key != "fields" {
			out = append(out, e)
			continue
		}
		fields, ok := e.Value.(bson.A)
		if !ok {
			return nil, fmt.Errorf("qe: encryptedFields.fields is %T, want bson.A", e.Value)
		}
		withKeys := make(bson.A, len(fields))
		for i, f := range fields {
			field, ok := f.(bson.D)
			if !ok {
				return nil, fmt.Errorf("qe: encryptedFields.fields[%d] is %T, want bson.D", i, f)
			}
			path, _ := lookupString(field, "path")
			if path == "" {
				return nil, fmt.Errorf("qe: encryptedFields.fields[%d] has no path", i)
			}
			id, err := keyFor(path)
			if err != nil {
				return nil, err
			}
			withKeys[i] = setKey(field, "keyId", id)
		}
		out = append(out, bson.E{Key: "fields", Value: withKeys})
	}
	return out, nil
}

func lookupString(d bson.D, key string) (string, bool) {
	for _, e := range d {
		if e.Key == key {
			s, ok := e.Value.(string)
			return s, ok
		}
	}
	return "", false
}

// setKey returns a copy of d with key set to value, in place if present.
func setKey(d bson.D, key string, value any) bson.D {
	out := make(bson.D, 0, len(d)+1)
	found := false
	for _, e := range d {
		if e.Key == key {
			e.Value = value
			found = true
		}
		out = append(out, e)
	}
	if !found {
		out = append(out, bson.E{Key: key, Value: value})
	}
	return out
}

func collectionExists(ctx context.Context, db *mongo.Database, name string) (bool, error) {
	names, err := db.ListCollectionNames(ctx, bson.D{{Key: "name", Value: name}})
	if err != nil {
		return false, fmt.Errorf("qe: listing collections of %s: %w", db.Name(), err)
	}
	return len(names) > 0, nil
}
