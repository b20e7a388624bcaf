package qe

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Repository reads and writes documents of type T, whose _id is of type
// ID, in a collection that uses Queryable Encryption. It offers only what
// QE supports: single-document writes, and filters built from the typed
// fields qegen generates. Generated XRepository types embed it.
//
// In automatic mode (the default) the collection must come from a client
// with automatic encryption. In explicit mode (WithExplicitEncryption), for
// MongoDB Community without crypt_shared, it encrypts every value of an
// encrypted path itself, and the collection must come from a client with
// automatic encryption and BypassQueryAnalysis, which decrypts results.
type Repository[T, ID any] struct {
	coll     *mongo.Collection
	explicit *Explicit // nil in automatic mode
	err      error     // a bad option, reported by every call
}

// RepositoryOption configures a Repository.
type RepositoryOption func(*repositoryOptions)

type repositoryOptions struct {
	encrypter Encrypter
}

// WithExplicitEncryption makes the repository encrypt values itself with
// enc, usually NewClientEncrypter(clientEncryption).
func WithExplicitEncryption(enc Encrypter) RepositoryOption {
	return func(o *repositoryOptions) { o.encrypter = enc }
}

// NewRepository returns a repository over coll for the collection spec.
func NewRepository[T, ID any](coll *mongo.Collection, spec CollectionSpec, opts ...RepositoryOption) *Repository[T, ID] {
	var o repositoryOptions
	for _, opt := range opts {
		opt(&o)
	}
	r := &Repository[T, ID]{coll: coll}
	if o.encrypter != nil {
		r.explicit, r.err = NewExplicit(o.encrypter, coll.Database().Name(), spec)
	}
	return r
}

// Collection returns the underlying collection. Queryable Encryption allows
// no multi-document updates or deletes on it and no sorting by an encrypted
// field; in explicit mode, values sent through it are not encrypted.
func (r *Repository[T, ID]) Collection() *mongo.Collection { return r.coll }

// document is what to send for doc: doc itself, or its encrypted form.
func (r *Repository[T, ID]) document(ctx context.Context, doc *T) (any, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.explicit == nil {
		return doc, nil
	}
	return r.explicit.Document(ctx, doc)
}

// query is the filter document to send.
func (r *Repository[T, ID]) query(ctx context.Context, f Filter[T]) (bson.D, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.explicit == nil {
		return f.Document(), nil
	}
	return r.explicit.Filter(ctx, f.Document())
}

// InsertOne inserts doc.
func (r *Repository[T, ID]) InsertOne(ctx context.Context, doc *T) (*mongo.InsertOneResult, error) {
	d, err := r.document(ctx, doc)
	if err != nil {
		return nil, err
	}
	return r.coll.InsertOne(ctx, d)
}

// InsertMany inserts docs.
func (r *Repository[T, ID]) InsertMany(ctx context.Context, docs []*T) (*mongo.InsertManyResult, error) {
	batch := make([]any, len(docs))
	for i, doc := range docs {
		d, err := r.document(ctx, doc)
		if err != nil {
			return nil, err
		}
		batch[i] = d
	}
	return r.coll.InsertMany(ctx, batch)
}

// Find returns every document that filter matches.
func (r *Repository[T, ID]) Find(ctx context.Context, filter Filter[T]) ([]T, error) {
	q, err := r.query(ctx, filter)
	if err != nil {
		return nil, err
	}
	cursor, err := r.coll.Find(ctx, q)
	if err != nil {
		return nil, err
	}
	var docs []T
	if err := cursor.All(ctx, &docs); err != nil {
		return nil, err
	}
	return docs, nil
}

// FindOne returns one document that filter matches, or mongo.ErrNoDocuments.
func (r *Repository[T, ID]) FindOne(ctx context.Context, filter Filter[T]) (*T, error) {
	q, err := r.query(ctx, filter)
	if err != nil {
		return nil, err
	}
	return r.findOne(ctx, q)
}

func (r *Repository[T, ID]) findOne(ctx context.Context, q any) (*T, error) {
	var doc T
	if err := r.coll.FindOne(ctx, q).Decode(&doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// Count counts the documents that filter matches.
func (r *Repository[T, ID]) Count(ctx context.Context, filter Filter[T]) (int64, error) {
	q, err := r.query(ctx, filter)
	if err != nil {
		return 0, err
	}
	return r.coll.CountDocuments(ctx, q)
}

// DeleteOne deletes one document that filter matches. Queryable Encryption
// has no multi-document delete.
func (r *Repository[T, ID]) DeleteOne(ctx context.Context, filter Filter[T]) (*mongo.DeleteResult, error) {
	q, err := r.query(ctx, filter)
	if err != nil {
		return nil, err
	}
	return r.coll.DeleteOne(ctx, q)
}

// FindByID returns the document whose _id is id, or mongo.ErrNoDocuments.
func (r *Repository[T, ID]) FindByID(ctx context.Context, id ID) (*T, error) {
	if r.err != nil {
		return nil, r.err
	}
	return r.findOne(ctx, idFilter(id))
}

// ReplaceByID replaces the document whose _id is id with doc.
func (r *Repository[T, ID]) ReplaceByID(ctx context.Context, id ID, doc *T) (*mongo.UpdateResult, error) {
	d, err := r.document(ctx, doc)
	if err != nil {
		return nil, err
	}
	return r.coll.ReplaceOne(ctx, idFilter(id), d)
}

// DeleteByID deletes the document whose _id is id.
func (r *Repository[T, ID]) DeleteByID(ctx context.Context, id ID) (*mongo.DeleteResult, error) {
	if r.err != nil {
		return nil, r.err
	}
	return r.coll.DeleteOne(ctx, idFilter(id))
}

// idFilter matches by _id, which is never encrypted.
func idFilter(id any) bson.D { return bson.D{{Key: "_id", Value: id}} }
