package qe

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Compact runs compactStructuredEncryptionData on the collection, which
// shrinks its encryption metadata; the manual suggests it once
// enxcol_.<name>.ecoc passes about 1 GB. db must come from a client with
// automatic encryption, in either mode: libmongocrypt adds the compaction
// tokens the server needs.
func Compact(ctx context.Context, db *mongo.Database, name string) (bson.Raw, error) {
	res, err := db.RunCommand(ctx, bson.D{{Key: "compactStructuredEncryptionData", Value: name}}).Raw()
	if err != nil {
		return nil, fmt.Errorf("qe: compacting %s.%s (use a database from an encrypting client): %w", db.Name(), name, err)
	}
	return res, nil
}

// RotateKeys rewraps the data keys of the collection's encrypted fields in
// database under a new master key, possibly of another provider, and
// returns how many keys changed. The data is not re-encrypted. ce must hold
// credentials for both the old and the new provider (Config.Previous).
func RotateKeys(ctx context.Context, ce *mongo.ClientEncryption, database string, spec CollectionSpec, to KMS) (int64, error) {
	if err := to.Validate(); err != nil {
		return 0, err
	}
	if spec.err != nil {
		return 0, spec.err
	}
	fields := spec.EncryptedFields.Fields
	names := make(bson.A, len(fields))
	for i, f := range fields {
		names[i] = KeyAltName(database, spec.Name, f.Path)
	}
	opts := options.RewrapManyDataKey().SetProvider(to.Provider())
	if mk := to.MasterKey(); mk != nil {
		opts.SetMasterKey(mk)
	}
	res, err := ce.RewrapManyDataKey(ctx, bson.D{{Key: "keyAltNames", Value: bson.D{{Key: "$in", Value: names}}}}, opts)
	if err != nil {
		return 0, fmt.Errorf("qe: rewrapping the data keys of %s.%s with %s: %w", database, spec.Name, to.Provider(), err)
	}
	if res == nil || res.BulkWriteResult == nil {
		return 0, nil // no key matched
	}
	return res.ModifiedCount, nil
}

// verifyKey encrypts and decrypts a probe with the data key id, named
// altName, which fails when its master key cannot unwrap it: a wrong local
// key file, or KMS credentials for another key.
func verifyKey(ctx context.Context, ce *mongo.ClientEncryption, id bson.Binary, altName string) error {
	t, data, err := bson.MarshalValue("qegen probe")
	if err != nil {
		return err
	}
	ct, err := ce.Encrypt(ctx, bson.RawValue{Type: t, Value: data}, options.Encrypt().SetAlgorithm("Unindexed").SetKeyID(id))
	if err == nil {
		_, err = ce.Decrypt(ctx, ct)
	}
	if err != nil {
		return fmt.Errorf("qe: data key %q exists but cannot be used with this master key (a wrong local key file, or credentials for another KMS key?): %w", altName, err)
	}
	return nil
}
