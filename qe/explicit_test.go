package qe

import (
	"context"
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
