package qe

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Operations are what a repository does with a filter, an update or an
// _id of type ID alone, whatever its documents: generated repositories
// embed them. They are generic only in ID, and not inlined, so that a
// package compiles them once per _id type, not once per collection, and a
// repository's promoted methods are jumps.
type Operations[ID any] struct{ s *Store }

// NewOperations returns the operations of s, for a repository whose
// documents have an _id of type ID.
func NewOperations[ID any](s *Store) Operations[ID] { return Operations[ID]{s} }

// Collection returns the underlying collection. Queryable Encryption
// allows no multi-document updates on it and no sorting by an encrypted
// field, and in explicit mode nothing sent through it is encrypted.
//
//go:noinline
func (o *Operations[ID]) Collection() *mongo.Collection { return o.s.Collection() }

// Exists reports whether filter matches a document.
//
//go:noinline
func (o *Operations[ID]) Exists(ctx context.Context, filter Filter) (bool, error) {
	return o.s.Exists(ctx, filter)
}

// Count counts the documents that filter matches.
//
//go:noinline
func (o *Operations[ID]) Count(ctx context.Context, filter Filter) (int64, error) {
	return o.s.Count(ctx, filter)
}

// DeleteOne deletes one document that filter matches.
//
//go:noinline
func (o *Operations[ID]) DeleteOne(ctx context.Context, filter Filter) (*mongo.DeleteResult, error) {
	return o.s.DeleteOne(ctx, filter)
}

// DeleteMany deletes every document that filter matches.
//
//go:noinline
func (o *Operations[ID]) DeleteMany(ctx context.Context, filter Filter) (*mongo.DeleteResult, error) {
	return o.s.DeleteMany(ctx, filter)
}

// UpdateOne applies update to one document that filter matches; build
// updates from the generated XWhere(). With Upsert, a document is
// inserted when none matches (without the values filter compares with
// encrypted fields). There is no UpdateMany: the server refuses
// multi-document updates on a Queryable Encryption collection.
//
//go:noinline
func (o *Operations[ID]) UpdateOne(ctx context.Context, filter Filter, update Update, opts ...UpdateOption) (*mongo.UpdateResult, error) {
	return o.s.UpdateOne(ctx, filter, update, opts...)
}

// UpdateByID applies update to the document whose _id is id.
//
//go:noinline
func (o *Operations[ID]) UpdateByID(ctx context.Context, id ID, update Update) (*mongo.UpdateResult, error) {
	return o.s.UpdateByID(ctx, id, update)
}

// DeleteByID deletes the document whose _id is id.
//
//go:noinline
func (o *Operations[ID]) DeleteByID(ctx context.Context, id ID) (*mongo.DeleteResult, error) {
	return o.s.DeleteByID(ctx, id)
}
