package qe

import (
	"go.mongodb.org/mongo-driver/v2/bson"
)

// Filter is a query filter on documents of type T. Generated code hands
// out field values whose methods build only the predicates the server can
// answer on a Queryable Encryption collection, so a Filter cannot ask for
// a range on an equality field, a comparison on a field that is encrypted
// but not queryable, or a comparison with null on an encrypted field.
type Filter[T any] struct {
	doc bson.D
}

// Document returns the filter as the document the driver sends.
func (f Filter[T]) Document() bson.D {
	if f.doc == nil {
		return bson.D{}
	}
	return f.doc
}

// MarshalBSON lets a Filter be passed to any driver method taking a filter.
func (f Filter[T]) MarshalBSON() ([]byte, error) { return bson.Marshal(f.Document()) }

// All matches every document.
func All[T any]() Filter[T] { return Filter[T]{doc: bson.D{}} }

// And matches documents that match every filter.
func And[T any](filters ...Filter[T]) Filter[T] { return combine("$and", filters) }

// Or matches documents that match at least one filter.
func Or[T any](filters ...Filter[T]) Filter[T] { return combine("$or", filters) }

// Nor matches documents that match none of the filters.
func Nor[T any](filters ...Filter[T]) Filter[T] { return combine("$nor", filters) }

// Not matches documents that f does not match: {path: {$not: {...}}} for
// one comparison on a field, {$nor: [f]} for anything else.
func Not[T any](f Filter[T]) Filter[T] {
	if len(f.doc) == 1 && len(f.doc[0].Key) > 0 && f.doc[0].Key[0] != '$' {
		switch cond := f.doc[0].Value.(type) {
		case bson.D:
			if len(cond) == 1 && cond[0].Key != "$exists" {
				return Filter[T]{doc: bson.D{{Key: f.doc[0].Key, Value: bson.D{{Key: "$not", Value: cond}}}}}
			}
		default: // implicit equality
			return compare[T](f.doc[0].Key, "$ne", cond)
		}
	}
	return combine("$nor", []Filter[T]{f})
}

func combine[T any](op string, filters []Filter[T]) Filter[T] {
	list := make(bson.A, len(filters))
	for i, f := range filters {
		list[i] = f.Document()
	}
	return Filter[T]{doc: bson.D{{Key: op, Value: list}}}
}

// compare builds {path: {op: value}}.
func compare[T any](path, op string, value any) Filter[T] {
	return Filter[T]{doc: bson.D{{Key: path, Value: bson.D{{Key: op, Value: value}}}}}
}

