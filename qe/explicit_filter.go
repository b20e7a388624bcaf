package qe

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/schema"
)

// Filter encrypts every value that filter compares with an encrypted
// field; ranges become encrypted expressions. It walks the filter's
// predicates, so a comparison it does not know how to encrypt is an error,
// never sent as it is.
func (x *Explicit) Filter(ctx context.Context, filter Filter) (bson.D, error) {
	if err := filter.check(x.spec.Name); err != nil {
		return nil, err
	}
	return x.filter(ctx, filter)
}

func (x *Explicit) filter(ctx context.Context, f Filter) (bson.D, error) {
	switch f.op {
	case opEverything:
		return bson.D{}, nil
	case opAnd, opOr, opNor:
		if f.op == opAnd {
			if field, ok := x.boundsOfOneRange(f.kids); ok {
				return x.rangeExpression(ctx, field, f.kids...)
			}
		}
		list := make(bson.A, len(f.kids))
		for i, k := range f.kids {
			d, err := x.filter(ctx, k)
			if err != nil {
				return nil, err
			}
			list[i] = d
		}
		return bson.D{{Key: operator[f.op], Value: list}}, nil
	case opNot:
		d, err := x.filter(ctx, f.kids[0])
		if err != nil {
			return nil, err
		}
		return bson.D{{Key: "$nor", Value: bson.A{d}}}, nil
	}
	field, err := x.fieldOf(f.field, "a filter on")
	if err != nil || field == nil {
		return f.render(), err // not encrypted: as it is
	}
	if f.op == opExists {
		return f.render(), nil // names the path, compares no value
	}
	switch {
	case field.kind == rangeKind:
		return x.rangeComparison(ctx, field, f)
	case field.kind == equalityKind:
		return x.equalityComparison(ctx, field, f)
	case textSearch[f.op] != [2]string{}:
		kind := schema.Substring
		switch f.op {
		case opStartsWith:
			kind = schema.Prefix
		case opEndsWith:
			kind = schema.Suffix
		}
		ct, err := x.encryptQuery(ctx, field, kind, f.value)
		if err != nil {
			return nil, err
		}
		return f.textSearch(ct), nil
	}
	return nil, fmt.Errorf("qe: %s cannot be compared with %s: it is encrypted for %v queries", field.Path, operator[f.op], field.Kinds())
}

// fieldOf returns the encrypted field ref describes, nil for an
// unencrypted one, and an error when ref's field type does not fit the
// collection (a path inside or above an encrypted one, or a kind other
// than the spec's). use says what uses it: "a filter on", "an update of".
func (x *Explicit) fieldOf(ref *fieldRef, use string) (*encryptedField, error) {
	path := ref.path
	if field := x.fields[path]; field != nil {
		if ref.kind != field.kind {
			return nil, fmt.Errorf("qe: %s encrypted %s uses a field type for another kind than %v: run go generate", use, path, field.Kinds())
		}
		return field, nil
	}
	_, related := x.spec.lookup(path)
	switch {
	case related != nil:
		return nil, fmt.Errorf("qe: %s %s: it is inside or above encrypted %s; use the encrypted field itself, or nothing in it", use, path, related.Path)
	case ref.kind != plainKind:
		return nil, fmt.Errorf("qe: %s %s treats it as encrypted, and the collection stores it in clear: run go generate", use, path)
	}
	return nil, nil
}

// equalityComparison encrypts the values of one comparison on an equality
// field.
func (x *Explicit) equalityComparison(ctx context.Context, field *encryptedField, f Filter) (bson.D, error) {
	switch f.op {
	case opEq:
		ct, err := x.encryptQuery(ctx, field, schema.Equality, f.value)
		return bson.D{{Key: field.Path, Value: ct}}, err
	case opNe:
		ct, err := x.encryptQuery(ctx, field, schema.Equality, f.value)
		return bson.D{{Key: field.Path, Value: bson.D{{Key: "$ne", Value: ct}}}}, err
	case opIn, opNin:
		values := f.value.([]any)
		cts := make(bson.A, len(values))
		for i, v := range values {
			ct, err := x.encryptQuery(ctx, field, schema.Equality, v)
			if err != nil {
				return nil, err
			}
			cts[i] = ct
		}
		return bson.D{{Key: field.Path, Value: bson.D{{Key: operator[f.op], Value: cts}}}}, nil
	}
	return nil, fmt.Errorf("qe: %s is not supported on encrypted %s, an equality field", operator[f.op], field.Path)
}

