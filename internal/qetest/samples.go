package qetest

import (
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/qe/qeimpl"
	"github.com/qegen/qegen/schema"
)

func usesTextPreview(fields []schema.Field) bool {
	for _, f := range fields {
		for _, q := range f.Queries {
			if t, _ := schema.LookupQueryType(q.Type); t.IsPreview() {
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
func sampleFor(f schema.Field) sample {
	var q schema.Query
	if len(f.Queries) > 0 {
		q = f.Queries[0]
	}
	if q.Range != nil && q.Range.Min.Type != 0 {
		return sample{value: goValue(q.Range.Min), hi: goValue(q.Range.Max)}
	}
	v := map[schema.BSONType]any{
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
	if t := q.Text; t != nil {
		text := v.(string)
		if t.StrMaxLength != nil && int(*t.StrMaxLength) < len(text) {
			text = text[:*t.StrMaxLength]
		}
		s.value, s.hi = text, text
		s.text = text[:min(len(text), int(t.StrMinQueryLength))]
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
func filtersFor(t *testing.T, spec qe.CollectionSpec, f schema.Field, s sample) map[string]qe.Filter {
	out := map[string]qe.Filter{}
	switch {
	case f.Has(schema.Range):
		switch v := s.value.(type) {
		case int32:
			rangeFilters(out, field[*qe.RangeField[int32]](t, spec, f.Path), v, s.hi.(int32))
		case int64:
			rangeFilters(out, field[*qe.RangeField[int64]](t, spec, f.Path), v, s.hi.(int64))
		case float64:
			rangeFilters(out, field[*qe.RangeField[float64]](t, spec, f.Path), v, s.hi.(float64))
		case bson.Decimal128:
			rangeFilters(out, field[*qe.RangeField[bson.Decimal128]](t, spec, f.Path), v, s.hi.(bson.Decimal128))
		case bson.DateTime:
			rangeFilters(out, field[*qe.RangeField[bson.DateTime]](t, spec, f.Path), v, s.hi.(bson.DateTime))
		}
	case f.Has(schema.Equality):
		equalityFilters(t, out, spec, f.Path, s.value)
	case f.Has(schema.Prefix) && f.Has(schema.Suffix):
		both := field[*qe.PrefixSuffixField](t, spec, f.Path)
		out["StartsWith"], out["EndsWith"] = both.StartsWith(s.text), both.EndsWith(s.text)
	case f.Has(schema.Prefix):
		out["StartsWith"] = field[*qe.PrefixField](t, spec, f.Path).StartsWith(s.text)
	case f.Has(schema.Suffix):
		out["EndsWith"] = field[*qe.SuffixField](t, spec, f.Path).EndsWith(s.text)
	case f.Has(schema.Substring):
		out["Contains"] = field[*qe.SubstringField](t, spec, f.Path).Contains(s.text)
	}
	return out
}

// field is the typed filter field F of path in spec.
func field[F qe.Field](t *testing.T, spec qe.CollectionSpec, path string) F {
	t.Helper()
	f, err := qeimpl.Field[F](spec, path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func rangeFilters[V any](out map[string]qe.Filter, r *qe.RangeField[V], lo, hi V) {
	out["Gt"], out["Gte"], out["Lt"], out["Lte"] = r.Gt(lo), r.Gte(lo), r.Lt(hi), r.Lte(hi)
	out["Between"], out["And"] = r.Between(lo, hi), qe.And(r.Gte(lo), r.Lte(hi))
	out["Not"] = qe.Not(r.Lt(hi))
	equality(out, r, lo, hi)
}

func equalityFilters(t *testing.T, out map[string]qe.Filter, spec qe.CollectionSpec, path string, v any) {
	switch v := v.(type) {
	case string:
		equality(out, field[*qe.EqualityField[string]](t, spec, path), v, v)
	case int32:
		equality(out, field[*qe.EqualityField[int32]](t, spec, path), v, v)
	case int64:
		equality(out, field[*qe.EqualityField[int64]](t, spec, path), v, v)
	case bool:
		equality(out, field[*qe.EqualityField[bool]](t, spec, path), v, !v)
	case bson.DateTime:
		equality(out, field[*qe.EqualityField[bson.DateTime]](t, spec, path), v, v)
	case bson.ObjectID:
		equality(out, field[*qe.EqualityField[bson.ObjectID]](t, spec, path), v, v)
	case bson.Binary:
		equality(out, field[*qe.EqualityField[bson.Binary]](t, spec, path), v, v)
	case bson.Regex:
		equality(out, field[*qe.EqualityField[bson.Regex]](t, spec, path), v, v)
	case bson.JavaScript:
		equality(out, field[*qe.EqualityField[bson.JavaScript]](t, spec, path), v, v)
	case bson.Symbol:
		equality(out, field[*qe.EqualityField[bson.Symbol]](t, spec, path), v, v)
	case bson.Timestamp:
		equality(out, field[*qe.EqualityField[bson.Timestamp]](t, spec, path), v, v)
	case bson.DBPointer:
		equality(out, field[*qe.EqualityField[bson.DBPointer]](t, spec, path), v, v)
	default:
		t.Fatalf("no sample filter for %s of type %T", path, v)
	}
}

// equalityOps are the comparisons equality and range fields share.
type equalityOps[V any] interface {
	Eq(V) qe.Filter
	Ne(V) qe.Filter
	In(...V) qe.Filter
	Nin(...V) qe.Filter
	Exists(bool) qe.Filter
}

func equality[V any](out map[string]qe.Filter, f equalityOps[V], v, other V) {
	out["Eq"], out["Ne"] = f.Eq(v), f.Ne(v)
	out["In"], out["Nin"] = f.In(v, other), f.Nin(v)
	out["NotEq"], out["Exists"] = qe.Not(f.Eq(v)), f.Exists(true)
	out["Or"] = qe.Or(f.Eq(v), f.Eq(other))
}
