package qe

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"

	"github.com/qegen/qegen/qe/internal/generated"
)

// Store runs the operations of a generated repository on a collection that
// uses Queryable Encryption: single-document writes, and finds with filters
// built from the collection's generated fields. Generated repositories wrap
// it with typed methods; it is not generic, so that packages with many
// collections stay quick to compile.
//
// In automatic mode (the default) the collection must come from a client
// with automatic encryption. In explicit mode (WithExplicitEncryption), for
// MongoDB Community without crypt_shared, it encrypts every value of an
// encrypted path itself, and the collection must come from a client with
// automatic encryption and BypassQueryAnalysis, which decrypts results.
type Store struct {
	coll     *mongo.Collection
	name     string
	spec     CollectionSpec
	explicit *Explicit // nil in automatic mode
	err      error     // a bad option, reported by every call
}

// RepositoryOption configures a repository.
type RepositoryOption func(*repositoryOptions)

type repositoryOptions struct {
	encrypter Encrypter
}

// WithExplicitEncryption makes the repository encrypt values itself with
// enc, usually NewClientEncrypter(clientEncryption).
func WithExplicitEncryption(enc Encrypter) RepositoryOption {
	return func(o *repositoryOptions) { o.encrypter = enc }
}

// NewStore returns a store over coll for the collection spec, whose
// documents are stored from Go values of the type document points to (a
// nil pointer will do). Generated code calls it through qeimpl.NewStore.
// It reads from the primary whatever coll's read preference says:
// Queryable Encryption does not support reads from secondaries.
//
// It checks once that the driver stores every encrypted path of spec from
// that type, with the spec's BSON type: a model changed without running
// go generate would otherwise send the value in clear. If not, every call
// fails, saying to regenerate.
func NewStore(_ generated.Token, coll *mongo.Collection, spec CollectionSpec, document any, opts ...RepositoryOption) *Store {
	var o repositoryOptions
	for _, opt := range opts {
		opt(&o)
	}
	s := &Store{name: spec.Name, spec: spec}
	switch {
	case spec.err != nil:
		s.err = spec.err
	case coll == nil:
		s.err = errors.New("qe: the repository's collection is nil")
	default:
		// Queryable Encryption does not support reads from secondaries.
		s.coll = coll.Clone(options.Collection().SetReadPreference(readpref.Primary()))
		s.err = checkDocumentType(reflect.TypeOf(document), spec)
	}
	if s.err == nil && o.encrypter != nil {
		s.explicit, s.err = NewExplicit(o.encrypter, coll.Database().Name(), spec)
	}
	return s
}

// Collection returns the underlying collection, reading from the primary.
func (s *Store) Collection() *mongo.Collection {
	if s == nil {
		return nil
	}
	return s.coll
}

// errNoStore is what a repository that its constructor did not make (a
// zero value) returns, instead of panicking.
var errNoStore = errors.New("qe: this repository was not made by its generated NewXRepository function")

// ready is s's error, if it cannot run operations.
func (s *Store) ready() error {
	if s == nil {
		return errNoStore
	}
	return s.err
}

// document is what to send for doc: doc itself, or its encrypted form.
func (s *Store) document(ctx context.Context, doc any) (any, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if s.explicit == nil {
		return doc, nil
	}
	return s.explicit.Document(ctx, doc)
}

// query is the filter document to send.
func (s *Store) query(ctx context.Context, f Filter) (bson.D, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if err := f.check(s.name); err != nil {
		return nil, err
	}
	if s.explicit == nil {
		return f.render(), nil
	}
	return s.explicit.Filter(ctx, f)
}

// change is the update document to send.
func (s *Store) change(ctx context.Context, u Update) (bson.D, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if err := u.check(s.name); err != nil {
		return nil, err
	}
	if s.explicit == nil {
		return u.render(plainValue)
	}
	return s.explicit.Update(ctx, u)
}

// InsertOne inserts doc.
func (s *Store) InsertOne(ctx context.Context, doc any) (*mongo.InsertOneResult, error) {
	d, err := s.document(ctx, doc)
	if err != nil {
		return nil, err
	}
	res, err := s.coll.InsertOne(ctx, d)
	return res, s.withhold("InsertOne", err)
}

