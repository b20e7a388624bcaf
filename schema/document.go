package schema

import (
	"fmt"
	"math"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// EncryptedFields is a collection's encryptedFields document.
type EncryptedFields struct {
	Fields []Field
	// StrEncodeVersion is 1 when the collection has text fields (8.2 and
	// later), 0 when absent.
	StrEncodeVersion int32
}

// Field is one encrypted path.
type Field struct {
	Path     string
	BSONType BSONType
	// KeyID is the field's data key, nil while unknown (written null, as
	// the drivers' createEncryptedCollection expects).
	KeyID *bson.Binary
	// Queries is empty for a field that is encrypted but not queryable.
	Queries []Query
}

// Query is one entry of a field's queries.
type Query struct {
	Type       string // the server's queryType, e.g. "prefixPreview"
	Contention int64
	Range      *RangeOptions // set for range queries
	Text       *TextOptions  // set for text queries
}

// RangeOptions are the options of a range query.
type RangeOptions struct {
	// Min and Max are in the field's BSON type; Type 0 when unbounded.
	Min, Max   bson.RawValue
	Sparsity   *int64 // nil when absent
	TrimFactor *int32 // nil when absent
	Precision  *int32 // nil when absent (double and decimal only)
}

// TextOptions are the options of prefix, suffix and substring queries.
type TextOptions struct {
	StrMinQueryLength  int32
	StrMaxQueryLength  int32
	StrMaxLength       *int32 // substring only
	CaseSensitive      bool
	DiacriticSensitive bool
}

// Kind is the kind of the query, or "" for an unknown queryType.
func (q Query) Kind() Kind {
	t, _ := LookupQueryType(q.Type)
	return t.Kind
}

// Kinds are the kinds of the field: Encrypt when it is not queryable.
func (f Field) Kinds() []Kind {
	if len(f.Queries) == 0 {
		return []Kind{Encrypt}
	}
	kinds := make([]Kind, len(f.Queries))
	for i, q := range f.Queries {
		kinds[i] = q.Kind()
	}
	return kinds
}

// Has reports whether the field has a query of kind k.
func (f Field) Has(k Kind) bool {
	for _, q := range f.Queries {
		if q.Kind() == k {
			return true
		}
	}
	return k == Encrypt && len(f.Queries) == 0
}

// Algorithm is the explicit encryption algorithm of the field's values.
func (f Field) Algorithm() string { return f.Kinds()[0].Algorithm() }

// Document is ef as the server receives it, keys in a fixed order.
func (ef EncryptedFields) Document() bson.D {
	fields := make(bson.A, len(ef.Fields))
	for i, f := range ef.Fields {
		fields[i] = f.document()
	}
	doc := bson.D{{Key: "fields", Value: fields}}
	if ef.StrEncodeVersion != 0 {
		doc = append(doc, bson.E{Key: "strEncodeVersion", Value: ef.StrEncodeVersion})
	}
	return doc
}

func (f Field) document() bson.D {
	var key any // null
	if f.KeyID != nil {
		key = *f.KeyID
	}
	doc := bson.D{{Key: "keyId", Value: key}, {Key: "path", Value: f.Path}}
	if f.BSONType != "" {
		doc = append(doc, bson.E{Key: "bsonType", Value: string(f.BSONType)})
	}
	switch len(f.Queries) {
	case 0:
	case 1:
		doc = append(doc, bson.E{Key: "queries", Value: f.Queries[0].document()})
	default:
		queries := make(bson.A, len(f.Queries))
		for i, q := range f.Queries {
			queries[i] = q.document()
		}
		doc = append(doc, bson.E{Key: "queries", Value: queries})
	}
	return doc
}

func (q Query) document() bson.D {
	doc := bson.D{{Key: "queryType", Value: q.Type}, {Key: "contention", Value: q.Contention}}
	if r := q.Range; r != nil {
		if r.Min.Type != 0 {
			doc = append(doc, bson.E{Key: "min", Value: r.Min})
		}
		if r.Max.Type != 0 {
			doc = append(doc, bson.E{Key: "max", Value: r.Max})
		}
		if r.Sparsity != nil {
			doc = append(doc, bson.E{Key: "sparsity", Value: *r.Sparsity})
		}
		if r.TrimFactor != nil {
			doc = append(doc, bson.E{Key: "trimFactor", Value: *r.TrimFactor})
		}
		if r.Precision != nil {
			doc = append(doc, bson.E{Key: "precision", Value: *r.Precision})
		}
	}
	if t := q.Text; t != nil {
		doc = append(doc,
			bson.E{Key: "strMinQueryLength", Value: t.StrMinQueryLength},
			bson.E{Key: "strMaxQueryLength", Value: t.StrMaxQueryLength})
		if t.StrMaxLength != nil {
			doc = append(doc, bson.E{Key: "strMaxLength", Value: *t.StrMaxLength})
		}
		doc = append(doc,
			bson.E{Key: "caseSensitive", Value: t.CaseSensitive},
			bson.E{Key: "diacriticSensitive", Value: t.DiacriticSensitive})
	}
	return doc
}

// JSON renders ef as indented canonical Extended JSON, with typed numbers
// such as {"$numberLong": "8"}: what reviewers see of a collection.
func (ef EncryptedFields) JSON() ([]byte, error) {
	return bson.MarshalExtJSONIndent(ef.Document(), true, false, "", "  ")
}

// ParseJSON reads the canonical Extended JSON that JSON writes.
func ParseJSON(text string) (EncryptedFields, error) {
	var raw bson.Raw
	if err := bson.UnmarshalExtJSON([]byte(text), true, &raw); err != nil {
		return EncryptedFields{}, fmt.Errorf("encryptedFields: %w", err)
	}
	return Parse(raw)
}

// FromDocument reads an encryptedFields document held as bson.D.
func FromDocument(doc bson.D) (EncryptedFields, error) {
	raw, err := bson.Marshal(doc)
	if err != nil {
		return EncryptedFields{}, fmt.Errorf("encryptedFields: %w", err)
	}
	return Parse(raw)
}

// Parse reads an encryptedFields document, as generated or as the server
// reports it. Keys it does not know are an error: what qegen cannot read,
// it cannot claim to encrypt or compare. The server's own escCollection,
// ecocCollection and eccCollection are skipped.
func Parse(raw bson.Raw) (EncryptedFields, error) {
	var ef EncryptedFields
	elems, err := raw.Elements()
	if err != nil {
		return ef, fmt.Errorf("encryptedFields: %w", err)
	}
	for _, e := range elems {
		switch v := e.Value(); e.Key() {
		case "fields":
			values, ok := v.ArrayOK()
			if !ok {
				return ef, fmt.Errorf("encryptedFields: fields is a %s, want an array", v.Type)
			}
			items, err := values.Values()
			if err != nil {
				return ef, fmt.Errorf("encryptedFields: %w", err)
			}
			for i, item := range items {
				doc, ok := item.DocumentOK()
				if !ok {
					return ef, fmt.Errorf("encryptedFields: fields[%d] is a %s, want a document", i, item.Type)
				}
				f, err := parseField(doc)
				if err != nil {
					return ef, fmt.Errorf("encryptedFields: fields[%d]: %w", i, err)
				}
				ef.Fields = append(ef.Fields, f)
			}
		case "strEncodeVersion":
			n, err := intValue(v)
			if err != nil || n < 1 || n > math.MaxInt32 {
				return ef, fmt.Errorf("encryptedFields: strEncodeVersion is %s, want a positive int", v)
			}
			ef.StrEncodeVersion = int32(n)
		case "escCollection", "ecocCollection", "eccCollection":
		default:
			return ef, fmt.Errorf("encryptedFields: unknown key %q", e.Key())
		}
	}
	return ef, nil
}

func parseField(doc bson.Raw) (Field, error) {
	var f Field
	elems, err := doc.Elements()
	if err != nil {
		return f, err
	}
	for _, e := range elems {
		v := e.Value()
		switch e.Key() {
		case "path":
			s, ok := v.StringValueOK()
			if !ok || s == "" {
				return f, fmt.Errorf("path is %s, want a non-empty string", v)
			}
			f.Path = s
		case "bsonType":
			s, ok := v.StringValueOK()
			if !ok || !BSONType(s).Known() {
				return f, fmt.Errorf("bsonType is %s, want a BSON type alias such as \"string\"", v)
			}
			f.BSONType = BSONType(s)
		case "keyId":
			switch v.Type {
			case bson.TypeNull:
			case bson.TypeBinary:
				subtype, data, _ := v.BinaryOK()
				f.KeyID = &bson.Binary{Subtype: subtype, Data: append([]byte(nil), data...)}
			default:
				return f, fmt.Errorf("keyId is %s, want a UUID or null", v)
			}
		case "queries":
			queries, err := parseQueries(v)
			if err != nil {
				return f, err
			}
			f.Queries = queries
		default:
			return f, fmt.Errorf("unknown key %q", e.Key())
		}
	}
	if f.Path == "" {
		return f, fmt.Errorf("no path")
	}
	return f, nil
}

// parseQueries reads "queries": a document, or an array of them.
func parseQueries(v bson.RawValue) ([]Query, error) {
	var docs []bson.Raw
	switch v.Type {
	case bson.TypeEmbeddedDocument:
		docs = []bson.Raw{v.Document()}
	case bson.TypeArray:
		values, err := v.Array().Values()
		if err != nil {
			return nil, err
		}
		for i, item := range values {
			d, ok := item.DocumentOK()
			if !ok {
				return nil, fmt.Errorf("queries[%d] is a %s, want a document", i, item.Type)
			}
			docs = append(docs, d)
		}
	default:
		return nil, fmt.Errorf("queries is a %s, want a document or an array", v.Type)
	}
	out := make([]Query, len(docs))
	for i, d := range docs {
		q, err := parseQuery(d)
		if err != nil {
			return nil, fmt.Errorf("queries[%d]: %w", i, err)
		}
		out[i] = q
	}
	return out, nil
}

func parseQuery(doc bson.Raw) (Query, error) {
	q := Query{Contention: DefaultContention}
	elems, err := doc.Elements()
	if err != nil {
		return q, err
	}
	rng, text := &RangeOptions{}, &TextOptions{}
	for _, e := range elems {
		v, key := e.Value(), e.Key()
		if key == "queryType" {
			s, ok := v.StringValueOK()
			if _, known := LookupQueryType(s); !ok || !known {
				return q, fmt.Errorf("queryType %s is not one this version of qegen knows", v)
			}
			q.Type = s
			continue
		}
		if o, known := LookupOption(key); known && o.Value == BoundValue {
			if key == "min" {
				rng.Min = bson.RawValue{Type: v.Type, Value: append([]byte(nil), v.Value...)}
			} else {
				rng.Max = bson.RawValue{Type: v.Type, Value: append([]byte(nil), v.Value...)}
			}
			continue
		}
		if key == "caseSensitive" || key == "diacriticSensitive" {
			b, ok := v.BooleanOK()
			if !ok {
				return q, fmt.Errorf("%s is %s, want true or false", key, v)
			}
			if key == "caseSensitive" {
				text.CaseSensitive = b
			} else {
				text.DiacriticSensitive = b
			}
			continue
		}
		n, err := intValue(v)
		if err != nil {
			if _, known := LookupOption(key); !known {
				return q, fmt.Errorf("unknown key %q", key)
			}
			return q, fmt.Errorf("%s: %w", key, err)
		}
		switch key {
		case "contention":
			q.Contention = n
		case "sparsity":
			rng.Sparsity = &n
		case "trimFactor":
			rng.TrimFactor = int32p(n)
		case "precision":
			rng.Precision = int32p(n)
		case "strMinQueryLength":
			text.StrMinQueryLength = int32(n)
		case "strMaxQueryLength":
			text.StrMaxQueryLength = int32(n)
		case "strMaxLength":
			text.StrMaxLength = int32p(n)
		default:
			return q, fmt.Errorf("unknown key %q", key)
		}
	}
	switch k := q.Kind(); {
	case q.Type == "":
		return q, fmt.Errorf("no queryType")
	case k == Range:
		q.Range = rng
	case k.IsText():
		q.Text = text
	}
	return q, nil
}

// intValue reads a whole number stored as int32, int64 or an integral
// double, as the server may store what was written as another.
func intValue(v bson.RawValue) (int64, error) {
	switch v.Type {
	case bson.TypeInt32:
		return int64(v.Int32()), nil
	case bson.TypeInt64:
		return v.Int64(), nil
	case bson.TypeDouble:
		if d := v.Double(); d == math.Trunc(d) && math.Abs(d) < 1<<53 {
			return int64(d), nil
		}
	}
	return 0, fmt.Errorf("%s is not a whole number", v)
}

func int32p(n int64) *int32 {
	m := int32(n)
	return &m
}

// FullDomain is the whole domain of a range field of type t without
// bounds, as libmongocrypt's explicit path needs it: it encodes exactly
// like no bounds. ok is false for types without one (double, decimal).
func FullDomain(t BSONType) (lo, hi bson.RawValue, ok bool) {
	switch t {
	case Int:
		return bson.RawValue{Type: bson.TypeInt32, Value: bsoncore.AppendInt32(nil, math.MinInt32)},
			bson.RawValue{Type: bson.TypeInt32, Value: bsoncore.AppendInt32(nil, math.MaxInt32)}, true
	case Long, Date:
		return bson.RawValue{Type: t.Type(), Value: bsoncore.AppendInt64(nil, math.MinInt64)},
			bson.RawValue{Type: t.Type(), Value: bsoncore.AppendInt64(nil, math.MaxInt64)}, true
	}
	return bson.RawValue{}, bson.RawValue{}, false
}

// WithKeys returns a copy of ef with each field's key set by keyFor.
func (ef EncryptedFields) WithKeys(keyFor func(path string) (bson.Binary, error)) (EncryptedFields, error) {
	out := ef
	out.Fields = make([]Field, len(ef.Fields))
	for i, f := range ef.Fields {
		id, err := keyFor(f.Path)
		if err != nil {
			return EncryptedFields{}, err
		}
		f.KeyID = &id
		out.Fields[i] = f
	}
	return out, nil
}

// Clone returns a copy of ef that shares no memory with it.
func (ef EncryptedFields) Clone() EncryptedFields {
	out := EncryptedFields{StrEncodeVersion: ef.StrEncodeVersion, Fields: make([]Field, len(ef.Fields))}
	for i, f := range ef.Fields {
		c := Field{Path: f.Path, BSONType: f.BSONType, Queries: make([]Query, len(f.Queries))}
		if f.KeyID != nil {
			c.KeyID = &bson.Binary{Subtype: f.KeyID.Subtype, Data: append([]byte(nil), f.KeyID.Data...)}
		}
		for j, q := range f.Queries {
			if q.Range != nil {
				r := *q.Range
				r.Min = bson.RawValue{Type: r.Min.Type, Value: append([]byte(nil), r.Min.Value...)}
				r.Max = bson.RawValue{Type: r.Max.Type, Value: append([]byte(nil), r.Max.Value...)}
				r.Sparsity, r.TrimFactor, r.Precision = clonePtr(r.Sparsity), clonePtr(r.TrimFactor), clonePtr(r.Precision)
				q.Range = &r
			}
			if q.Text != nil {
				t := *q.Text
				t.StrMaxLength = clonePtr(t.StrMaxLength)
				q.Text = &t
			}
			c.Queries[j] = q
		}
		if len(f.Queries) == 0 {
			c.Queries = nil
		}
		out.Fields[i] = c
	}
	return out
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Shape is what a field's queries make of it: which comparisons a filter
// may ask. Generated code names one field type per shape, and the runtime
// checks that a field type fits the collection by it.
type Shape uint8

// The shapes of encrypted fields.
const (
	EncryptedShape    Shape = iota // no queries: stored, never compared
	EqualityShape                  // equality
	RangeShape                     // range
	PrefixShape                    // prefix
	SuffixShape                    // suffix
	PrefixSuffixShape              // prefix and suffix
	SubstringShape                 // substring
)

// Shape returns the field's shape, from its query kinds.
func (f *Field) Shape() Shape {
	switch {
	case f.Has(Range):
		return RangeShape
	case f.Has(Equality):
		return EqualityShape
	case f.Has(Prefix) && f.Has(Suffix):
		return PrefixSuffixShape
	case f.Has(Prefix):
		return PrefixShape
	case f.Has(Suffix):
		return SuffixShape
	case f.Has(Substring):
		return SubstringShape
	}
	return EncryptedShape
}
