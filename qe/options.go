package qe

import (
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// FindOption says how a find returns documents: in which order, how many,
// and which fields.
type FindOption func(*findOptions)

type findOptions struct {
	sort             []SortKey
	limit, skip      int64
	include, exclude []Field
}

// Sort orders the results by keys, the first one first. Keys come from
// fields stored in clear (Asc, Desc): the server cannot sort by an
// encrypted field, so there is no way to ask.
func Sort(keys ...SortKey) FindOption {
	return func(o *findOptions) { o.sort = append(o.sort, keys...) }
}

// Limit returns at most n documents.
func Limit(n int64) FindOption { return func(o *findOptions) { o.limit = n } }

// Skip leaves out the first n documents. To page through a large
// collection, prefer a filter on the last key seen (e.g. ID.Gt(last))
// with Sort on that key: skipping costs the server the skipped documents.
func Skip(n int64) FindOption { return func(o *findOptions) { o.skip = n } }

// Include returns only the fields named (and _id). The other fields of the
// returned documents are left zero: do not replace a document read this
// way, or its other fields are lost.
func Include(fields ...Field) FindOption {
	return func(o *findOptions) { o.include = append(o.include, fields...) }
}

// Exclude returns every field but those named.
func Exclude(fields ...Field) FindOption {
	return func(o *findOptions) { o.exclude = append(o.exclude, fields...) }
}

// driverFind builds the driver's options, checking that every field named
// is of collection.
func driverFind(collection string, opts []FindOption) (*options.FindOptionsBuilder, error) {
	var o findOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	fo := options.Find()
	if len(o.sort) > 0 {
		sort := make(bson.D, len(o.sort))
		for i, k := range o.sort {
			if err := fieldOfCollection(k.field, collection); err != nil {
				return nil, err
			}
			if k.field.kind != plainKind { // a field type cast from an encrypted one
				return nil, fmt.Errorf("qe: a find sorts by encrypted %s: the server cannot", k.field.path)
			}
			sort[i] = bson.E{Key: k.field.path, Value: k.dir}
		}
		fo.SetSort(sort)
	}
	if o.limit > 0 {
		fo.SetLimit(o.limit)
	}
	if o.skip > 0 {
		fo.SetSkip(o.skip)
	}
	if len(o.include) > 0 && len(o.exclude) > 0 {
		return nil, fmt.Errorf("qe: a find both includes and excludes fields: the server takes one or the other")
	}
	projection := bson.D{}
	for _, fields := range []struct {
		list []Field
		mode int
	}{{o.include, 1}, {o.exclude, 0}} {
		for _, f := range fields.list {
			ref := refOf(f)
			if err := fieldOfCollection(ref, collection); err != nil {
				return nil, err
			}
			projection = append(projection, bson.E{Key: ref.path, Value: fields.mode})
		}
	}
	if len(projection) > 0 {
		fo.SetProjection(projection)
	}
	return fo, nil
}

// refOf is f's field, nil for a nil Field.
func refOf(f Field) *fieldRef {
	if f == nil {
		return nil
	}
	return f.ref()
}

func fieldOfCollection(f *fieldRef, collection string) error {
	f = filled(f)
	switch {
	case f.err != nil:
		return f.err
	case f.collection != collection:
		return fmt.Errorf("qe: field %s of collection %s was used on collection %s", f.path, f.collection, collection)
	}
	return nil
}

// UpdateOption says how an update applies.
type UpdateOption func(*updateOptions)

type updateOptions struct{ upsert bool }

// Upsert inserts a document when the filter matches none. Values the
// filter compares with encrypted fields are not copied into it (the
// server cannot): set them in the update.
func Upsert() UpdateOption { return func(o *updateOptions) { o.upsert = true } }

func applyUpdateOptions(opts []UpdateOption) updateOptions {
	var o updateOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}