// cursor runs a find.
func (s *Store) cursor(ctx context.Context, filter Filter, opts []FindOption) (*mongo.Cursor, error) {
	q, err := s.query(ctx, filter)
	if err != nil {
		return nil, err
	}
	fo, err := driverFind(s.name, opts)
	if err != nil {
		return nil, err
	}
	cursor, err := s.coll.Find(ctx, q, fo)
	return cursor, s.withhold("Find", err)
}

// Find decodes every document that filter matches into results, a pointer
// to a slice, which it leaves empty on a failure.
func (s *Store) Find(ctx context.Context, filter Filter, results any, opts ...FindOption) error {
	cursor, err := s.cursor(ctx, filter, opts)
	if err == nil {
		err = s.withhold("Find", cursor.All(ctx, results))
	}
	if err != nil {
		if v := reflect.ValueOf(results); v.Kind() == reflect.Pointer && !v.IsNil() {
			v.Elem().SetZero()
		}
	}
	return err
}

// Stream decodes the documents filter matches one at a time into doc, a
// **T set to a new T each time (nil on a failure), and calls each after
// every one with the failure, if any, until each returns false.
func (s *Store) Stream(ctx context.Context, filter Filter, opts []FindOption, doc any, each func(error) bool) {
	cursor, err := s.cursor(ctx, filter, opts)
	if err != nil {
		clearResult(doc)
		each(err)
		return
	}
	defer cursor.Close(ctx)
	for cursor.Next(ctx) {
		if !each(s.withhold("Stream", decodeResult(doc, cursor.Decode))) {
			return
		}
	}
	if err := cursor.Err(); err != nil {
		clearResult(doc) // not the last document again
		each(s.withhold("Stream", err))
	}
}

// clearResult sets the **T result points to, if it is one, to nil.
func clearResult(result any) {
	if target := reflect.ValueOf(result); target.Kind() == reflect.Pointer && !target.IsNil() && target.Elem().Kind() == reflect.Pointer {
		target.Elem().SetZero()
	}
}

// decodeResult decodes one document with decode into result: a *T, or a
// **T that is set to a new T when decoding succeeds and to nil when it
// fails, so that a repository returns nil with every error.
func decodeResult(result any, decode func(any) error) error {
	target := reflect.ValueOf(result)
	if target.Kind() != reflect.Pointer || target.IsNil() || target.Elem().Kind() != reflect.Pointer {
		return decode(result)
	}
	clearResult(result)
	doc := reflect.New(target.Type().Elem().Elem())
	if err := decode(doc.Interface()); err != nil {
		return err
	}
	target.Elem().Set(doc)
	return nil
}

// FindOne decodes the first document that filter matches into result, or
// returns mongo.ErrNoDocuments.
func (s *Store) FindOne(ctx context.Context, filter Filter, result any, opts ...FindOption) error {
	cursor, err := s.cursor(ctx, filter, append(opts, Limit(1)))
	if err != nil {
		return err
	}
	defer cursor.Close(ctx)
	if !cursor.Next(ctx) {
		if err := cursor.Err(); err != nil {
			return s.withhold("FindOne", err)
		}
		return mongo.ErrNoDocuments
	}
	return s.withhold("FindOne", decodeResult(result, cursor.Decode))
}

// Exists reports whether filter matches a document, reading its _id only.
func (s *Store) Exists(ctx context.Context, filter Filter) (bool, error) {
	q, err := s.query(ctx, filter)
	if err != nil {
		return false, err
	}
	err = s.coll.FindOne(ctx, q, options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	}
	return err == nil, s.withhold("Exists", err)
}

// Count counts the documents that filter matches.
func (s *Store) Count(ctx context.Context, filter Filter) (int64, error) {
	q, err := s.query(ctx, filter)
	if err != nil {
		return 0, err
	}
	n, err := s.coll.CountDocuments(ctx, q)
	return n, s.withhold("Count", err)
}

