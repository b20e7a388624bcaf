package qetest

import (
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/qe"
)

// field is one entry of a spec's encryptedFields, as far as the checks
// need it: read here independently of qe, as a second opinion.
type field struct {
	Path     string
	BSONType string
	Queries  []query
}

type query struct {
	QueryType         string        `bson:"queryType"`
	Min               bson.RawValue `bson:"min"`
	Max               bson.RawValue `bson:"max"`
	StrMinQueryLength int32         `bson:"strMinQueryLength"`
	StrMaxQueryLength int32         `bson:"strMaxQueryLength"`
	StrMaxLength      int32         `bson:"strMaxLength"`
}

func readFields(t *testing.T, spec qe.CollectionSpec) []field {
	t.Helper()
	raw, err := bson.Marshal(spec.EncryptedFields)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Fields []struct {
			Path     string        `bson:"path"`
			BSONType string        `bson:"bsonType"`
			Queries  bson.RawValue `bson:"queries"`
		} `bson:"fields"`
	}
	if err := bson.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	out := make([]field, len(doc.Fields))
	for i, f := range doc.Fields {
		out[i] = field{Path: f.Path, BSONType: f.BSONType}
		var docs []bson.Raw
		switch f.Queries.Type {
		case bson.TypeEmbeddedDocument:
			docs = []bson.Raw{f.Queries.Document()}
		case bson.TypeArray:
			values, _ := f.Queries.Array().Values()
			for _, v := range values {
				docs = append(docs, v.Document())
			}
		}
		for _, d := range docs {
			var q query
			if err := bson.Unmarshal(d, &q); err != nil {
				t.Fatal(err)
			}
			out[i].Queries = append(out[i].Queries, q)
		}
	}
	return out
}

func usesTextPreview(fields []field) bool {
	for _, f := range fields {
		for _, q := range f.Queries {
			if strings.HasSuffix(q.QueryType, "Preview") && q.QueryType != "rangePreview" {
				return true
			}
		}
	}
	return false
}

// sample is a value to store in a field and to query it with: value is
// stored; hi (the same as value for unbounded ranges) is an upper bound.
type sample struct {
	value, hi any
	text      string // a query string for text kinds
}

// sampleFor picks a value of the field's BSON type that its options allow.
func sampleFor(f field) sample {
	var q query
	if len(f.Queries) > 0 {
		q = f.Queries[0]
	}
	if q.Min.Type != 0 {
		return sample{value: goValue(q.Min), hi: goValue(q.Max)}
	}
	v := map[string]any{
		"string":              "Queryable Encryption in Go",
		"int":                 int32(42),
		"long":                int64(42),
		"double":              36.6,
		"decimal":             mustDecimal("1500.25"),
		"date":                bson.NewDateTimeFromTime(time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)),
		"bool":                true,
		"objectId":            bson.ObjectID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
		"binData":             bson.Binary{Subtype: 0, Data: []byte("card")},
		"regex":               bson.Regex{Pattern: "^A", Options: "i"},
		"javascript":          bson.JavaScript("function() { return 1 }"),
		"symbol":              bson.Symbol("sym"),
		"timestamp":           bson.Timestamp{T: 1700000000, I: 1},
		"dbPointer":           bson.DBPointer{DB: "db.c", Pointer: bson.ObjectID{1}},
		"javascriptWithScope": bson.CodeWithScope{Code: "x", Scope: bson.D{{Key: "x", Value: 1}}},
		"object":              bson.D{{Key: "cc_type", Value: "Visa"}, {Key: "cc_number", Value: "4111111111111111"}},
		"array":               bson.A{"a", "b"},
	}[f.BSONType]
	s := sample{value: v, hi: v}
	if q.StrMaxQueryLength > 0 {
		text := v.(string)
		if q.StrMaxLength > 0 && int(q.StrMaxLength) < len(text) {
			text = text[:q.StrMaxLength]
		}
		s.value, s.hi = text, text
		s.text = text[:min(len(text), int(q.StrMinQueryLength))]
	}
	return s
}

