package qe

import (
	"context"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// exprRecorder records the expressions sent to EncryptExpression, which
// libmongocrypt accepts only as {$and: [{path: {$gt|$gte: v}}, {path: {$lt|$lte: v}}]}.
type exprRecorder struct{ exprs []string }

func (r *exprRecorder) Encrypt(context.Context, bson.RawValue, EncryptOptions) (bson.Binary, error) {
	return bson.Binary{Subtype: 6, Data: []byte{1}}, nil
}

func (r *exprRecorder) EncryptExpression(_ context.Context, expr bson.D, opts EncryptOptions) (bson.D, error) {
	out, _ := bson.MarshalExtJSON(expr, false, false)
	r.exprs = append(r.exprs, opts.Algorithm+"/"+opts.QueryType+" "+string(out))
	return bson.D{{Key: "$and", Value: bson.A{}}}, nil
}

func TestExplicitRangeExpressions(t *testing.T) {
	spec := CollectionSpec{Name: "c", EncryptedFields: bson.D{{Key: "fields", Value: bson.A{bson.D{
		{Key: "keyId", Value: nil}, {Key: "path", Value: "age"}, {Key: "bsonType", Value: "int"},
		{Key: "queries", Value: bson.D{{Key: "queryType", Value: "range"}, {Key: "contention", Value: int64(0)},
			{Key: "min", Value: int32(0)}, {Key: "max", Value: int32(150)}, {Key: "sparsity", Value: int64(2)}, {Key: "trimFactor", Value: int32(6)}}},
	}}}}}
	age := Range[int32]("c", "age")
	tests := []struct {
		name   string
		filter Filter
		want   []string
	}{
		{"between", age.Between(18, 65), []string{`Range/range {"$and":[{"age":{"$gte":18}},{"age":{"$lte":65}}]}`}},
		{"one bound", age.Gt(18), []string{`Range/range {"$and":[{"age":{"$gt":18}}]}`}},
		{"equality", age.Eq(30), []string{`Range/range {"$and":[{"age":{"$gte":30}},{"age":{"$lte":30}}]}`}},
		{"and of bounds", And(age.Gte(1), age.Lt(9)), []string{`Range/range {"$and":[{"age":{"$gte":1}},{"age":{"$lt":9}}]}`}},
		{"in", age.In(1, 2), []string{
			`Range/range {"$and":[{"age":{"$gte":1}},{"age":{"$lte":1}}]}`,
			`Range/range {"$and":[{"age":{"$gte":2}},{"age":{"$lte":2}}]}`,
		}},
		{"not", Not(age.Lt(5)), []string{`Range/range {"$and":[{"age":{"$lt":5}}]}`}},
	}
	for _, tt := range tests {
		rec := &exprRecorder{}
		x, err := NewExplicit(rec, "db", spec)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.Filter(context.Background(), tt.filter.Document()); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(rec.exprs) != len(tt.want) {
			t.Errorf("%s: expressions %q, want %q", tt.name, rec.exprs, tt.want)
			continue
		}
		for i := range tt.want {
			if rec.exprs[i] != tt.want[i] {
				t.Errorf("%s: expression %q, want %q", tt.name, rec.exprs[i], tt.want[i])
			}
		}
	}
}

func TestExplicitFullDomainForUnboundedRanges(t *testing.T) {
	for bsonType, want := range map[string][2]string{
		"int":  {`{"$numberInt":"-2147483648"}`, `{"$numberInt":"2147483647"}`},
		"long": {`{"$numberLong":"-9223372036854775808"}`, `{"$numberLong":"9223372036854775807"}`},
		"date": {`{"$date":{"$numberLong":"-9223372036854775808"}}`, `{"$date":{"$numberLong":"9223372036854775807"}}`},
	} {
		q := withDomain(bsonType, querySpec{Type: "range"})
		lo, _ := bson.MarshalExtJSON(bson.D{{Key: "v", Value: q.Min}}, true, false)
		hi, _ := bson.MarshalExtJSON(bson.D{{Key: "v", Value: q.Max}}, true, false)
		if string(lo) != `{"v":`+want[0]+`}` || string(hi) != `{"v":`+want[1]+`}` {
			t.Errorf("%s: domain %s..%s, want %s..%s", bsonType, lo, hi, want[0], want[1])
		}
	}
	// Bounded ranges, doubles and decimals keep what the collection says.
	bounded := querySpec{Type: "range", Min: bson.RawValue{Type: bson.TypeInt32, Value: []byte{0, 0, 0, 0}}}
	if q := withDomain("int", bounded); !q.Min.Equal(bounded.Min) || q.Max.Type != 0 {
		t.Errorf("a bounded range changed: %+v", q)
	}
	if q := withDomain("double", querySpec{Type: "range"}); q.Min.Type != 0 {
		t.Errorf("an unbounded double got bounds: %+v", q)
	}
}

func TestExplicitRefusesValuesItCannotEncrypt(t *testing.T) {
	spec := CollectionSpec{Name: "c", EncryptedFields: bson.D{{Key: "fields", Value: bson.A{
		bson.D{{Key: "keyId", Value: nil}, {Key: "path", Value: "a.ssn"}, {Key: "bsonType", Value: "string"},
			{Key: "queries", Value: bson.D{{Key: "queryType", Value: "equality"}, {Key: "contention", Value: int64(8)}}}},
		bson.D{{Key: "keyId", Value: nil}, {Key: "path", Value: "age"}, {Key: "bsonType", Value: "int"},
			{Key: "queries", Value: bson.D{{Key: "queryType", Value: "range"}, {Key: "contention", Value: int64(8)}}}},
	}}}}
	x, err := NewExplicit(&exprRecorder{}, "db", spec)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	docs := map[string]any{
		"a.ssn is null":                            bson.D{{Key: "a", Value: bson.D{{Key: "ssn", Value: nil}}}},
		"a.ssn holds a BSON 32-bit integer":        bson.D{{Key: "a", Value: bson.D{{Key: "ssn", Value: int32(5)}}}},
		"age holds a BSON 64-bit integer":          bson.D{{Key: "age", Value: int64(5)}},
		"and the collection encrypts it as string": bson.D{{Key: "a", Value: bson.D{{Key: "ssn", Value: true}}}},
	}
	for want, doc := range docs {
		if _, err := x.Document(ctx, doc); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Document(%v) = %v, want an error saying %q", doc, err, want)
		}
	}
	filters := map[string]bson.D{
		"compares encrypted a.ssn with nil":     {{Key: "a.ssn", Value: nil}},
		"$in on encrypted a.ssn needs a bson.A": {{Key: "a.ssn", Value: bson.D{{Key: "$in", Value: []string{"x"}}}}},
		"$nin on encrypted age needs a bson.A":  {{Key: "age", Value: bson.D{{Key: "$nin", Value: []int32{1}}}}},
		"age holds a BSON string":               {{Key: "age", Value: bson.D{{Key: "$gt", Value: "1"}}}},
		"compares encrypted age with nil":       {{Key: "age", Value: bson.D{{Key: "$eq", Value: nil}}}},
	}
	for want, f := range filters {
		if _, err := x.Filter(ctx, f); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Filter(%v) = %v, want an error saying %q", f, err, want)
		}
	}
}
