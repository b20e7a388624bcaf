package qe

import (
	"fmt"
	"math"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// fieldSpec is one entry of encryptedFields, read back into Go values so
// that explicit encryption uses exactly the options the collection has.
type fieldSpec struct {
	Path     string
	BSONType string
	Queries  []querySpec
}

type querySpec struct {
	Type       string // the server's queryType, e.g. "equality", "prefixPreview"
	Contention int64
	// Range options; Min and Max have Type 0 when the domain is unbounded.
	Min, Max   bson.RawValue
	Sparsity   *int64
	TrimFactor *int32
	Precision  *int32
	// Text options.
	StrMinQueryLength, StrMaxQueryLength, StrMaxLength *int32
	CaseSensitive, DiacriticSensitive                  bool
}

// parseFields reads the "fields" of an encryptedFields document.
func parseFields(encryptedFields bson.D) ([]fieldSpec, error) {
	raw, err := bson.Marshal(encryptedFields)
	if err != nil {
		return nil, fmt.Errorf("qe: encryptedFields: %w", err)
	}
	var doc struct {
		Fields []struct {
			Path     string        `bson:"path"`
			BSONType string        `bson:"bsonType"`
			Queries  bson.RawValue `bson:"queries"`
		} `bson:"fields"`
	}
	if err := bson.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("qe: encryptedFields: %w", err)
	}
	fields := make([]fieldSpec, 0, len(doc.Fields))
	for _, f := range doc.Fields {
		if f.Path == "" {
			return nil, fmt.Errorf("qe: encryptedFields has a field without a path")
		}
		fs := fieldSpec{Path: f.Path, BSONType: f.BSONType}
		if f.Queries.Type != 0 {
			queries, err := parseQueries(f.Queries)
			if err != nil {
				return nil, fmt.Errorf("qe: encryptedFields %s: %w", f.Path, err)
			}
			fs.Queries = queries
		}
		fields = append(fields, fs)
	}
	return fields, nil
}

// parseQueries reads "queries", a document or an array of them.
func parseQueries(v bson.RawValue) ([]querySpec, error) {
	var docs []bson.Raw
	switch v.Type {
	case bson.TypeEmbeddedDocument:
		docs = []bson.Raw{v.Document()}
	case bson.TypeArray:
		values, err := v.Array().Values()
		if err != nil {
			return nil, err
		}
		for i, e := range values {
			d, ok := e.DocumentOK()
			if !ok {
				return nil, fmt.Errorf("queries[%d] is not a document", i)
			}
			docs = append(docs, d)
		}
	default:
		return nil, fmt.Errorf("queries is a %s, want a document or an array", v.Type)
	}
	out := make([]querySpec, 0, len(docs))
	for _, d := range docs {
		var q struct {
			Type               string        `bson:"queryType"`
			Contention         int64         `bson:"contention"`
			Min                bson.RawValue `bson:"min"`
			Max                bson.RawValue `bson:"max"`
			Sparsity           *int64        `bson:"sparsity"`
			TrimFactor         *int32        `bson:"trimFactor"`
			Precision          *int32        `bson:"precision"`
			StrMinQueryLength  *int32        `bson:"strMinQueryLength"`
			StrMaxQueryLength  *int32        `bson:"strMaxQueryLength"`
			StrMaxLength       *int32        `bson:"strMaxLength"`
			CaseSensitive      bool          `bson:"caseSensitive"`
			DiacriticSensitive bool          `bson:"diacriticSensitive"`
		}
		if err := bson.Unmarshal(d, &q); err != nil {
			return nil, err
		}
		qs := querySpec{
			Type: q.Type, Contention: q.Contention,
			Sparsity: q.Sparsity, TrimFactor: q.TrimFactor, Precision: q.Precision,
			StrMinQueryLength: q.StrMinQueryLength, StrMaxQueryLength: q.StrMaxQueryLength, StrMaxLength: q.StrMaxLength,
			CaseSensitive: q.CaseSensitive, DiacriticSensitive: q.DiacriticSensitive,
			Min: q.Min, Max: q.Max,
		}
		out = append(out, qs)
	}
	return out, nil
}

// kind classifies a field by its first query type.
func (f fieldSpec) kind() string {
	if len(f.Queries) == 0 {
		return "unindexed"
	}
	switch f.Queries[0].Type {
	case "equality":
		return "equality"
	case "range", "rangePreview":
		return "range"
	}
	return "text"
}

// bsonTypes maps the server's BSON type aliases to the driver's types.
var bsonTypes = map[string]bson.Type{
	"double": bson.TypeDouble, "string": bson.TypeString, "object": bson.TypeEmbeddedDocument,
	"array": bson.TypeArray, "binData": bson.TypeBinary, "objectId": bson.TypeObjectID,
	"bool": bson.TypeBoolean, "date": bson.TypeDateTime, "regex": bson.TypeRegex,
	"dbPointer": bson.TypeDBPointer, "javascript": bson.TypeJavaScript, "symbol": bson.TypeSymbol,
	"javascriptWithScope": bson.TypeCodeWithScope, "int": bson.TypeInt32,
	"timestamp": bson.TypeTimestamp, "long": bson.TypeInt64, "decimal": bson.TypeDecimal128,
}

// withDomain gives a range query on int, long or date without bounds the
// type's whole domain, which libmongocrypt's explicit path needs and which
// encodes exactly like no bounds (the server's default).
func withDomain(bsonType string, q querySpec) querySpec {
	if (q.Type != "range" && q.Type != "rangePreview") || q.Min.Type != 0 {
		return q
	}
	switch bsonType {
	case "int":
		q.Min = bson.RawValue{Type: bson.TypeInt32, Value: bsoncore.AppendInt32(nil, math.MinInt32)}
		q.Max = bson.RawValue{Type: bson.TypeInt32, Value: bsoncore.AppendInt32(nil, math.MaxInt32)}
	case "long", "date":
		t := bson.TypeInt64
		if bsonType == "date" {
			t = bson.TypeDateTime
		}
		q.Min = bson.RawValue{Type: t, Value: bsoncore.AppendInt64(nil, math.MinInt64)}
		q.Max = bson.RawValue{Type: t, Value: bsoncore.AppendInt64(nil, math.MaxInt64)}
	}
	return q
}
