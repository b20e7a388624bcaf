package qe

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/schema"
)

// testFields are one field of each kind, on collection "c".
type testFields struct {
	ssn    *EqualityField[string]
	re     *EqualityField[bson.Regex]
	age    *RangeField[int32]
	name   *StringField
	prefix *PrefixField
	suffix *SuffixField
	both   *PrefixSuffixField
	sub    *SubstringField
}

var testSpec = specOf("c",
	equalityField("record.ssn", schema.String), equalityField("re", schema.Regex), rangeField("age", schema.Int),
	textSpecField("p", schema.Prefix), textSpecField("s", schema.Suffix), textSpecField("ps", schema.Prefix, schema.Suffix), textSpecField("sub", schema.Substring))

func newTestFields(t *testing.T) testFields {
	return testFields{
		ssn: fieldOf[*EqualityField[string]](t, testSpec, "record.ssn"), re: fieldOf[*EqualityField[bson.Regex]](t, testSpec, "re"),
		age: fieldOf[*RangeField[int32]](t, testSpec, "age"), name: fieldOf[*StringField](t, testSpec, "name"),
		prefix: fieldOf[*PrefixField](t, testSpec, "p"), suffix: fieldOf[*SuffixField](t, testSpec, "s"),
		both: fieldOf[*PrefixSuffixField](t, testSpec, "ps"), sub: fieldOf[*SubstringField](t, testSpec, "sub"),
	}
}

