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

// CreateCollection ensures the collection in db: it checks the server,
// ensures the key vault index, finds or creates one data key per field
// named KeyAltName(db.Name(), spec.Name, path) (checking that existing keys
// open with this master key), and creates the collection with those keys.
// If the collection exists, its encryptedFields must match the model's, or
// the error lists every difference. It is safe to call at every start.
func CreateCollection(ctx context.Context, db *mongo.Database, spec CollectionSpec, keys Keys) (*mongo.Collection, error) {
	if err := keys.validate(); err != nil {
		return nil, err
	}
	// A collection this program could not encrypt is refused before it
	// exists: it could never be changed afterwards.
	if err := checkLibmongocrypt(LibmongocryptVersion(), spec); err != nil {
		return nil, err
	}
	if err := CheckServer(ctx, db.Client(), spec.MinServer, spec.MaxServer); err != nil {
		return nil, err
	}
	if err := EnsureKeyVaultIndex(ctx, keys.Vault); err != nil {
		return nil, err
	}
	name := spec.Name
	withKeys, err := assignKeys(spec.EncryptedFields, func(path string) (bson.Binary, error) {
		altName := KeyAltName(db.Name(), name, path)
		id, existed, err := dataKey(ctx, keys, altName)
		if err == nil && existed {
			err = verifyKey(ctx, keys.Encryption, id, altName)
		}
		return id, err
	})
	if err != nil {
		return nil, err
	}
	existing, err := existingEncryptedFields(ctx, db, name)
	if err != nil {
		return nil, err
	}
	if existing != nil {
		diffs, err := DiffEncryptedFields(withKeys, existing)
		if err != nil {
			return nil, err
		}
		if len(diffs) > 0 {
			return nil, mismatchError(db.Name(), name, diffs)
		}
		return db.Collection(name), nil
	}
	err = db.CreateCollection(ctx, name, options.CreateCollection().SetEncryptedFields(withKeys))
	var cmdErr mongo.CommandError
	if errors.As(err, &cmdErr) && cmdErr.Code == codeNamespaceExists {
		return CreateCollection(ctx, db, spec, keys) // created meanwhile: compare
	}
	if err != nil {
		return nil, fmt.Errorf("qe: creating encrypted collection %s.%s: %w", db.Name(), name, err)
	}
	return db.Collection(name), nil
}

// existingEncryptedFields returns the encryptedFields of an existing
// collection, nil when there is no such collection, and an error when it
// exists without encryption.
func existingEncryptedFields(ctx context.Context, db *mongo.Database, name string) (bson.D, error) {
	specs, err := db.ListCollectionSpecifications(ctx, bson.D{{Key: "name", Value: name}})
	if err != nil {
		return nil, fmt.Errorf("qe: listing collections of %s: %w", db.Name(), err)
	}
	if len(specs) == 0 {
		return nil, nil
	}
	v, err := specs[0].Options.LookupErr("encryptedFields")
	if err != nil {
		return nil, fmt.Errorf("qe: collection %s.%s exists without Queryable Encryption: choose another name, or move its data to a new encrypted collection", db.Name(), name)
	}
	var ef bson.D
	if err := bson.Unmarshal(v.Document(), &ef); err != nil {
		return nil, err
	}
	return ef, nil
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
