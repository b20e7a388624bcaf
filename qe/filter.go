package qe

import (
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Filter is a query filter on one collection, built from the typed fields
// generated code hands out (XWhere), whose methods offer only the
// predicates the server can answer on a Queryable Encryption collection.
// A Filter is a small tree of those predicates; it becomes a BSON document
// only when it is sent: as it is for a client that encrypts automatically,
// or with every compared value encrypted in explicit mode (Explicit walks
// the tree, it does not guess from a document's shape).
//
// A Filter does not marshal itself when it compares an encrypted field:
// the document would hold the plaintext. Use it through a repository, or
// render it with Explicit.Filter (explicit mode) or ForAutomaticEncryption
// (a client with automatic encryption). A filter remembers its collection:
// repositories refuse one built for another.
type Filter struct {
	op    op
	field *fieldRef // the field of a comparison; nil for logical nodes
	value any       // the compared value: V, or []any for $in and $nin
	hi    any       // the upper bound of between
	kids  []Filter  // the operands of and, or, nor and not
}

// op is what one node of a filter does.
type op uint8

const (
	opEverything op = iota // matches every document; the zero Filter
	opEq
	opNe
	opIn
	opNin
	opExists
	opLt
	opLte
	opGt
	opGte
	opBetween // value <= field <= hi
	opStartsWith
	opEndsWith
	opContains
	opRegex       // value is a bson.Regex
	opContainsAll // $all: the array holds every value
	opSize        // $size: the array's length
	opAnd
	opOr
	opNor
	opNot
)

// operator is the query operator of a comparison.
var operator = [...]string{
	opEq: "$eq", opNe: "$ne", opIn: "$in", opNin: "$nin", opExists: "$exists",
	opLt: "$lt", opLte: "$lte", opGt: "$gt", opGte: "$gte",
	opRegex: "$regex", opContainsAll: "$all", opSize: "$size",
	opAnd: "$and", opOr: "$or", opNor: "$nor", opNot: "$not",
}

// textSearch is the $expr operator and its argument for the text ops.
var textSearch = [...][2]string{
	opStartsWith: {"$encStrStartsWith", "prefix"},
	opEndsWith:   {"$encStrEndsWith", "suffix"},
	opContains:   {"$encStrContains", "substring"},
	opNot:        {}, // sizes the array to every op
}

// All matches every document.
func All() Filter { return Filter{} }

// And matches documents that match every filter.
func And(filters ...Filter) Filter { return Filter{op: opAnd, kids: filters} }

// Or matches documents that match at least one filter.
func Or(filters ...Filter) Filter { return Filter{op: opOr, kids: filters} }

// Nor matches documents that match none of the filters.
func Nor(filters ...Filter) Filter { return Filter{op: opNor, kids: filters} }

// Not matches documents that f does not match.
func Not(f Filter) Filter { return Filter{op: opNot, kids: []Filter{f}} }

// compare is a comparison of field f. It and its kin (between, update,
// sortKey) are not inlined: every field type's methods call them, and
// inlined they made each generic instantiation, compiled in every package
// that uses it, a third more costly.
//
//go:noinline
func compare(f *fieldRef, o op, value any) Filter {
	return Filter{op: o, field: filled(f), value: value}
}

// between is lo <= f <= hi.
//
//go:noinline
func between(f *fieldRef, lo, hi any) Filter {
	return Filter{op: opBetween, field: filled(f), value: lo, hi: hi}
}

// check reports why the filter cannot be used on collection: a field of
// another collection, or a field whose generated description is wrong.
func (f *Filter) check(collection string) error {
	if f.field != nil {
		if err := f.fieldErr(); err != nil {
			return err
		}
		if f.field.collection != collection {
			return fmt.Errorf("qe: a filter on %s of collection %s was used on collection %s", f.field.path, f.field.collection, collection)
		}
	}
	for i := range f.kids {
		if err := f.kids[i].check(collection); err != nil {
			return err
		}
	}
	return nil
}

// collections lists the collections whose fields f compares.
func (f *Filter) collections(seen map[string]bool) {
	if f.field != nil {
		seen[f.field.collection] = true
	}
	for i := range f.kids {
		f.kids[i].collections(seen)
	}
}

// encrypted reports whether f compares an encrypted field.
func (f *Filter) encrypted() bool {
	if f.field != nil && f.field.kind != plainKind {
		return true
	}
	for i := range f.kids {
		if f.kids[i].encrypted() {
			return true
		}
	}
	return false
}

// ErrPlaintextFilter is returned when a filter that compares an encrypted
// field would be marshaled, which would send its values in plaintext.
var ErrPlaintextFilter = errors.New("qe: this filter compares an encrypted field, and marshaling it would write the value in plaintext: " +
	"use it through a repository, or render it with Explicit.Filter (explicit mode) or Filter.ForAutomaticEncryption (a client with automatic encryption)")

// MarshalBSON lets a filter on unencrypted fields only be passed to any
// driver method. A filter that compares an encrypted field fails with
// ErrPlaintextFilter instead of marshaling its plaintext.
func (f Filter) MarshalBSON() ([]byte, error) {
	if err := f.broken(); err != nil {
		return nil, err
	}
	if f.encrypted() {
		return nil, ErrPlaintextFilter
	}
	if err := f.mixed(); err != nil {
		return nil, err
	}
	return bson.Marshal(f.render())
}

// broken returns the error of the first field f compares that generated
// code did not fill, or described otherwise than the spec.
func (f *Filter) broken() error {
	if err := f.fieldErr(); err != nil {
		return err
	}
	for i := range f.kids {
		if err := f.kids[i].broken(); err != nil {
			return err
		}
	}
	return nil
}

// fieldErr is the error of the field f compares, if any: one generated
// code did not fill or described otherwise than the spec, or an operator
// the field's kind does not have (a field type cast from another).
func (f *Filter) fieldErr() error {
	switch {
	case f.field == nil:
		return nil
	case f.field.err != nil:
		return f.field.err
	case !opFits(f.field.kind, f.op):
		return fmt.Errorf("qe: a filter uses an operator on %s that the server cannot answer on it as it is stored", f.field.path)
	}
	return nil
}

// opFits reports whether the server answers o on a field stored as k. The
// field types offer only those, so a mismatch is a field type cast from
// another.
func opFits(k fieldKind, o op) bool {
	switch o {
	case opEq, opNe, opIn, opNin, opExists:
		return k == plainKind || k == equalityKind || k == rangeKind
	case opLt, opLte, opGt, opGte, opBetween:
		return k == plainKind || k == rangeKind
	case opStartsWith:
		return k == prefixKind || k == prefixSuffixKind
	case opEndsWith:
		return k == suffixKind || k == prefixSuffixKind
	case opContains:
		return k == substringKind
	case opRegex, opContainsAll, opSize:
		return k == plainKind
	}
	return true
}

// mixed fails when f compares fields of several collections.
func (f *Filter) mixed() error {
	first := f.firstCollection()
	if f.sameCollection(first) {
		return nil
	}
	seen := map[string]bool{}
	f.collections(seen)
	names := make([]string, 0, len(seen))
	for name := range seen {
		names = append(names, name)
	}
	return fmt.Errorf("qe: a filter mixes fields of collections %s", strings.Join(sortedStrings(names), " and "))
}

// firstCollection is the collection of f's first field, "" for none.
func (f *Filter) firstCollection() string {
	if f.field != nil {
		return f.field.collection
	}
	for i := range f.kids {
		if c := f.kids[i].firstCollection(); c != "" {
			return c
		}
	}
	return ""
}

// sameCollection reports whether every field f compares is of collection.
func (f *Filter) sameCollection(collection string) bool {
	if f.field != nil && f.field.collection != collection {
		return false
	}
	for i := range f.kids {
		if !f.kids[i].sameCollection(collection) {
			return false
		}
	}
	return true
}

// ForAutomaticEncryption renders the filter for a client with automatic
// encryption, which encrypts the compared values itself. The document
// holds them in plaintext: never send it through a client in explicit
// mode, or without encryption.
func (f Filter) ForAutomaticEncryption() (bson.D, error) {
	if err := f.broken(); err != nil {
		return nil, err
	}
	if err := f.mixed(); err != nil {
		return nil, err
	}
	return f.render(), nil
}

// render is the filter as a careful person writes it by hand: {path: v}
// for equality, both bounds of a range in one document, {path: {$not:
// ...}} for the negation of one comparison.
func (f *Filter) render() bson.D {
	switch f.op {
	case opEverything:
		return bson.D{}
	case opAnd, opOr, opNor:
		list := make(bson.A, len(f.kids))
		for i := range f.kids {
			list[i] = f.kids[i].render()
		}
		return bson.D{{Key: operator[f.op], Value: list}}
	case opNot:
		k := &f.kids[0]
		switch {
		case k.field == nil || k.op == opExists || k.op == opBetween || textSearch[k.op] != [2]string{}:
			return bson.D{{Key: "$nor", Value: bson.A{k.render()}}}
		case k.op == opEq && !k.field.regex:
			return bson.D{{Key: k.field.path, Value: bson.D{{Key: "$ne", Value: k.value}}}}
		}
		return bson.D{{Key: k.field.path, Value: bson.D{{Key: "$not", Value: k.condition()}}}}
	case opStartsWith, opEndsWith, opContains:
		return f.textSearch(f.value)
	case opEq:
		if !f.field.regex {
			return bson.D{{Key: f.field.path, Value: f.value}}
		}
	case opRegex:
		return bson.D{{Key: f.field.path, Value: f.value}} // {path: /pattern/options}
	}
	return bson.D{{Key: f.field.path, Value: f.condition()}}
}

// condition is the {op: value} document of a comparison.
func (f *Filter) condition() bson.D {
	if f.op == opBetween {
		return bson.D{{Key: "$gte", Value: f.value}, {Key: "$lte", Value: f.hi}}
	}
	return bson.D{{Key: operator[f.op], Value: f.value}}
}

// textSearch is {$expr: {op: {input: "$path", arg: value}}}, the only form
// in which the server answers text queries on encrypted strings.
func (f *Filter) textSearch(value any) bson.D {
	search := textSearch[f.op]
	return bson.D{{Key: "$expr", Value: bson.D{{Key: search[0], Value: bson.D{
		{Key: "input", Value: f.field.input},
		{Key: search[1], Value: value},
	}}}}}
}

// String shows the filter's shape with every compared value replaced by
// ?, so that a filter that reaches a log never shows what it compares an
// encrypted field with. Paths are shown: they are the model's, not data.
func (f Filter) String() string {
	var b strings.Builder
	f.writeRedacted(&b)
	return b.String()
}

// GoString keeps %#v from printing the values.
func (f Filter) GoString() string { return f.String() }

func (f *Filter) writeRedacted(b *strings.Builder) {
	switch f.op {
	case opEverything:
		b.WriteString("{}")
	case opAnd, opOr, opNor, opNot:
		b.WriteString("{" + operator[f.op] + ": [")
		for i, k := range f.kids {
			if i > 0 {
				b.WriteString(", ")
			}
			k.writeRedacted(b)
		}
		b.WriteString("]}")
	case opStartsWith, opEndsWith, opContains:
		search := textSearch[f.op]
		fmt.Fprintf(b, "{$expr: {%s: {input: %q, %s: ?}}}", search[0], "$"+f.field.path, search[1])
	case opBetween:
		fmt.Fprintf(b, "{%s: {$gte: ?, $lte: ?}}", f.field.path)
	case opIn, opNin, opContainsAll:
		values, _ := f.value.([]any)
		fmt.Fprintf(b, "{%s: {%s: [%s]}}", f.field.path, operator[f.op], strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", "))
	default:
		fmt.Fprintf(b, "{%s: {%s: ?}}", f.field.path, operator[f.op])
	}
}

func list[V any](values []V) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}
