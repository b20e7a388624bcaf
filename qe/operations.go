package qe

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Operations are what a repository does with a filter or an update
// alone, whatever its documents: generated repositories embed them. They
// are compiled once, here, and not inlined, so that a repository's
// promoted methods are jumps.
type Operations struct{ s *Store }

// NewOperations returns the operations of s.
func NewOperations(s *Store) Operations { return Operations{s} }

// Collection returns the underlying collection. Queryable Encryption
// allows no multi-document updates on it and no sorting by an encrypted
// field, and in explicit mode nothing sent through it is encrypted.
//
//go:noinline
func (o *Operations) Collection() *mongo.Collection { return o.s.Collection() }

// Exists reports whether filter matches a document.
//
//go:noinline
func (o *Operations) Exists(ctx context.Context, filter Filter) (bool, error) {
	return o.s.Exists(ctx, filter)
}

// Count counts the documents that filter matches.
//
//go:noinline
func (o *Operations) Count(ctx context.Context, filter Filter) (int64, error) {
	return o.s.Count(ctx, filter)
}

// DeleteOne deletes one document that filter matches.
//
//go:noinline
func (o *Operations) DeleteOne(ctx context.Context, filter Filter) (*mongo.DeleteResult, error) {
	return o.s.DeleteOne(ctx, filter)
}

// DeleteMany deletes every document that filter matches.
//
//go:noinline
func (o *Operations) DeleteMany(ctx context.Context, filter Filter) (*mongo.DeleteResult, error) {
	return o.s.DeleteMany(ctx, filter)
}

// UpdateOne applies update to one document that filter matches; build
// updates from the generated XWhere(). With Upsert, a document is
// inserted when none matches (without the values filter compares with
// encrypted fields). There is no UpdateMany: the server refuses
// multi-document updates on a Queryable Encryption collection.
//
//go:noinline
func (o *Operations) UpdateOne(ctx context.Context, filter Filter, update Update, opts ...UpdateOption) (*mongo.UpdateResult, error) {
	return o.s.UpdateOne(ctx, filter, update, opts...)
}
