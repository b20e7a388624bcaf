package qe

import (
	"context"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// Explicit turns documents and filters of one collection into their
// encrypted form, field by field, for explicit mode: a client with
// BypassQueryAnalysis does no query analysis, so every value of an
// encrypted path must be encrypted before it is sent.
type Explicit struct {
	enc    Encrypter
	fields map[string]*fieldInfo // by path
	root   *pathNode             // the same, as a tree of document keys
}

// fieldInfo is one encrypted field with its encryption options worked out
// once, so that encrypting a value allocates nothing of its own.
type fieldInfo struct {
	fieldSpec
	isRange bool // range fields need EncryptExpression for bounds
	insert  EncryptOptions
	queries []queryOptions // one per query kind of the field
}

type queryOptions struct {
	kind string // equality, range, prefix, suffix or substring
	opts EncryptOptions
}

// pathNode is one document key on the way to encrypted paths.
type pathNode struct {
	field    *fieldInfo // set when the path ends here
	children map[string]*pathNode
}

// versioned is an Encrypter backed by a libmongocrypt of this version.
type versioned interface{ libmongocryptVersion() string }

// NewExplicit reads the collection's encryptedFields; keys are found by
// their alt names in database (see KeyAltName). With NewClientEncrypter it
// fails unless the linked libmongocrypt can encrypt every field.
func NewExplicit(enc Encrypter, database string, spec CollectionSpec) (*Explicit, error) {
	if v, ok := enc.(versioned); ok {
		if err := checkLibmongocrypt(v.libmongocryptVersion(), spec); err != nil {
			return nil, err
		}
	}
	fields, err := parseFields(spec.EncryptedFields)
	if err != nil {
		return nil, err
	}
	x := &Explicit{enc: enc, fields: map[string]*fieldInfo{}, root: &pathNode{}}
	for _, f := range fields {
		for i := range f.Queries {
			f.Queries[i] = withDomain(f.BSONType, f.Queries[i])
		}
		info := &fieldInfo{fieldSpec: f, isRange: f.kind() == "range"}
		info.insert = insertOptions(KeyAltName(database, spec.Name, f.Path), f)
		for _, q := range f.Queries {
			o := info.insert
			o.QueryType, o.Query = q.Type, q
			info.queries = append(info.queries, queryOptions{kind: strings.TrimSuffix(q.Type, "Preview"), opts: o})
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
func insertOptions(keyAltName string, f fieldSpec) EncryptOptions {
	o := EncryptOptions{KeyAltName: keyAltName}
	switch f.kind() {
	case "unindexed":
		o.Algorithm = "Unindexed"
		return o
	case "equality":
		o.Algorithm = "Indexed"
	case "range":
		o.Algorithm = "Range"
	default:
		o.Algorithm = "String"
	}
	o.Contention = f.Queries[0].Contention
	o.Query = f.Queries[0]
	for _, q := range f.Queries {
		o.Kinds = append(o.Kinds, q.Type)
	}
	return o
}

// queryOptions are the options for a query value of f of the given kind.
func (x *Explicit) queryOptions(f *fieldInfo, kind string) (*EncryptOptions, error) {
	for i := range f.queries {
		if f.queries[i].kind == kind {
			return &f.queries[i].opts, nil
		}
	}
	return nil, fmt.Errorf("qe: %s is not encrypted for %s queries", f.Path, kind)
}

// Document marshals doc and encrypts the value of every encrypted path in
// it, with the algorithm and options of its field. The result is the
// marshaled document with those values replaced by their ciphertexts.
func (x *Explicit) Document(ctx context.Context, doc any) (bson.Raw, error) {
	raw, err := bson.Marshal(doc)
	if err != nil {
		return nil, err
	}
	out, err := x.appendEncrypted(ctx, make([]byte, 0, len(raw)+len(x.fields)*64), raw, x.root)
	return bson.Raw(out), err
}

// appendEncrypted copies the document raw to dst, encrypting the values
// at the paths below node and copying everything else byte for byte.
func (x *Explicit) appendEncrypted(ctx context.Context, dst []byte, raw []byte, node *pathNode) ([]byte, error) {
	start, dst := bsoncore.AppendDocumentStart(dst)
	elems := raw[4 : len(raw)-1]
	for len(elems) > 0 {
		elem, rest, ok := bsoncore.ReadElement(elems)
		if !ok {
			return nil, fmt.Errorf("qe: malformed BSON document")
		}
		elems = rest
		child := node.children[string(elem.KeyBytes())]
		switch {
		case child == nil:
			dst = append(dst, elem...)
		case child.field != nil:
			v := elem.Value()
			value := bson.RawValue{Type: bson.Type(v.Type), Value: v.Data}
			if err := child.field.check(value); err != nil {
				return nil, err
			}
			ct, err := x.enc.Encrypt(ctx, value, child.field.insert)
			if err != nil {
				return nil, fmt.Errorf("qe: encrypting %s: %w", child.field.Path, err)
			}
			dst = bsoncore.AppendHeader(dst, bsoncore.TypeBinary, string(elem.KeyBytes()))
			dst = bsoncore.AppendBinary(dst, ct.Subtype, ct.Data)
		default:
			v := elem.Value()
			if v.Type != bsoncore.TypeEmbeddedDocument {
				dst = append(dst, elem...)
				continue
			}
			dst = bsoncore.AppendHeader(dst, bsoncore.TypeEmbeddedDocument, string(elem.KeyBytes()))
			var err error
			if dst, err = x.appendEncrypted(ctx, dst, v.Data, child); err != nil {
				return nil, err
			}
		}
	}
	return bsoncore.AppendDocumentEnd(dst, start)
}

// Filter encrypts the values that a filter document, as built by Filter,
// compares with encrypted fields; ranges become encrypted expressions.
func (x *Explicit) Filter(ctx context.Context, doc bson.D) (bson.D, error) {
	out := make(bson.D, 0, len(doc))
	for _, e := range doc {
		enc, err := x.filterElement(ctx, e)
		if err != nil {
			return nil, err
		}
		out = append(out, enc)
	}
	return out, nil
}

func (x *Explicit) filterElement(ctx context.Context, e bson.E) (bson.E, error) {
	switch e.Key {
	case "$and", "$or", "$nor":
		return x.logical(ctx, e)
	case "$expr":
		expr, err := x.textExpr(ctx, e.Value)
		return bson.E{Key: e.Key, Value: expr}, err
	}
	f, encrypted := x.fields[e.Key]
	if !encrypted {
		return e, nil
	}
	// {path: v} is implicit equality: encrypted fields never hold documents.
	cond, isOps := e.Value.(bson.D)
	if !isOps {
		if !f.isRange {
			ct, err := x.encryptQueryValue(ctx, f, "equality", e.Value)
			return bson.E{Key: e.Key, Value: ct}, err
		}
		cond = bson.D{{Key: "$eq", Value: e.Value}}
	}
	if f.isRange && len(cond) <= 2 && allBounds(cond) {
		// {path: {$gte: lo, $lte: hi}}: one expression for both bounds.
		bounds := make(bson.A, len(cond))
		for i, op := range cond {
			bounds[i] = bson.D{{Key: f.Path, Value: bson.D{op}}}
		}
		return x.rangeExpression(ctx, f, bounds)
	}
	if len(cond) != 1 {
		return bson.E{}, fmt.Errorf("qe: unexpected condition on encrypted %s", e.Key)
	}
	if f.isRange {
		return x.rangeCondition(ctx, f, cond[0])
	}
	return x.equalityCondition(ctx, f, e.Key, cond[0])
}

func allBounds(cond bson.D) bool {
	for _, op := range cond {
		if !isBound(op.Key) {
			return false
		}
	}
	return len(cond) > 0
}

// logical transforms $and/$or/$nor. An $and of range comparisons on one
// field (Between) must be encrypted as one expression.
func (x *Explicit) logical(ctx context.Context, e bson.E) (bson.E, error) {
	list, ok := e.Value.(bson.A)
	if !ok {
		return bson.E{}, fmt.Errorf("qe: %s needs an array", e.Key)
	}
	if e.Key == "$and" {
		if f, ok := x.sameRangeField(list); ok {
			return x.rangeExpression(ctx, f, e.Value.(bson.A))
		}
	}
	out := make(bson.A, len(list))
	for i, item := range list {
		d, ok := item.(bson.D)
		if !ok {
			return bson.E{}, fmt.Errorf("qe: %s[%d] is not a document", e.Key, i)
		}
		enc, err := x.Filter(ctx, d)
		if err != nil {
			return bson.E{}, err
		}
		out[i] = enc
	}
	return bson.E{Key: e.Key, Value: out}, nil
}

// sameRangeField reports whether list is one or two bound comparisons on a
// single range-encrypted field.
func (x *Explicit) sameRangeField(list bson.A) (*fieldInfo, bool) {
	var path string
	for _, item := range list {
		d, ok := item.(bson.D)
		if !ok || len(d) != 1 {
			return nil, false
		}
		cond, ok := d[0].Value.(bson.D)
		if !ok || len(cond) != 1 || !isBound(cond[0].Key) || (path != "" && d[0].Key != path) {
			return nil, false
		}
		path = d[0].Key
	}
	f, ok := x.fields[path]
	return f, ok && f.isRange && len(list) > 0 && len(list) <= 2
}

func isBound(op string) bool { return op == "$gt" || op == "$gte" || op == "$lt" || op == "$lte" }

// rangeCondition encrypts one comparison on a range field. Bounds go
// through EncryptExpression; equality becomes a range of one value.
func (x *Explicit) rangeCondition(ctx context.Context, f *fieldInfo, op bson.E) (bson.E, error) {
	bound := func(o string, v any) bson.D { return bson.D{{Key: f.Path, Value: bson.D{{Key: o, Value: v}}}} }
	point := func(v any) (bson.E, error) {
		return x.rangeExpression(ctx, f, bson.A{bound("$gte", v), bound("$lte", v)})
	}
	switch op.Key {
	case "$gt", "$gte", "$lt", "$lte":
		return x.rangeExpression(ctx, f, bson.A{bound(op.Key, op.Value)})
	case "$eq":
		return point(op.Value)
	case "$ne":
		p, err := point(op.Value)
		return bson.E{Key: "$nor", Value: bson.A{bson.D{p}}}, err
	case "$in", "$nin":
		values, err := valueList(f, op)
		if err != nil {
			return bson.E{}, err
		}
		alts := make(bson.A, len(values))
		for i, v := range values {
			p, err := point(v)
			if err != nil {
				return bson.E{}, err
			}
			alts[i] = bson.D{p}
		}
		if op.Key == "$in" {
			return bson.E{Key: "$or", Value: alts}, nil
		}
		return bson.E{Key: "$nor", Value: alts}, nil
	case "$not":
		inner, ok := op.Value.(bson.D)
		if !ok || len(inner) != 1 {
			return bson.E{}, fmt.Errorf("qe: unexpected $not on %s", f.Path)
		}
		enc, err := x.rangeCondition(ctx, f, inner[0])
		return bson.E{Key: "$nor", Value: bson.A{bson.D{enc}}}, err
	case "$exists":
		return bson.E{Key: f.Path, Value: bson.D{op}}, nil
	}
	return bson.E{}, fmt.Errorf("qe: %s is not supported on range field %s", op.Key, f.Path)
}

// rangeExpression encrypts {$and: bounds} as one expression.
func (x *Explicit) rangeExpression(ctx context.Context, f *fieldInfo, bounds bson.A) (bson.E, error) {
	o, err := x.queryOptions(f, "range")
	if err != nil {
		return bson.E{}, err
	}
	for _, b := range bounds {
		if err := f.checkBound(b); err != nil {
			return bson.E{}, err
		}
	}
	out, err := x.enc.EncryptExpression(ctx, bson.D{{Key: "$and", Value: bounds}}, *o)
	if err != nil {
		return bson.E{}, fmt.Errorf("qe: encrypting a range on %s: %w", f.Path, err)
	}
	if len(out) != 1 {
		return bson.E{}, fmt.Errorf("qe: encrypted range on %s has %d keys, want 1", f.Path, len(out))
	}
	return out[0], nil
}

// equalityCondition encrypts the values of one comparison on an equality
// field.
func (x *Explicit) equalityCondition(ctx context.Context, f *fieldInfo, path string, op bson.E) (bson.E, error) {
	wrap := func(v any) bson.E { return bson.E{Key: path, Value: bson.D{{Key: op.Key, Value: v}}} }
	switch op.Key {
	case "$eq", "$ne":
		ct, err := x.encryptQueryValue(ctx, f, "equality", op.Value)
		return wrap(ct), err
	case "$in", "$nin":
		values, err := valueList(f, op)
		if err != nil {
			return bson.E{}, err
		}
		cts := make(bson.A, len(values))
		for i, v := range values {
			ct, err := x.encryptQueryValue(ctx, f, "equality", v)
			if err != nil {
				return bson.E{}, err
			}
			cts[i] = ct
		}
		return wrap(cts), nil
	case "$exists":
		return wrap(op.Value), nil
	case "$not":
		inner, ok := op.Value.(bson.D)
		if !ok || len(inner) != 1 {
			return bson.E{}, fmt.Errorf("qe: unexpected $not on %s", path)
		}
		enc, err := x.equalityCondition(ctx, f, path, inner[0])
		if err != nil {
			return bson.E{}, err
		}
		return wrap(enc.Value), nil
	}
	return bson.E{}, fmt.Errorf("qe: %s is not supported on encrypted field %s", op.Key, path)
}

func (x *Explicit) encryptQueryValue(ctx context.Context, f *fieldInfo, kind string, v any) (bson.Binary, error) {
	o, err := x.queryOptions(f, kind)
	if err != nil {
		return bson.Binary{}, err
	}
	value, err := f.marshal(v)
	if err != nil {
		return bson.Binary{}, err
	}
	ct, err := x.enc.Encrypt(ctx, value, *o)
	if err != nil {
		return bson.Binary{}, fmt.Errorf("qe: encrypting a %s query on %s: %w", kind, f.Path, err)
	}
	return ct, nil
}

// textOperators maps the server's text expressions to their argument and
// query kind.
var textOperators = map[string]struct{ arg, kind string }{
	"$encStrStartsWith": {"prefix", "prefix"},
	"$encStrEndsWith":   {"suffix", "suffix"},
	"$encStrContains":   {"substring", "substring"},
}

// textExpr encrypts the argument of {$encStr...: {input: "$path", arg: v}}.
func (x *Explicit) textExpr(ctx context.Context, v any) (bson.D, error) {
	expr, ok := v.(bson.D)
	if !ok || len(expr) != 1 {
		return nil, fmt.Errorf("qe: unexpected $expr in a filter")
	}
	op, known := textOperators[expr[0].Key]
	args, ok := expr[0].Value.(bson.D)
	if !known || !ok || len(args) != 2 {
		return nil, fmt.Errorf("qe: unexpected %s in a filter", expr[0].Key)
	}
	input, _ := args[0].Value.(string)
	f, ok := x.fields[strings.TrimPrefix(input, "$")]
	if !ok {
		return nil, fmt.Errorf("qe: %s on %s, which is not encrypted", expr[0].Key, input)
	}
	ct, err := x.encryptQueryValue(ctx, f, op.kind, args[1].Value)
	if err != nil {
		return nil, err
	}
	return bson.D{{Key: expr[0].Key, Value: bson.D{args[0], {Key: op.arg, Value: ct}}}}, nil
}

// valueList is the list of values of an $in or $nin, which must be a
// bson.A: any other value would be sent as it is, unencrypted.
func valueList(f *fieldInfo, op bson.E) (bson.A, error) {
	values, ok := op.Value.(bson.A)
	if !ok {
		return nil, fmt.Errorf("qe: %s on encrypted %s needs a bson.A of values, not %T", op.Key, f.Path, op.Value)
	}
	return values, nil
}

// marshal encodes a value compared with f, checking that it can be
// encrypted for it.
func (f *fieldInfo) marshal(v any) (bson.RawValue, error) {
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

// checkBound checks the value of one bound {path: {op: v}} of a range.
func (f *fieldInfo) checkBound(bound any) error {
	d, ok := bound.(bson.D)
	if ok && len(d) == 1 {
		if cond, ok := d[0].Value.(bson.D); ok && len(cond) == 1 {
			_, err := f.marshal(cond[0].Value)
			return err
		}
	}
	return fmt.Errorf("qe: unexpected range bound on %s", f.Path)
}

// check refuses a value that libmongocrypt would refuse or, worse, that
// the server could not match: null, or a BSON type other than the field's.
func (f *fieldInfo) check(v bson.RawValue) error {
	if v.Type == bson.TypeNull || v.Type == bson.TypeUndefined {
		return fmt.Errorf("qe: %s is null, and null cannot be encrypted: give it a value, or leave it out of the document (omitempty)", f.Path)
	}
	if want, known := bsonTypes[f.BSONType]; known && v.Type != want {
		return fmt.Errorf("qe: %s holds a BSON %s, and the collection encrypts it as %s: use a Go value of the field's type", f.Path, v.Type, f.BSONType)
	}
	return nil
}