func goValue(v bson.RawValue) any {
	switch v.Type {
	case bson.TypeInt32:
		return v.Int32()
	case bson.TypeInt64:
		return v.Int64()
	case bson.TypeDouble:
		return v.Double()
	case bson.TypeDecimal128:
		return v.Decimal128()
	case bson.TypeDateTime:
		return bson.DateTime(v.DateTime())
	}
	return nil
}

func mustDecimal(s string) bson.Decimal128 {
	d, err := bson.ParseDecimal128(s)
	if err != nil {
		panic(err)
	}
	return d
}

// filtersFor builds, with qe's typed fields, every filter explicit mode
// must encrypt for f.
func filtersFor(collection string, f field, s sample) map[string]qe.Filter {
	kinds := map[string]bool{}
	for _, q := range f.Queries {
		kinds[strings.TrimSuffix(q.QueryType, "Preview")] = true
	}
	out := map[string]qe.Filter{}
	switch {
	case kinds["range"]:
		switch v := s.value.(type) {
		case int32:
			rangeFilters(out, qe.Range[int32](collection, f.Path), v, s.hi.(int32))
		case int64:
			rangeFilters(out, qe.Range[int64](collection, f.Path), v, s.hi.(int64))
		case float64:
			rangeFilters(out, qe.Range[float64](collection, f.Path), v, s.hi.(float64))
		case bson.Decimal128:
			rangeFilters(out, qe.Range[bson.Decimal128](collection, f.Path), v, s.hi.(bson.Decimal128))
		case bson.DateTime:
			rangeFilters(out, qe.Range[bson.DateTime](collection, f.Path), v, s.hi.(bson.DateTime))
		}
	case kinds["equality"]:
		equalityFilters(out, collection, f.Path, s.value)
	}
	if kinds["prefix"] {
		out["StartsWith"] = qe.Prefix(collection, f.Path).StartsWith(s.text)
	}
	if kinds["suffix"] {
		out["EndsWith"] = qe.Suffix(collection, f.Path).EndsWith(s.text)
	}
	if kinds["substring"] {
		out["Contains"] = qe.Substring(collection, f.Path).Contains(s.text)
	}
	return out
}

func rangeFilters[V any](out map[string]qe.Filter, r qe.RangeField[V], lo, hi V) {
	out["Gt"], out["Gte"], out["Lt"], out["Lte"] = r.Gt(lo), r.Gte(lo), r.Lt(hi), r.Lte(hi)
	out["Between"], out["And"] = r.Between(lo, hi), qe.And(r.Gte(lo), r.Lte(hi))
	out["Not"] = qe.Not(r.Lt(hi))
	equality(out, r.EqualityField, lo, hi)
}

func equalityFilters(out map[string]qe.Filter, collection, path string, v any) {
	switch v := v.(type) {
	case string:
		equality(out, qe.Equality[string](collection, path), v, v)
	case int32:
		equality(out, qe.Equality[int32](collection, path), v, v)
	case int64:
		equality(out, qe.Equality[int64](collection, path), v, v)
	case bool:
		equality(out, qe.Equality[bool](collection, path), v, !v)
	case bson.DateTime:
		equality(out, qe.Equality[bson.DateTime](collection, path), v, v)
	case bson.ObjectID:
		equality(out, qe.Equality[bson.ObjectID](collection, path), v, v)
	case bson.Binary:
		equality(out, qe.Equality[bson.Binary](collection, path), v, v)
	case bson.Regex:
		equality(out, qe.Equality[bson.Regex](collection, path), v, v)
	case bson.JavaScript:
		equality(out, qe.Equality[bson.JavaScript](collection, path), v, v)
	case bson.Symbol:
		equality(out, qe.Equality[bson.Symbol](collection, path), v, v)
	case bson.Timestamp:
		equality(out, qe.Equality[bson.Timestamp](collection, path), v, v)
	case bson.DBPointer:
		equality(out, qe.Equality[bson.DBPointer](collection, path), v, v)
	}
}

func equality[V any](out map[string]qe.Filter, f qe.EqualityField[V], v, other V) {
	out["Eq"], out["Ne"] = f.Eq(v), f.Ne(v)
	out["In"], out["Nin"] = f.In(v, other), f.Nin(v)
	out["NotEq"], out["Exists"] = qe.Not(f.Eq(v)), f.Exists(true)
	out["Or"] = qe.Or(f.Eq(v), f.Eq(other))
}