// rangeComparison encrypts one comparison on a range field: bounds go
// through EncryptExpression, equality becomes a range of one value.
func (x *Explicit) rangeComparison(ctx context.Context, field *encryptedField, f Filter) (bson.D, error) {
	point := func(v any) (bson.D, error) {
		return x.rangeExpression(ctx, field, compare(f.field, opGte, v), compare(f.field, opLte, v))
	}
	switch f.op {
	case opLt, opLte, opGt, opGte:
		return x.rangeExpression(ctx, field, f)
	case opBetween:
		return x.rangeExpression(ctx, field, compare(f.field, opGte, f.value), compare(f.field, opLte, f.hi))
	case opEq:
		return point(f.value)
	case opNe:
		p, err := point(f.value)
		return bson.D{{Key: "$nor", Value: bson.A{p}}}, err
	case opIn, opNin:
		values := f.value.([]any)
		if len(values) == 0 {
			if f.op == opNin {
				return bson.D{}, nil // excludes nothing
			}
			return nil, fmt.Errorf("qe: In on encrypted %s, a range field, needs at least one value", field.Path)
		}
		alternatives := make(bson.A, len(values))
		for i, v := range values {
			p, err := point(v)
			if err != nil {
				return nil, err
			}
			alternatives[i] = p
		}
		if f.op == opIn {
			return bson.D{{Key: "$or", Value: alternatives}}, nil
		}
		return bson.D{{Key: "$nor", Value: alternatives}}, nil
	}
	return nil, fmt.Errorf("qe: %s is not supported on encrypted %s, a range field", operator[f.op], field.Path)
}

// boundsOfOneRange reports whether filters are one lower and at most one
// upper bound (or the reverse) on a single encrypted range field, which
// libmongocrypt encrypts as one expression.
func (x *Explicit) boundsOfOneRange(filters []Filter) (*encryptedField, bool) {
	if len(filters) == 0 || len(filters) > 2 {
		return nil, false
	}
	lower, upper := 0, 0
	for _, f := range filters {
		switch {
		case f.field == nil || f.field != filters[0].field:
			return nil, false
		case f.op == opGt || f.op == opGte:
			lower++
		case f.op == opLt || f.op == opLte:
			upper++
		default:
			return nil, false
		}
	}
	field, err := x.fieldOf(filters[0].field, "a filter on")
	if err != nil || field == nil || field.kind != rangeKind || lower > 1 || upper > 1 {
		return nil, false
	}
	return field, true
}

// rangeExpression encrypts {$and: [bounds...]} as one expression, as
// libmongocrypt takes it: {$and: [{path: {$gt|$gte: v}}, {path: {$lt|$lte: v}}]}.
func (x *Explicit) rangeExpression(ctx context.Context, field *encryptedField, bounds ...Filter) (bson.D, error) {
	o := field.queries[schema.Range]
	list := make(bson.A, len(bounds))
	for i, b := range bounds {
		if _, err := field.marshal(b.value); err != nil {
			return nil, err
		}
		list[i] = bson.D{{Key: field.Path, Value: bson.D{{Key: operator[b.op], Value: b.value}}}}
	}
	out, err := x.enc.EncryptExpression(ctx, bson.D{{Key: "$and", Value: list}}, *o)
	if err != nil {
		return nil, withhold("encrypting a range on "+field.Path, err)
	}
	return out, nil
}

// encryptQuery encrypts a value compared with field by a query of kind.
func (x *Explicit) encryptQuery(ctx context.Context, field *encryptedField, kind schema.Kind, v any) (bson.Binary, error) {
	o := field.queries[kind]
	if o == nil {
		return bson.Binary{}, fmt.Errorf("qe: %s is not encrypted for %s queries", field.Path, kind)
	}
	value, err := field.marshal(v)
	if err != nil {
		return bson.Binary{}, err
	}
	ct, err := x.enc.Encrypt(ctx, value, *o)
	if err != nil {
		return bson.Binary{}, withhold(fmt.Sprintf("encrypting a %s query on %s", kind, field.Path), err)
	}
	return ct, nil
}
