package qe

import (
	"context"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"

	"github.com/qegen/qegen/schema"
)

// Explicit turns documents and filters of one collection into their
// encrypted form for explicit mode: a client with BypassQueryAnalysis does
// no query analysis, so every value of an encrypted path must be encrypted
// before it is sent. Whatever it cannot prove encrypted, it refuses.
type Explicit struct {
	enc    Encrypter
	spec   CollectionSpec
	fields map[string]*encryptedField // by path
	root   *pathNode                  // the same, as a tree of document keys
}

// encryptedField is one encrypted field with its encryption options worked
// out once, so that encrypting a value allocates nothing of its own.
type encryptedField struct {
	schema.Field
	insert  EncryptOptions
	queries map[schema.Kind]*EncryptOptions
}

// pathNode is one document key on the way to encrypted paths.
type pathNode struct {
	field    *encryptedField // set when the path ends here
	children map[string]*pathNode
}

// versioned is an Encrypter backed by a libmongocrypt of this version.
type versioned interface{ libmongocryptVersion() string }

// NewExplicit reads the collection's encryptedFields; keys are found by
// their alt names in database (see KeyAltName). With NewClientEncrypter it
// fails unless the linked libmongocrypt can encrypt every field.
func NewExplicit(enc Encrypter, database string, spec CollectionSpec) (*Explicit, error) {
	if spec.err != nil {
		return nil, spec.err
	}
	if v, ok := enc.(versioned); ok {
		if err := checkLibmongocrypt(v.libmongocryptVersion(), spec); err != nil {
			return nil, err
		}
	}
	x := &Explicit{enc: enc, spec: spec.Clone(), fields: map[string]*encryptedField{}, root: &pathNode{}}
	for _, f := range x.spec.EncryptedFields.Fields {
		info := &encryptedField{Field: f, insert: insertOptions(KeyAltName(database, spec.Name, f.Path), f), queries: map[schema.Kind]*EncryptOptions{}}
		for _, q := range f.Queries {
			o := info.insert
			o.QueryType = q.Type
			info.queries[q.Kind()] = &o
		}
		x.fields[f.Path] = info
		node := x.root
		for _, key := range strings.Split(f.Path, ".") {
			if node.children == nil {
				node.children = map[string]*pathNode{}
			}
			next := node.children[key]
			if next == nil {
				next = &pathNode{}
				node.children[key] = next
			}
			node = next
		}
		node.field = info
	}
	return x, nil
}

// insertOptions are the options for storing a value of f.
func insertOptions(keyAltName string, f schema.Field) EncryptOptions {
	o := EncryptOptions{KeyAltName: keyAltName, Algorithm: f.Algorithm()}
	if len(f.Queries) == 0 {
		return o
	}
	q := f.Queries[0]
	o.Contention = q.Contention
	if q.Range != nil {
		r := *q.Range
		if r.Min.Type == 0 {
			// libmongocrypt's explicit path needs bounds; the type's whole
			// domain encodes exactly like none.
			r.Min, r.Max, _ = schema.FullDomain(f.BSONType)
		}
		o.Range = &r
	}
	if q.Text != nil {
		o.Text = q.Text
		for _, q := range f.Queries {
			o.TextKinds = append(o.TextKinds, q.Kind())
		}
	}
	return o
}

// Document marshals doc and encrypts the value of every encrypted path in
// it, with the algorithm and options of its field. The result is the
// marshaled document with those values replaced by their ciphertexts.
func (x *Explicit) Document(ctx context.Context, doc any) (bson.Raw, error) {
	raw, err := bson.Marshal(doc)
	if err != nil {
		return nil, err
	}
	out, err := x.appendEncrypted(ctx, make([]byte, 0, len(raw)+len(x.fields)*64), raw, x.root, "")
	return bson.Raw(out), err
}

// appendEncrypted copies the document raw to dst, encrypting the values
// at the paths below node and copying everything else byte for byte.
func (x *Explicit) appendEncrypted(ctx context.Context, dst []byte, raw []byte, node *pathNode, at string) ([]byte, error) {
	start, dst := bsoncore.AppendDocumentStart(dst)
	elems := raw[4 : len(raw)-1]
	for len(elems) > 0 {
		elem, rest, ok := bsoncore.ReadElement(elems)
		if !ok {
			return nil, fmt.Errorf("qe: malformed BSON document")
		}
		elems = rest
		key := string(elem.KeyBytes())
		child := node.children[key]
		if child == nil {
			if strings.ContainsRune(key, '.') {
				if err := x.checkDottedKey(join(at, key)); err != nil {
					return nil, err
				}
			}
			dst = append(dst, elem...)
			continue
		}
		v := elem.Value()
		if child.field != nil {
			value := bson.RawValue{Type: bson.Type(v.Type), Value: v.Data}
			if err := child.field.check(value); err != nil {
				return nil, err
			}
			ct, err := x.enc.Encrypt(ctx, value, child.field.insert)
			if err != nil {
				return nil, fmt.Errorf("qe: encrypting %s: %w", child.field.Path, err)
			}
			dst = bsoncore.AppendHeader(dst, bsoncore.TypeBinary, key)
			dst = bsoncore.AppendBinary(dst, ct.Subtype, ct.Data)
			continue
		}
		switch v.Type {
		case bsoncore.TypeEmbeddedDocument:
			dst = bsoncore.AppendHeader(dst, bsoncore.TypeEmbeddedDocument, key)
			var err error
			if dst, err = x.appendEncrypted(ctx, dst, v.Data, child, join(at, key)); err != nil {
				return nil, err
			}
		case bsoncore.TypeArray:
			// The server cannot encrypt fields inside arrays, and a value
			// there would be stored in clear.
			return nil, fmt.Errorf("qe: %s is an array, and it holds encrypted paths (%s): the server cannot encrypt inside arrays", join(at, key), x.below(child))
		default:
			dst = append(dst, elem...) // no document here, so no encrypted value either
		}
	}
	return bsoncore.AppendDocumentEnd(dst, start)
}