// DeleteOne deletes one document that filter matches.
func (s *Store) DeleteOne(ctx context.Context, filter Filter) (*mongo.DeleteResult, error) {
	q, err := s.query(ctx, filter)
	if err != nil {
		return nil, err
	}
	res, err := s.coll.DeleteOne(ctx, q)
	return res, s.withhold("DeleteOne", err)
}

// DeleteMany deletes every document that filter matches, in one delete
// statement, which the server allows on a Queryable Encryption collection.
func (s *Store) DeleteMany(ctx context.Context, filter Filter) (*mongo.DeleteResult, error) {
	q, err := s.query(ctx, filter)
	if err != nil {
		return nil, err
	}
	res, err := s.coll.DeleteMany(ctx, q)
	return res, s.withhold("DeleteMany", err)
}

// UpdateOne applies update to one document that filter matches. There is
// no UpdateMany: the server refuses multi-document updates on a Queryable
// Encryption collection, even of unencrypted fields.
func (s *Store) UpdateOne(ctx context.Context, filter Filter, update Update, opts ...UpdateOption) (*mongo.UpdateResult, error) {
	q, err := s.query(ctx, filter)
	if err != nil {
		return nil, err
	}
	u, err := s.change(ctx, update)
	if err != nil {
		return nil, err
	}
	res, err := s.coll.UpdateOne(ctx, q, u, options.UpdateOne().SetUpsert(applyUpdateOptions(opts).upsert))
	return res, s.withhold("UpdateOne", err)
}

// FindOneAndUpdate applies update to one document that filter matches and
// decodes the document as it was before into result. The server refuses
// to return the document after the change, or a projection of it, on a
// Queryable Encryption collection, so there is no option for either.
func (s *Store) FindOneAndUpdate(ctx context.Context, filter Filter, update Update, result any, opts ...UpdateOption) error {
	q, err := s.query(ctx, filter)
	if err != nil {
		return err
	}
	u, err := s.change(ctx, update)
	if err != nil {
		return err
	}
	return s.withhold("FindOneAndUpdate", decodeResult(result, s.coll.FindOneAndUpdate(ctx, q, u, options.FindOneAndUpdate().SetUpsert(applyUpdateOptions(opts).upsert)).Decode))
}

// FindOneAndReplace replaces one document that filter matches with doc
// and decodes the document as it was before into result.
func (s *Store) FindOneAndReplace(ctx context.Context, filter Filter, doc, result any) error {
	q, err := s.query(ctx, filter)
	if err != nil {
		return err
	}
	d, err := s.document(ctx, doc)
	if err != nil {
		return err
	}
	return s.withhold("FindOneAndReplace", decodeResult(result, s.coll.FindOneAndReplace(ctx, q, d).Decode))
}

// FindOneAndDelete deletes one document that filter matches and decodes it
// into result.
func (s *Store) FindOneAndDelete(ctx context.Context, filter Filter, result any) error {
	q, err := s.query(ctx, filter)
	if err != nil {
		return err
	}
	return s.withhold("FindOneAndDelete", decodeResult(result, s.coll.FindOneAndDelete(ctx, q).Decode))
}

// ReplaceOne replaces one document that filter matches with doc.
func (s *Store) ReplaceOne(ctx context.Context, filter Filter, doc any) (*mongo.UpdateResult, error) {
	q, err := s.query(ctx, filter)
	if err != nil {
		return nil, err
	}
	d, err := s.document(ctx, doc)
	if err != nil {
		return nil, err
	}
	res, err := s.coll.ReplaceOne(ctx, q, d)
	return res, s.withhold("ReplaceOne", err)
}

// withhold names the operation in an error whose message could quote an
// encrypted value, and drops that message. A value that does not decode
// keeps the driver's message when nothing encrypted is at or below its
// path.
func (s *Store) withhold(op string, err error) error {
	var de *bson.DecodeError
	if errors.As(err, &de) {
		if f, related := s.spec.lookup(strings.Join(de.Keys(), ".")); f == nil && related == nil && len(de.Keys()) > 0 {
			return fmt.Errorf("qe: %s on %s: %w", op, s.name, err)
		}
	}
	return withhold(op+" on "+s.name, err)
}