func extJSON(t *testing.T, f Filter) string {
	t.Helper()
	d, err := f.ForAutomaticEncryption()
	if err != nil {
		t.Fatal(err)
	}
	out, err := bson.MarshalExtJSON(d, false, false)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestFilterDocuments: filters render as the documents a careful person
// writes for a client that encrypts automatically.
func TestFilterDocuments(t *testing.T) {
	f := newTestFields(t)
	tests := []struct {
		name   string
		filter Filter
		want   string
	}{
		{"eq", f.ssn.Eq("1"), `{"record.ssn":"1"}`},
		{"eq regex", f.re.Eq(bson.Regex{Pattern: "^a"}), `{"re":{"$eq":{"$regularExpression":{"pattern":"^a","options":""}}}}`},
		{"ne", f.ssn.Ne("1"), `{"record.ssn":{"$ne":"1"}}`},
		{"in", f.ssn.In("1", "2"), `{"record.ssn":{"$in":["1","2"]}}`},
		{"nin", f.ssn.Nin(), `{"record.ssn":{"$nin":[]}}`},
		{"exists", f.ssn.Exists(false), `{"record.ssn":{"$exists":false}}`},
		{"range eq", f.age.Eq(3), `{"age":3}`},
		{"lt", f.age.Lt(3), `{"age":{"$lt":3}}`},
		{"lte", f.age.Lte(3), `{"age":{"$lte":3}}`},
		{"gt", f.age.Gt(3), `{"age":{"$gt":3}}`},
		{"gte", f.age.Gte(3), `{"age":{"$gte":3}}`},
		{"between", f.age.Between(1, 9), `{"age":{"$gte":1,"$lte":9}}`},
		{"plain", f.name.Gt("m"), `{"name":{"$gt":"m"}}`},
		{"and", And(f.ssn.Eq("1"), f.name.Eq("x")), `{"$and":[{"record.ssn":"1"},{"name":"x"}]}`},
		{"or", Or(f.ssn.Eq("1"), f.ssn.Eq("2")), `{"$or":[{"record.ssn":"1"},{"record.ssn":"2"}]}`},
		{"not eq", Not(f.ssn.Eq("1")), `{"record.ssn":{"$ne":"1"}}`},
		{"not between", Not(f.age.Between(1, 9)), `{"$nor":[{"age":{"$gte":1,"$lte":9}}]}`},
		{"nor", Nor(f.age.Lt(1)), `{"$nor":[{"age":{"$lt":1}}]}`},
		{"not field", Not(f.age.Gt(5)), `{"age":{"$not":{"$gt":5}}}`},
		{"not exists", Not(f.ssn.Exists(true)), `{"$nor":[{"record.ssn":{"$exists":true}}]}`},
		{"not combination", Not(And(f.age.Gt(1), f.age.Lt(5))), `{"$nor":[{"$and":[{"age":{"$gt":1}},{"age":{"$lt":5}}]}]}`},
		{"starts", f.prefix.StartsWith("Jo"), `{"$expr":{"$encStrStartsWith":{"input":"$p","prefix":"Jo"}}}`},
		{"ends", f.suffix.EndsWith("oe"), `{"$expr":{"$encStrEndsWith":{"input":"$s","suffix":"oe"}}}`},
		{"both", f.both.EndsWith("oe"), `{"$expr":{"$encStrEndsWith":{"input":"$ps","suffix":"oe"}}}`},
		{"contains", f.sub.Contains("oh"), `{"$expr":{"$encStrContains":{"input":"$sub","substring":"oh"}}}`},
		{"not text", Not(f.prefix.StartsWith("J")), `{"$nor":[{"$expr":{"$encStrStartsWith":{"input":"$p","prefix":"J"}}}]}`},
		{"all", All(), `{}`},
		{"zero", Filter{}, `{}`},
	}
	for _, tt := range tests {
		if got := extJSON(t, tt.filter); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestEncryptedFieldTypes pins, at compile time, what each kind of field
// offers: the assertions below fail if a method the server cannot answer
// is ever added to a field type (e.g. Lt on equality).
func TestEncryptedFieldTypes(t *testing.T) {
	type equalityOps interface {
		Eq(string) Filter
		Ne(string) Filter
		In(...string) Filter
		Nin(...string) Filter
		Exists(bool) Filter
	}
	var eq any = new(EqualityField[string])
	if _, ok := eq.(equalityOps); !ok {
		t.Error("EqualityField lacks an equality operator")
	}
	if _, ok := eq.(interface{ Lt(string) Filter }); ok {
		t.Error("EqualityField offers Lt, which the server cannot answer on an equality field")
	}
	var text any = new(PrefixField)
	if _, ok := text.(interface{ Eq(string) Filter }); ok {
		t.Error("PrefixField offers Eq, which the server cannot answer on a text field")
	}
	if _, ok := text.(interface{ EndsWith(string) Filter }); ok {
		t.Error("PrefixField offers EndsWith without a suffix index")
	}
}

// TestFilterFieldsFitTheSpec: a field type that does not fit how the
// collection stores its path is refused, so a stale description never
// builds a filter that would send a value in clear.
func TestFilterFieldsFitTheSpec(t *testing.T) {
	tests := []struct {
		name string
		make func() error
		want string
	}{
		{"plain type on an encrypted path", func() error { _, err := NewFilterField[*PlainField[string]](tok, testSpec, "record.ssn"); return err }, "encrypted for [equality], but its filter type is for another kind"},
		{"equality type on a range path", func() error { _, err := NewFilterField[*EqualityField[int32]](tok, testSpec, "age"); return err }, "encrypted for [range]"},
		{"other value type", func() error { _, err := NewFilterField[*RangeField[int64]](tok, testSpec, "age"); return err }, "it is encrypted as int, and its filter takes int64"},
		{"inside an encrypted path", func() error { _, err := NewFilterField[*PlainField[string]](tok, testSpec, "record.ssn.x"); return err }, "inside or above encrypted record.ssn"},
		{"above an encrypted path", func() error { _, err := NewFilterField[*PlainField[string]](tok, testSpec, "record"); return err }, "inside or above encrypted record.ssn"},
		{"encrypted type on a plain path", func() error { _, err := NewFilterField[*EqualityField[string]](tok, testSpec, "name"); return err }, "it is not encrypted"},
	}
	for _, tt := range tests {
		err := tt.make()
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "run go generate") {
			t.Errorf("%s: %v, want an error saying %q and to regenerate", tt.name, err, tt.want)
		}
	}
	// A filter on such a field fails wherever it is used.
	bad, _ := NewFilterField[*PlainField[string]](tok, testSpec, "record.ssn")
	if _, err := NewStore(tok, nil, testSpec, nil).query(context.Background(), bad.Eq("987-65-4320")); err == nil {
		t.Error("a filter on a field that does not fit was accepted")
	}
}

func TestFilterCollections(t *testing.T) {
	a := fieldOf[*EqualityField[string]](t, specOf("patients", equalityField("ssn", schema.String)), "ssn")
	b := fieldOf[*EqualityField[string]](t, specOf("appointments", equalityField("ssn", schema.String)), "ssn")
	own := a.Eq("1")
	if err := own.check("patients"); err != nil {
		t.Errorf("own collection: %v", err)
	}
	if err := own.check("appointments"); err == nil || !strings.Contains(err.Error(), "a filter on ssn of collection patients was used on collection appointments") {
		t.Errorf("other collection: %v", err)
	}
	mixed := Or(a.Eq("1"), b.Eq("2"))
	if err := mixed.check("patients"); err == nil {
		t.Errorf("a filter mixing collections was accepted")
	}
	if _, err := mixed.ForAutomaticEncryption(); err == nil || !strings.Contains(err.Error(), "mixes fields of collections appointments and patients") {
		t.Errorf("mixed: %v", err)
	}
	withAll := And(All(), a.Eq("1"))
	if err := withAll.check("patients"); err != nil {
		t.Errorf("All fits every collection: %v", err)
	}
}

// TestFilterNeverMarshalsPlaintext: a filter on an encrypted field does not
// marshal, so handing it to the driver directly cannot send the value in
// clear; one on plain fields does.
func TestFilterNeverMarshalsPlaintext(t *testing.T) {
	f := newTestFields(t)
	for _, filter := range []Filter{f.ssn.Eq("987-65-4320"), And(f.name.Eq("x"), Or(f.age.Gt(3))), Not(f.prefix.StartsWith("Jo"))} {
		raw, err := bson.Marshal(filter)
		if !errors.Is(err, ErrPlaintextFilter) || raw != nil {
			t.Errorf("bson.Marshal(%v) = %v, %v; want ErrPlaintextFilter", filter, raw, err)
		}
		if _, err := bson.Marshal(bson.D{{Key: "filter", Value: filter}}); !errors.Is(err, ErrPlaintextFilter) {
			t.Errorf("a filter inside a document marshaled: %v", err)
		}
	}
	raw, err := bson.Marshal(And(f.name.Eq("x"), f.name.Exists(true)))
	if err != nil || !strings.Contains(bson.Raw(raw).String(), `"name": "x"`) {
		t.Errorf("a filter on plain fields: %s, %v", raw, err)
	}
}

func TestFilterPrintsRedacted(t *testing.T) {
	f := newTestFields(t)
	filter := And(f.ssn.In("987-65-4320", "111-22-3333"), f.prefix.StartsWith("Jo"), f.age.Between(18, 65), Not(f.name.Eq("input")))
	for _, printed := range []string{fmt.Sprint(filter), fmt.Sprintf("%v", filter), fmt.Sprintf("%+v", filter), fmt.Sprintf("%#v", filter), filter.String(), fmt.Sprint(&filter)} {
		for _, secret := range []string{"987-65-4320", "111-22-3333", "Jo", "18", "65", `"input"`} {
			if strings.Contains(printed, secret) {
				t.Errorf("a printed filter shows %q: %s", secret, printed)
			}
		}
	}
	want := `{$and: [{record.ssn: {$in: [?, ?]}}, {$expr: {$encStrStartsWith: {input: "$p", prefix: ?}}}, {age: {$gte: ?, $lte: ?}}, {$not: [{name: {$eq: ?}}]}]}`
	if got := filter.String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
}

// TestUnfilledFieldsFail: a field that no generated struct filled (a nil
// pointer, or a field type's zero value) builds filters, updates and sort
// keys that fail everywhere, and never marshal.
func TestUnfilledFieldsFail(t *testing.T) {
	var none *EqualityField[string]
	zero := new(PlainField[string])
	const want = "did not fill"
	failed := func(what string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one saying %q", what, err, want)
		}
	}
	for name, f := range map[string]Filter{"nil": none.Eq("x"), "zero": zero.Eq("x"), "inside And": And(newTestFields(t).name.Eq("a"), zero.Eq("x"))} {
		_, err := f.ForAutomaticEncryption()
		failed(name+": ForAutomaticEncryption", err)
		_, err = bson.Marshal(f)
		failed(name+": Marshal", err)
		failed(name+": check", f.check("c"))
	}
	for name, u := range map[string]Update{"nil": none.Set("x"), "zero": zero.Set("x")} {
		_, err := u.ForAutomaticEncryption()
		failed(name+": update ForAutomaticEncryption", err)
		_, err = bson.Marshal(u)
		failed(name+": update Marshal", err)
	}
	failed("sort key", fieldOfCollection(zero.Asc().field, "c"))
	_, err := driverFind("c", []FindOption{Include(none)})
	failed("projection", err)
	if none.Path() != "" || zero.Path() != "" {
		t.Error("an unfilled field has a path")
	}
}

// TestByteSliceFieldsFit: a []byte field encrypted for equality is
// binData, though a nil []byte marshals to null; its twin, the generic
// type and a named byte slice fit, and a string does not.
func TestByteSliceFieldsFit(t *testing.T) {
	type blob []byte
	spec := specOf("c", schema.Field{Path: "hash", BSONType: schema.BinData, Queries: []schema.Query{{Type: "equality", Contention: 8}}})
	if _, err := NewFilterField[*EqualityBytes](tok, spec, "hash"); err != nil {
		t.Errorf("EqualityBytes: %v", err)
	}
	if _, err := NewFilterField[*EqualityField[[]byte]](tok, spec, "hash"); err != nil {
		t.Errorf("EqualityField[[]byte]: %v", err)
	}
	if _, err := NewFilterField[*EqualityField[blob]](tok, spec, "hash"); err != nil {
		t.Errorf("EqualityField[blob]: %v", err)
	}
	if _, err := NewFilterField[*EqualityString](tok, spec, "hash"); err == nil || !strings.Contains(err.Error(), "it is encrypted as binData, and its filter takes string") {
		t.Errorf("EqualityString on binData: %v, want it refused", err)
	}
}
