package migrate

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/qe"
)

// ReadOption configures how a collection is read.
type ReadOption func(*reader)

// DecryptWith decrypts every encrypted value (binData subtype 6) read,
// one by one, with ce, for a collection read through a client that does
// not decrypt. It needs no encryptedFieldsMap, so it also reads a
// collection whose encryptedFields the linked libmongocrypt refuses
// (MongoDB 8.2's text preview names on libmongocrypt 1.21 and later), as
// long as libmongocrypt can still decrypt its values.
func DecryptWith(ce *mongo.ClientEncryption) ReadOption {
	return func(r *reader) { r.ce = ce }
}

// reader reads documents from a collection, decrypting when asked to.
type reader struct {
	coll *mongo.Collection
	ce   *mongo.ClientEncryption
}

func newReader(coll *mongo.Collection, opts []ReadOption) reader {
	r := reader{coll: coll}
	for _, o := range opts {
		o(&r)
	}
	return r
}

func (r reader) Namespace() string { return r.coll.Database().Name() + "." + r.coll.Name() }

func (r reader) find(ctx context.Context, filter any, opts ...options.Lister[options.FindOptions]) ([]bson.Raw, error) {
	cursor, err := r.coll.Find(ctx, filter, opts...)
	if err != nil {
		return nil, err
	}
	var docs []bson.Raw
	if err := cursor.All(ctx, &docs); err != nil {
		return nil, err
	}
	return r.decryptAll(ctx, docs)
}

func (r reader) decryptAll(ctx context.Context, docs []bson.Raw) ([]bson.Raw, error) {
	if r.ce == nil {
		return docs, nil
	}
	for i, doc := range docs {
		out, err := decryptDocument(ctx, r.ce, doc)
		if err != nil {
			id, _ := docID(doc)
			return nil, fmt.Errorf("decrypting the document with _id %s of %s: %w", idText(id), r.Namespace(), err)
		}
		docs[i] = out
	}
	return docs, nil
}

// Count counts the documents with countDocuments, which an encrypting
// client may send (an aggregation of $match and $group).
func (r reader) Count(ctx context.Context) (int64, error) {
	return r.coll.CountDocuments(ctx, bson.D{})
}

func inIDs(ids []bson.RawValue) bson.D {
	values := make(bson.A, len(ids))
	for i, id := range ids {
		values[i] = id
	}
	return bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: values}}}}
}

// CollectionSource is a collection as a migration's Source.
type CollectionSource struct{ reader }

// NewCollectionSource reads coll, which must come from a client that can
// decrypt it, unless it holds no encrypted values: a client made with
// qe.Config.Connect in either mode decrypts replies (explicit mode needs
// no crypt_shared); or give any client and DecryptWith. Reads go to the
// client's read preference; an encrypted collection needs the primary.
func NewCollectionSource(coll *mongo.Collection, opts ...ReadOption) *CollectionSource {
	return &CollectionSource{newReader(coll, opts)}
}

// Next finds the documents after after in _id order, with the _id index.
func (s *CollectionSource) Next(ctx context.Context, after bson.RawValue, limit int) ([]bson.Raw, error) {
	filter := bson.D{}
	if after.Type != 0 {
		filter = bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: after}}}}
	}
	return s.find(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "_id", Value: 1}}).
		SetLimit(int64(limit)).
		SetBatchSize(int32(limit)))
}

// Sample picks n documents with $sample.
func (s *CollectionSource) Sample(ctx context.Context, n int) ([]bson.Raw, error) {
	cursor, err := s.coll.Aggregate(ctx, bson.A{bson.D{{Key: "$sample", Value: bson.D{{Key: "size", Value: n}}}}})
	if err != nil {
		return nil, err
	}
	var docs []bson.Raw
	if err := cursor.All(ctx, &docs); err != nil {
		return nil, err
	}
	return s.decryptAll(ctx, docs)
}

// CollectionTarget is the collection a generated repository writes, as a
// migration reads it back.
type CollectionTarget struct {
	reader
	vault *mongo.Collection
}

// NewCollectionTarget reads coll: the repository's collection, from a
// client that decrypts (the one the repository uses, in either mode), or
// from any client with DecryptWith. vault is the key vault collection
// (qe.Keys.Vault), where Check finds the model's data keys by name.
func NewCollectionTarget(coll *mongo.Collection, vault *mongo.Collection, opts ...ReadOption) *CollectionTarget {
	return &CollectionTarget{reader: newReader(coll, opts), vault: vault}
}

// Check compares the collection with the model (qe.CompareCollection): it
// must exist under the model's name, with the model's encryptedFields and
// data keys.
func (t *CollectionTarget) Check(ctx context.Context, spec qe.CollectionSpec) error {
	if t.coll.Name() != spec.Name {
		return &TargetError{Namespace: t.Namespace(), Diffs: []string{fmt.Sprintf(
			"the collection is named %s, and the model's is %s: generated code encrypts with the data keys of the collection it was generated for", t.coll.Name(), spec.Name)}}
	}
	diffs, found, err := qe.CompareCollection(ctx, t.coll.Database(), spec, t.vault)
	switch {
	case err != nil:
		return err
	case !found:
		return &TargetError{Namespace: t.Namespace(), Missing: true}
	case len(diffs) > 0:
		return &TargetError{Namespace: t.Namespace(), Diffs: diffs}
	}
	return nil
}

// Existing finds which ids the collection holds, reading only _id.
func (t *CollectionTarget) Existing(ctx context.Context, ids []bson.RawValue) ([]bson.RawValue, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	cursor, err := t.coll.Find(ctx, inIDs(ids), options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var docs []bson.Raw
	if err := cursor.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]bson.RawValue, 0, len(docs))
	for _, doc := range docs {
		if id, err := docID(doc); err == nil {
			out = append(out, id)
		}
	}
	return out, nil
}

// Find reads the documents with these ids, decrypted.
func (t *CollectionTarget) Find(ctx context.Context, ids []bson.RawValue) ([]bson.Raw, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return t.find(ctx, inIDs(ids))
}

// CollectionCheckpoints keeps checkpoints in a collection, one document
// per migration, _id its name.
type CollectionCheckpoints struct{ coll *mongo.Collection }

// NewCollectionCheckpoints keeps checkpoints in coll, e.g.
// db.Collection("qegen_migrations") next to the target, through a client
// without automatic encryption; they hold only _id values and counts.
// Use a majority write concern (the default) so that a checkpoint never
// outlives, after a failover, the inserts it records.
func NewCollectionCheckpoints(coll *mongo.Collection) *CollectionCheckpoints {
	return &CollectionCheckpoints{coll: coll}
}

// Load reads the checkpoint named name.
func (c *CollectionCheckpoints) Load(ctx context.Context, name string) (Checkpoint, bool, error) {
	var cp Checkpoint
	err := c.coll.FindOne(ctx, bson.D{{Key: "_id", Value: name}}).Decode(&cp)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return Checkpoint{}, false, nil
	case err != nil:
		return Checkpoint{}, false, err
	}
	return cp, true, nil
}

// Save replaces the checkpoint, creating it the first time.
func (c *CollectionCheckpoints) Save(ctx context.Context, cp Checkpoint) error {
	_, err := c.coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: cp.Name}}, cp, options.Replace().SetUpsert(true))
	return err
}
