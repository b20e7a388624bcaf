package qe

import (
	"reflect"
	"testing"

	"github.com/qegen/qegen/qe/internal/generated"
	"github.com/qegen/qegen/schema"
)

// specOf is a collection spec with the given encrypted fields.
func specOf(name string, fields ...schema.Field) CollectionSpec {
	return CollectionSpec{Name: name, EncryptedFields: schema.EncryptedFields{Fields: fields}, MinServer: schema.Release70}
}

func equalityField(path string, t schema.BSONType) schema.Field {
	return schema.Field{Path: path, BSONType: t, Queries: []schema.Query{{Type: "equality", Contention: 8}}}
}

func rangeField(path string, t schema.BSONType) schema.Field {
	sp, tf := int64(2), int32(6)
	return schema.Field{Path: path, BSONType: t, Queries: []schema.Query{{Type: "range", Contention: 8, Range: &schema.RangeOptions{Sparsity: &sp, TrimFactor: &tf}}}}
}

func textSpecField(path string, kinds ...schema.Kind) schema.Field {
	f := schema.Field{Path: path, BSONType: schema.String}
	for _, k := range kinds {
		f.Queries = append(f.Queries, schema.Query{Type: k.QueryType(schema.Release90), Contention: 8, Text: &schema.TextOptions{StrMinQueryLength: 2, StrMaxQueryLength: 10}})
	}
	return f
}

// fieldOf is the filter field F at path of spec; it fails the test when
// F does not fit.
var tok = generated.Token{}

func fieldOf[F Field](t *testing.T, spec CollectionSpec, path string) F {
	t.Helper()
	f, err := NewFilterField[F](generated.Token{}, spec, path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func reflectType(v any) reflect.Type { return reflect.TypeOf(v) }