// checkDottedKey refuses a key with dots that names an encrypted path or
// one around it: the value would bypass encryption.
func (x *Explicit) checkDottedKey(path string) error {
	if f, related := x.spec.lookup(path); f != nil || related != nil {
		return fmt.Errorf("qe: the document has a key %q with dots, which spells out an encrypted path: nest the value in documents instead", path)
	}
	return nil
}

// below names the encrypted paths under node.
func (x *Explicit) below(node *pathNode) string {
	var paths []string
	var walk func(*pathNode)
	walk = func(n *pathNode) {
		if n.field != nil {
			paths = append(paths, n.field.Path)
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(node)
	return strings.Join(sortedStrings(paths), ", ")
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

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
	case opAll:
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
	field, err := x.fieldOf(f)
	if err != nil || field == nil {
		return f.render(), err // not encrypted: as it is
	}
	if f.op == opExists {
		return f.render(), nil // names the path, compares no value
	}
	switch {
	case field.Has(schema.Range):
		return x.rangeComparison(ctx, field, f)
	case field.Has(schema.Equality):
		return x.equalityComparison(ctx, field, f)
	case textSearch[f.op] != [2]string{}:
		kind := map[op]schema.Kind{opStartsWith: schema.Prefix, opEndsWith: schema.Suffix, opContains: schema.Substring}[f.op]
		ct, err := x.encryptQuery(ctx, field, kind, f.value)
		if err != nil {
			return nil, err
		}
		return f.textSearch(ct), nil
	}
	return nil, fmt.Errorf("qe: %s cannot be compared with %s: it is encrypted for %v queries", field.Path, operator[f.op], field.Kinds())
}

// fieldOf returns the encrypted field a comparison is on, nil for an
// unencrypted one, and an error when the comparison's field type does not
// fit the collection (a path inside or above an encrypted one, or a kind
// other than the spec's).
func (x *Explicit) fieldOf(f Filter) (*encryptedField, error) {
	path := f.field.path
	spec, related := x.spec.lookup(path)
	switch {
	case related != nil:
		return nil, fmt.Errorf("qe: a filter compares %s, which is inside or above encrypted %s: compare the encrypted field itself, or nothing in it", path, related.Path)
	case spec == nil && f.field.kind != plainKind:
		return nil, fmt.Errorf("qe: a filter treats %s as encrypted, and the collection stores it in clear: run go generate", path)
	case spec == nil:
		return nil, nil
	case f.field.kind != fieldKindOf(*spec):
		return nil, fmt.Errorf("qe: a filter compares encrypted %s with a field type for another kind than %v: run go generate", path, spec.Kinds())
	}
	return x.fields[path], nil
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
	field, err := x.fieldOf(filters[0])
	if err != nil || field == nil || !field.Has(schema.Range) || lower > 1 || upper > 1 {
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
		return nil, fmt.Errorf("qe: encrypting a range on %s: %w", field.Path, err)
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
		return bson.Binary{}, fmt.Errorf("qe: encrypting a %s query on %s: %w", kind, field.Path, err)
	}
	return ct, nil
}

// marshal encodes a value compared with f, checking that it can be
// encrypted for it.
func (f *encryptedField) marshal(v any) (bson.RawValue, error) {
	if v == nil {
		return bson.RawValue{}, fmt.Errorf("qe: a filter compares encrypted %s with nil, and null cannot be encrypted: compare with a value, or use Exists(false)", f.Path)
	}
	t, data, err := bson.MarshalValue(v)
	if err != nil {
		return bson.RawValue{}, fmt.Errorf("qe: encoding a value for encrypted %s: %w", f.Path, err)
	}
	value := bson.RawValue{Type: t, Value: data}
	return value, f.check(value)
}

// check refuses a value that libmongocrypt would refuse or, worse, that
// the server could not match: null, or a BSON type other than the field's.
func (f *encryptedField) check(v bson.RawValue) error {
	if v.Type == bson.TypeNull || v.Type == bson.TypeUndefined {
		return fmt.Errorf("qe: %s is null, and null cannot be encrypted: give it a value, or leave it out of the document (omitempty)", f.Path)
	}
	if want := f.BSONType.Type(); want != 0 && v.Type != want {
		return fmt.Errorf("qe: %s holds a BSON %s, and the collection encrypts it as %s: use a Go value of the field's type", f.Path, v.Type, f.BSONType)
	}
	return nil
}
