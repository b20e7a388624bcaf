package qe

import (
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Filter is a query filter on one collection. Generated code hands out
// field values whose methods build only the predicates the server can
// answer on a Queryable Encryption collection, so a Filter cannot ask for a
// range on an equality field, a comparison on a field that is encrypted but
// not queryable, or a comparison with null on an encrypted field. A filter
// remembers its collection: repositories refuse one built for another.
type Filter struct {
	doc bson.D
	// collection is "" for All, which fits every collection, and starts
	// with a NUL byte when the filter mixes two collections (see mixed):
	// no error field, to keep filters small to pass around.
	collection string
}

// mixed marks a filter that combines fields of collections a and b.
func mixed(a, b string) string { return "\x00" + a + "\x00" + b }

// err is the reason the filter cannot be used, if it mixes collections.
func (f Filter) err() error {
	if !strings.HasPrefix(f.collection, "\x00") {
		return nil
	}
	a, b, _ := strings.Cut(f.collection[1:], "\x00")
	return fmt.Errorf("qe: a filter mixes fields of collections %s and %s", a, b)
}

// Document returns the filter as the document the driver sends.
func (f Filter) Document() bson.D {
	if f.doc == nil {
		return bson.D{}
	}
	return f.doc
}

// MarshalBSON lets a Filter be passed to any driver method taking a filter.
func (f Filter) MarshalBSON() ([]byte, error) {
	if err := f.err(); err != nil {
		return nil, err
	}
	return bson.Marshal(f.Document())
}

// check reports whether the filter may be used on collection.
func (f Filter) check(collection string) error {
	if err := f.err(); err != nil {
		return err
	}
	if f.collection != "" && f.collection != collection {
		return fmt.Errorf("qe: a filter on collection %s was used on collection %s", f.collection, collection)
	}
	return nil
}

// All matches every document.
func All() Filter { return Filter{doc: bson.D{}} }

// And matches documents that match every filter.
func And(filters ...Filter) Filter { return combine("$and", filters) }

// Or matches documents that match at least one filter.
func Or(filters ...Filter) Filter { return combine("$or", filters) }

// Nor matches documents that match none of the filters.
func Nor(filters ...Filter) Filter { return combine("$nor", filters) }

// Not matches documents that f does not match: {path: {$not: {...}}} for
// one comparison on a field, {$nor: [f]} for anything else.
func Not(f Filter) Filter {
	if len(f.doc) == 1 && len(f.doc[0].Key) > 0 && f.doc[0].Key[0] != '$' {
		switch cond := f.doc[0].Value.(type) {
		case bson.D:
			if len(cond) == 1 && cond[0].Key != "$exists" {
				return Filter{collection: f.collection, doc: bson.D{{Key: f.doc[0].Key, Value: bson.D{{Key: "$not", Value: cond}}}}}
			}
		default: // implicit equality
			return compare(f.collection, f.doc[0].Key, "$ne", cond)
		}
	}
	return combine("$nor", []Filter{f})
}

func combine(op string, filters []Filter) Filter {
	collection := ""
	list := make(bson.A, len(filters))
	for i, f := range filters {
		switch {
		case f.collection == "" || f.collection == collection:
		case collection == "":
			collection = f.collection
		case collection[0] == 0:
			// already mixed: keep the first reason
		default:
			collection = mixed(collection, f.collection)
			if f.collection[0] == 0 {
				collection = f.collection
			}
		}
		list[i] = f.Document()
	}
	return Filter{doc: bson.D{{Key: op, Value: list}}, collection: collection}
}

// compare builds {path: {op: value}}.
func compare(collection, path, op string, value any) Filter {
	return Filter{collection: collection, doc: bson.D{{Key: path, Value: bson.D{{Key: op, Value: value}}}}}
}

func list[V any](values []V) bson.A {
	out := make(bson.A, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// EqualityField is a field encrypted for equality queries, holding values
// of type V.
type EqualityField[V any] struct {
	collection, path string
	regex            bool // V is bson.Regex: {path: v} would mean a pattern match
}

// Equality declares an equality-queryable field at path in collection.
func Equality[V any](collection, path string) EqualityField[V] {
	var zero V
	_, regex := any(zero).(bson.Regex)
	return EqualityField[V]{collection: collection, path: path, regex: regex}
}

// Path is the field's document path.
func (f EqualityField[V]) Path() string { return f.path }

// Eq matches documents whose field equals v. It is written {path: v}, as
// one would by hand, except for regular expressions, where that form would
// mean a pattern match.
func (f EqualityField[V]) Eq(v V) Filter {
	if f.regex {
		return compare(f.collection, f.path, "$eq", v)
	}
	return Filter{collection: f.collection, doc: bson.D{{Key: f.path, Value: v}}}
}

// Ne matches documents whose field differs from v or is missing.
func (f EqualityField[V]) Ne(v V) Filter { return compare(f.collection, f.path, "$ne", v) }

// In matches documents whose field equals one of values.
func (f EqualityField[V]) In(values ...V) Filter {
	return compare(f.collection, f.path, "$in", list(values))
}

// Nin matches documents whose field equals none of values.
func (f EqualityField[V]) Nin(values ...V) Filter {
	return compare(f.collection, f.path, "$nin", list(values))
}

// Exists matches documents that have (or, with false, lack) the field.
func (f EqualityField[V]) Exists(exists bool) Filter {
	return compare(f.collection, f.path, "$exists", exists)
}

// RangeField is a field encrypted for range queries. The server also
// answers equality on it, as a range of one value.
type RangeField[V any] struct{ EqualityField[V] }

// Range declares a range-queryable field at path in collection.
func Range[V any](collection, path string) RangeField[V] {
	return RangeField[V]{Equality[V](collection, path)}
}

// Lt matches documents whose field is below v.
func (f RangeField[V]) Lt(v V) Filter { return compare(f.collection, f.path, "$lt", v) }

// Lte matches documents whose field is at most v.
func (f RangeField[V]) Lte(v V) Filter { return compare(f.collection, f.path, "$lte", v) }

// Gt matches documents whose field is above v.
func (f RangeField[V]) Gt(v V) Filter { return compare(f.collection, f.path, "$gt", v) }

// Gte matches documents whose field is at least v.
func (f RangeField[V]) Gte(v V) Filter { return compare(f.collection, f.path, "$gte", v) }

// Between matches documents whose field is in [lo, hi], both included.
func (f RangeField[V]) Between(lo, hi V) Filter {
	return Filter{collection: f.collection, doc: bson.D{{Key: f.path, Value: bson.D{{Key: "$gte", Value: lo}, {Key: "$lte", Value: hi}}}}}
}

// PlainField is a field stored without encryption: every comparison works
// on it.
type PlainField[V any] struct{ RangeField[V] }

// Plain declares an unencrypted field at path in collection.
func Plain[V any](collection, path string) PlainField[V] {
	return PlainField[V]{Range[V](collection, path)}
}

// textField is what the text kinds share: input is "$path", made and boxed
// once per field rather than once per query.
type textField struct {
	collection string
	input      any
}

func newTextField(collection, path string) textField {
	return textField{collection: collection, input: "$" + path}
}

// search builds {$expr: {op: {input: "$path", arg: value}}}, the only form
// in which the server answers text queries on encrypted strings.
func (f textField) search(op, arg, value string) Filter {
	return Filter{collection: f.collection, doc: bson.D{{Key: "$expr", Value: bson.D{{Key: op, Value: bson.D{
		{Key: "input", Value: f.input},
		{Key: arg, Value: value},
	}}}}}}
}

// PrefixField is a string field encrypted for prefix queries.
type PrefixField struct{ f textField }

// Prefix declares a prefix-queryable field at path in collection.
func Prefix(collection, path string) PrefixField { return PrefixField{newTextField(collection, path)} }

// StartsWith matches documents whose field starts with prefix.
func (f PrefixField) StartsWith(prefix string) Filter {
	return f.f.search("$encStrStartsWith", "prefix", prefix)
}

// SuffixField is a string field encrypted for suffix queries.
type SuffixField struct{ f textField }

// Suffix declares a suffix-queryable field at path in collection.
func Suffix(collection, path string) SuffixField { return SuffixField{newTextField(collection, path)} }

// EndsWith matches documents whose field ends with suffix.
func (f SuffixField) EndsWith(suffix string) Filter {
	return f.f.search("$encStrEndsWith", "suffix", suffix)
}

// PrefixSuffixField is a string field encrypted for prefix and suffix
// queries.
type PrefixSuffixField struct {
	PrefixField
	SuffixField
}

// PrefixSuffix declares a field queryable by prefix and suffix.
func PrefixSuffix(collection, path string) PrefixSuffixField {
	return PrefixSuffixField{Prefix(collection, path), Suffix(collection, path)}
}

// SubstringField is a string field encrypted for substring queries.
type SubstringField struct{ f textField }

// Substring declares a substring-queryable field at path in collection.
func Substring(collection, path string) SubstringField {
	return SubstringField{newTextField(collection, path)}
}

// Contains matches documents whose field contains substring.
func (f SubstringField) Contains(substring string) Filter {
	return f.f.search("$encStrContains", "substring", substring)
}

// String shows the filter's shape with every value redacted, so that a
// filter that reaches a log never shows what it compares encrypted fields
// with.
func (f Filter) String() string {
	var b strings.Builder
	writeRedacted(&b, f.Document())
	return b.String()
}

// GoString keeps %#v from printing the values.
func (f Filter) GoString() string { return f.String() }

func writeRedacted(b *strings.Builder, v any) {
	switch v := v.(type) {
	case bson.D:
		b.WriteString("{")
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(e.Key + ": ")
			if e.Key == "input" { // the "$path" of a text search, not a value
				fmt.Fprintf(b, "%q", e.Value)
				continue
			}
			writeRedacted(b, e.Value)
		}
		b.WriteString("}")
	case bson.A:
		b.WriteString("[")
		for i, item := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRedacted(b, item)
		}
		b.WriteString("]")
	default:
		b.WriteString("?")
	}
}