func list[V any](values []V) bson.A {
	out := make(bson.A, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// EqualityField is a field of T encrypted for equality queries, holding
// values of type V.
type EqualityField[T, V any] struct {
	path  string
	regex bool // V is bson.Regex: {path: v} would mean a pattern match
}

// Equality declares an equality-queryable field at path.
func Equality[T, V any](path string) EqualityField[T, V] {
	var zero V
	_, regex := any(zero).(bson.Regex)
	return EqualityField[T, V]{path: path, regex: regex}
}

// Path is the field's document path.
func (f EqualityField[T, V]) Path() string { return f.path }

// Eq matches documents whose field equals v. It is written {path: v}, as
// one would by hand, except for regular expressions, where that form would
// mean a pattern match.
func (f EqualityField[T, V]) Eq(v V) Filter[T] {
	if f.regex {
		return compare[T](f.path, "$eq", v)
	}
	return Filter[T]{doc: bson.D{{Key: f.path, Value: v}}}
}

// Ne matches documents whose field differs from v or is missing.
func (f EqualityField[T, V]) Ne(v V) Filter[T] { return compare[T](f.path, "$ne", v) }

// In matches documents whose field equals one of values.
func (f EqualityField[T, V]) In(values ...V) Filter[T] {
	return compare[T](f.path, "$in", list(values))
}

// Nin matches documents whose field equals none of values.
func (f EqualityField[T, V]) Nin(values ...V) Filter[T] {
	return compare[T](f.path, "$nin", list(values))
}

// Exists matches documents that have (or, with false, lack) the field.
func (f EqualityField[T, V]) Exists(exists bool) Filter[T] {
	return compare[T](f.path, "$exists", exists)
}

// RangeField is a field of T encrypted for range queries. The server also
// answers equality on it, as a range of one value.
type RangeField[T, V any] struct{ EqualityField[T, V] }

// Range declares a range-queryable field at path.
func Range[T, V any](path string) RangeField[T, V] {
	return RangeField[T, V]{Equality[T, V](path)}
}

// Lt matches documents whose field is below v.
func (f RangeField[T, V]) Lt(v V) Filter[T] { return compare[T](f.path, "$lt", v) }

// Lte matches documents whose field is at most v.
func (f RangeField[T, V]) Lte(v V) Filter[T] { return compare[T](f.path, "$lte", v) }

// Gt matches documents whose field is above v.
func (f RangeField[T, V]) Gt(v V) Filter[T] { return compare[T](f.path, "$gt", v) }

// Gte matches documents whose field is at least v.
func (f RangeField[T, V]) Gte(v V) Filter[T] { return compare[T](f.path, "$gte", v) }

// Between matches documents whose field is in [lo, hi], both included.
func (f RangeField[T, V]) Between(lo, hi V) Filter[T] {
	return Filter[T]{doc: bson.D{{Key: f.path, Value: bson.D{{Key: "$gte", Value: lo}, {Key: "$lte", Value: hi}}}}}
}

// PlainField is a field of T stored without encryption: every comparison
// works on it.
type PlainField[T, V any] struct{ RangeField[T, V] }

// Plain declares an unencrypted field at path.
func Plain[T, V any](path string) PlainField[T, V] {
	return PlainField[T, V]{Range[T, V](path)}
}

// textSearch builds {$expr: {op: {input: "$path", arg: value}}}, the only
// form in which the server answers text queries on encrypted strings.
// input is "$path", made once per field rather than once per query.
func textSearch[T any](op string, input any, arg, value string) Filter[T] {
	return Filter[T]{doc: bson.D{{Key: "$expr", Value: bson.D{{Key: op, Value: bson.D{
		{Key: "input", Value: input},
		{Key: arg, Value: value},
	}}}}}}
}

// PrefixField is a string field of T encrypted for prefix queries.
type PrefixField[T any] struct{ input any } // "$path", boxed once

// Prefix declares a prefix-queryable field at path.
func Prefix[T any](path string) PrefixField[T] { return PrefixField[T]{"$" + path} }

// StartsWith matches documents whose field starts with prefix.
func (f PrefixField[T]) StartsWith(prefix string) Filter[T] {
	return textSearch[T]("$encStrStartsWith", f.input, "prefix", prefix)
}

// SuffixField is a string field of T encrypted for suffix queries.
type SuffixField[T any] struct{ input any } // "$path", boxed once

// Suffix declares a suffix-queryable field at path.
func Suffix[T any](path string) SuffixField[T] { return SuffixField[T]{"$" + path} }

// EndsWith matches documents whose field ends with suffix.
func (f SuffixField[T]) EndsWith(suffix string) Filter[T] {
	return textSearch[T]("$encStrEndsWith", f.input, "suffix", suffix)
}

// PrefixSuffixField is a string field of T encrypted for prefix and
// suffix queries.
type PrefixSuffixField[T any] struct {
	PrefixField[T]
	SuffixField[T]
}

// PrefixSuffix declares a field queryable by prefix and suffix at path.
func PrefixSuffix[T any](path string) PrefixSuffixField[T] {
	return PrefixSuffixField[T]{Prefix[T](path), Suffix[T](path)}
}

// SubstringField is a string field of T encrypted for substring queries.
type SubstringField[T any] struct{ input any } // "$path", boxed once

// Substring declares a substring-queryable field at path.
func Substring[T any](path string) SubstringField[T] { return SubstringField[T]{"$" + path} }

// Contains matches documents whose field contains substring.
func (f SubstringField[T]) Contains(substring string) Filter[T] {
	return textSearch[T]("$encStrContains", f.input, "substring", substring)
}
