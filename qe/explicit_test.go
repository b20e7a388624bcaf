package qe

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/schema"
)

// exprRecorder records the expressions sent to EncryptExpression, which
// libmongocrypt accepts only as {$and: [{path: {$gt|$gte: v}}, {path: {$lt|$lte: v}}]},
// and answers every Encrypt with a fixed payload.
type exprRecorder struct{ exprs []string }

var payload = bson.Binary{Subtype: 6, Data: []byte("payload")}

func (r *exprRecorder) Encrypt(context.Context, bson.RawValue, EncryptOptions) (bson.Binary, error) {
	return payload, nil
}

func (r *exprRecorder) EncryptExpression(_ context.Context, expr bson.D, opts EncryptOptions) (bson.D, error) {
	out, _ := bson.MarshalExtJSON(expr, false, false)
	r.exprs = append(r.exprs, opts.Algorithm+"/"+opts.QueryType+" "+string(out))
	return bson.D{{Key: "$and", Value: bson.A{payload}}}, nil
}

func TestExplicitRangeExpressions(t *testing.T) {
	spec := specOf("c", rangeField("age", schema.Int))
	age := fieldOf[*RangeField[int32]](t, spec, "age")
	tests := []struct {
		name   string
		filter Filter
		want   []string
	}{
		{"between", age.Between(18, 65), []string{`Range/range {"$and":[{"age":{"$gte":18}},{"age":{"$lte":65}}]}`}},
		{"one bound", age.Gt(18), []string{`Range/range {"$and":[{"age":{"$gt":18}}]}`}},
		{"equality", age.Eq(30), []string{`Range/range {"$and":[{"age":{"$gte":30}},{"age":{"$lte":30}}]}`}},
		{"and of bounds", And(age.Gte(1), age.Lt(9)), []string{`Range/range {"$and":[{"age":{"$gte":1}},{"age":{"$lt":9}}]}`}},
		{"and of two lower bounds", And(age.Gte(1), age.Gt(2)), []string{
			`Range/range {"$and":[{"age":{"$gte":1}}]}`, `Range/range {"$and":[{"age":{"$gt":2}}]}`,
		}},
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
		if _, err := x.Filter(context.Background(), tt.filter); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if strings.Join(rec.exprs, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s: expressions\n%s\nwant\n%s", tt.name, strings.Join(rec.exprs, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

func TestExplicitFullDomainForUnboundedRanges(t *testing.T) {
	for bsonType, want := range map[schema.BSONType][2]string{
		schema.Int:  {`{"$numberInt":"-2147483648"}`, `{"$numberInt":"2147483647"}`},
		schema.Long: {`{"$numberLong":"-9223372036854775808"}`, `{"$numberLong":"9223372036854775807"}`},
		schema.Date: {`{"$date":{"$numberLong":"-9223372036854775808"}}`, `{"$date":{"$numberLong":"9223372036854775807"}}`},
	} {
		o := insertOptions("k", rangeField("f", bsonType))
		lo, _ := bson.MarshalExtJSON(bson.D{{Key: "v", Value: o.Range.Min}}, true, false)
		hi, _ := bson.MarshalExtJSON(bson.D{{Key: "v", Value: o.Range.Max}}, true, false)
		if string(lo) != `{"v":`+want[0]+`}` || string(hi) != `{"v":`+want[1]+`}` {
			t.Errorf("%s: domain %s..%s, want %s..%s", bsonType, lo, hi, want[0], want[1])
		}
	}
	// Doubles and decimals without bounds stay unbounded, as libmongocrypt takes them.
	if o := insertOptions("k", rangeField("f", schema.Double)); o.Range.Min.Type != 0 {
		t.Errorf("an unbounded double got bounds: %+v", o.Range)
	}
}

// TestExplicitRefusesWhatItCannotEncrypt: every way a value of an
// encrypted path could leave in clear is an error naming the path.
func TestExplicitRefusesWhatItCannotEncrypt(t *testing.T) {
	spec := specOf("c", equalityField("a.ssn", schema.String), rangeField("age", schema.Int), schema.Field{Path: "card", BSONType: schema.Object})
	x, err := NewExplicit(&exprRecorder{}, "db", spec)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	docs := map[string]any{
		"a.ssn is null":                                       bson.D{{Key: "a", Value: bson.D{{Key: "ssn", Value: nil}}}},
		"a.ssn holds a BSON 32-bit integer":                   bson.D{{Key: "a", Value: bson.D{{Key: "ssn", Value: int32(5)}}}},
		"age holds a BSON 64-bit integer":                     bson.D{{Key: "age", Value: int64(5)}},
		"and the collection encrypts it as string":            bson.D{{Key: "a", Value: bson.D{{Key: "ssn", Value: true}}}},
		`key "a.ssn" with dots`:                               bson.D{{Key: "a.ssn", Value: "987-65-4320"}},
		`key "card.number" with dots`:                         bson.D{{Key: "card.number", Value: "4111"}},
		"a is an array, and it holds encrypted paths (a.ssn)": bson.D{{Key: "a", Value: bson.A{bson.D{{Key: "ssn", Value: "987-65-4320"}}}}},
	}
	for want, doc := range docs {
		if out, err := x.Document(ctx, doc); err == nil || !strings.Contains(err.Error(), want) || out != nil {
			t.Errorf("Document(%v) = %v, want an error saying %q", doc, err, want)
		}
	}
	// Untyped values reach a filter only through a stale or hand-made
	// field; the filter is refused.
	badSSN, _ := NewFilterField[*PlainField[string]](tok, spec, "a.ssn")
	inside, _ := NewFilterField[*PlainField[string]](tok, spec, "card.number")
	above, _ := NewFilterField[*PlainField[string]](tok, spec, "a")
	ssn := fieldOf[*EqualityField[string]](t, spec, "a.ssn")
	age := fieldOf[*RangeField[int32]](t, spec, "age")
	filters := map[string]Filter{
		"encrypted for [equality], but its filter type": badSSN.Eq("987-65-4320"),
		"inside or above encrypted card":                inside.Eq("4111"),
		"inside or above encrypted a.ssn":               above.Eq("x"),
		"needs at least one value":                      age.In(),
	}
	for want, f := range filters {
		if out, err := x.Filter(ctx, f); err == nil || !strings.Contains(err.Error(), want) || out != nil {
			t.Errorf("Filter(%v) = %v, %v; want an error saying %q", f, out, err, want)
		}
	}
	// A nil slice of values is no values, not a nil value.
	if _, err := x.Filter(ctx, ssn.In()); err != nil {
		t.Errorf("In() with no values: %v", err)
	}
}

// TestExplicitSendsNoPlaintext: for every operator of every kind, the
// filter explicit mode sends holds only payloads where values were.
func TestExplicitSendsNoPlaintext(t *testing.T) {
	f := newTestFields(t)
	x, err := NewExplicit(&exprRecorder{}, "db", testSpec)
	if err != nil {
		t.Fatal(err)
	}
	secret := "987-65-4320"
	filters := []Filter{
		f.ssn.Eq(secret), f.ssn.Ne(secret), f.ssn.In(secret, secret), f.ssn.Nin(secret), Not(f.ssn.Eq(secret)),
		Or(f.ssn.Eq(secret), And(f.ssn.Ne(secret))), Nor(f.ssn.In(secret)),
		f.prefix.StartsWith(secret), f.suffix.EndsWith(secret), f.both.StartsWith(secret), f.both.EndsWith(secret), f.sub.Contains(secret),
		Not(f.sub.Contains(secret)), f.re.Eq(bson.Regex{Pattern: secret}),
	}
	for _, filter := range filters {
		out, err := x.Filter(context.Background(), filter)
		if err != nil {
			t.Errorf("%v: %v", filter, err)
			continue
		}
		raw, _ := bson.Marshal(out)
		if bytes.Contains(raw, []byte(secret)) || !bytes.Contains(raw, payload.Data) {
			t.Errorf("%v sends %s", filter, bson.Raw(raw))
		}
	}
	// A plain comparison is sent as it is, beside encrypted ones.
	out, err := x.Filter(context.Background(), And(f.ssn.Eq(secret), f.name.Eq("Jane")))
	raw, _ := bson.Marshal(out)
	if err != nil || !bytes.Contains(raw, []byte("Jane")) || bytes.Contains(raw, []byte(secret)) {
		t.Errorf("mixed filter: %s, %v", bson.Raw(raw), err)
	}
}
