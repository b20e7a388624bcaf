package qe

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/schema"
)

// codeNamespaceExists is the server's NamespaceExists error code.
const codeNamespaceExists = 48

// CreateCollection ensures the collection in db: it checks the server,
// ensures the key vault index, finds or creates one data key per field
// named KeyAltName(db.Name(), spec.Name, path) (checking that existing keys
// open with this master key), and creates the collection with those keys.
// If the collection exists, its encryptedFields must match the model's, or
// the error lists every difference. It is safe to call at every start.
func CreateCollection(ctx context.Context, db *mongo.Database, spec CollectionSpec, keys Keys) (*mongo.Collection, error) {
	if spec.err != nil {
		return nil, spec.err
	}
	if err := keys.validate(); err != nil {
		return nil, err
	}
	if err := spec.checkShardKey(); err != nil {
		return nil, fmt.Errorf("qe: collection %s: %w", spec.Name, err)
	}
	// A collection this program could not encrypt is refused before it
	// exists: it could never be changed afterwards.
	if err := checkLibmongocrypt(LibmongocryptVersion(), spec); err != nil {
		return nil, err
	}
	server, err := checkServer(ctx, db.Client(), spec.MinServer, spec.MaxServer)
	if err != nil {
		return nil, err
	}
	if err := EnsureKeyVaultIndex(ctx, keys.Vault); err != nil {
		return nil, err
	}
	withKeys, err := spec.EncryptedFields.WithKeys(func(path string) (bson.Binary, error) {
		altName := KeyAltName(db.Name(), spec.Name, path)
		id, existed, err := dataKey(ctx, keys, altName)
		if err == nil && existed {
			err = verifyKey(ctx, keys.Encryption, id, altName)
		}
		return id, err
	})
	if err != nil {
		return nil, err
	}
	// Another process may create the collection between our look and our
	// create; then we compare with theirs, once.
	for attempt := 0; ; attempt++ {
		existing, found, err := existingEncryptedFields(ctx, db, spec.Name)
		if err != nil {
			return nil, err
		}
		if found {
			if diffs := schema.Diff(withKeys, existing); len(diffs) > 0 {
				return nil, mismatchError(db.Name(), spec.Name, diffs)
			}
			return db.Collection(spec.Name), nil
		}
		err = db.CreateCollection(ctx, spec.Name, options.CreateCollection().SetEncryptedFields(withKeys.Document()))
		var cmdErr mongo.CommandError
		if errors.As(err, &cmdErr) && cmdErr.Code == codeNamespaceExists && attempt == 0 {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("qe: creating encrypted collection %s.%s: %w", db.Name(), spec.Name, err)
		}
		if len(spec.ShardKey) > 0 && server.sharded() {
			if err := shard(ctx, db, spec); err != nil {
				return nil, err
			}
		}
		return db.Collection(spec.Name), nil
	}
}

// shard shards the new collection by its shard key; never its metadata
// collections (enxcol_.*), which the server refuses to shard.
func shard(ctx context.Context, db *mongo.Database, spec CollectionSpec) error {
	cmd := bson.D{{Key: "shardCollection", Value: db.Name() + "." + spec.Name}, {Key: "key", Value: spec.shardKeyDocument()}}
	if err := db.Client().Database("admin").RunCommand(ctx, cmd).Err(); err != nil {
		return fmt.Errorf("qe: sharding %s.%s by %v: %w", db.Name(), spec.Name, spec.ShardKey, err)
	}
	return nil
}

// DropCollection drops the collection with its metadata collections
// (enxcol_.<name>.esc and .ecoc): left behind, they would break a
// collection created again under the same name.
func DropCollection(ctx context.Context, db *mongo.Database, spec CollectionSpec) error {
	if spec.err != nil {
		return spec.err
	}
	err := db.Collection(spec.Name).Drop(ctx, options.DropCollection().SetEncryptedFields(spec.EncryptedFields.Document()))
	if err != nil {
		return fmt.Errorf("qe: dropping %s.%s: %w", db.Name(), spec.Name, err)
	}
	return nil
}

// existingEncryptedFields returns the encryptedFields of an existing
// collection, found false when there is no such collection, and an error
// when it exists without encryption or with a document qe cannot read.
func existingEncryptedFields(ctx context.Context, db *mongo.Database, name string) (schema.EncryptedFields, bool, error) {
	specs, err := db.ListCollectionSpecifications(ctx, bson.D{{Key: "name", Value: name}})
	if err != nil {
		return schema.EncryptedFields{}, false, fmt.Errorf("qe: listing collections of %s: %w", db.Name(), err)
	}
	if len(specs) == 0 {
		return schema.EncryptedFields{}, false, nil
	}
	v, err := specs[0].Options.LookupErr("encryptedFields")
	if err != nil {
		return schema.EncryptedFields{}, true, fmt.Errorf("qe: collection %s.%s exists without Queryable Encryption: choose another name, or move its data to a new encrypted collection", db.Name(), name)
	}
	doc, ok := v.DocumentOK()
	if !ok {
		return schema.EncryptedFields{}, true, fmt.Errorf("qe: collection %s.%s has encryptedFields of type %s", db.Name(), name, v.Type)
	}
	ef, err := schema.Parse(doc)
	if err != nil {
		return schema.EncryptedFields{}, true, fmt.Errorf("qe: collection %s.%s: %w", db.Name(), name, err)
	}
	return ef, true, nil
}

// DiffEncryptedFields lists how the encryptedFields a collection has (got,
// from listCollections) differ from what the model wants, one line per
// difference, in a stable order; none means they agree. A document it
// cannot read is an error.
func DiffEncryptedFields(want, got bson.D) ([]string, error) {
	w, err := schema.FromDocument(want)
	if err != nil {
		return nil, fmt.Errorf("qe: the model's %w", err)
	}
	g, err := schema.FromDocument(got)
	if err != nil {
		return nil, fmt.Errorf("qe: the collection's %w", err)
	}
	return schema.Diff(w, g), nil
}

// mismatchError explains why an existing collection cannot be reused.
func mismatchError(database, name string, diffs []string) error {
	return fmt.Errorf("qe: collection %s.%s exists with other encryptedFields than the model:\n\t%s\n"+
		"Queryable Encryption settings cannot be changed in place: create a collection under a new name and copy the data "+
		"into it with package github.com/qegen/qegen/qe/migrate, or, if the data may go, drop the collection (with enxcol_.%s.esc and enxcol_.%s.ecoc) and create it again",
		database, name, strings.Join(diffs, "\n\t"), name, name)
}
