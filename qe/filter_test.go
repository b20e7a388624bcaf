package qe

import (
	"fmt"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func extJSON(t *testing.T, f Filter) string {
	t.Helper()
	out, err := bson.MarshalExtJSON(f, false, false)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestFilterDocuments(t *testing.T) {
	ssn := Equality[string]("c", "record.ssn")
	age := Range[int32]("c", "age")
	name := Plain[string]("c", "name")
	tests := []struct {
		name   string
		filter Filter
		want   string
	}{
		{"eq", ssn.Eq("1"), `{"record.ssn":"1"}`},
		{"eq regex", Equality[bson.Regex]("c", "re").Eq(bson.Regex{Pattern: "^a"}), `{"re":{"$eq":{"$regularExpression":{"pattern":"^a","options":""}}}}`},
		{"ne", ssn.Ne("1"), `{"record.ssn":{"$ne":"1"}}`},
		{"in", ssn.In("1", "2"), `{"record.ssn":{"$in":["1","2"]}}`},
		{"nin", ssn.Nin(), `{"record.ssn":{"$nin":[]}}`},
		{"exists", ssn.Exists(false), `{"record.ssn":{"$exists":false}}`},
		{"range eq", age.Eq(3), `{"age":3}`},
		{"lt", age.Lt(3), `{"age":{"$lt":3}}`},
		{"lte", age.Lte(3), `{"age":{"$lte":3}}`},
		{"gt", age.Gt(3), `{"age":{"$gt":3}}`},
		{"gte", age.Gte(3), `{"age":{"$gte":3}}`},
		{"between", age.Between(1, 9), `{"age":{"$gte":1,"$lte":9}}`},
		{"plain", name.Gt("m"), `{"name":{"$gt":"m"}}`},
		{"and", And(ssn.Eq("1"), name.Eq("x")), `{"$and":[{"record.ssn":"1"},{"name":"x"}]}`},
		{"or", Or(ssn.Eq("1"), ssn.Eq("2")), `{"$or":[{"record.ssn":"1"},{"record.ssn":"2"}]}`},
		{"not eq", Not(ssn.Eq("1")), `{"record.ssn":{"$ne":"1"}}`},
		{"not between", Not(age.Between(1, 9)), `{"$nor":[{"age":{"$gte":1,"$lte":9}}]}`},
		{"nor", Nor(age.Lt(1)), `{"$nor":[{"age":{"$lt":1}}]}`},
		{"not field", Not(age.Gt(5)), `{"age":{"$not":{"$gt":5}}}`},
		{"not exists", Not(ssn.Exists(true)), `{"$nor":[{"record.ssn":{"$exists":true}}]}`},
		{"not combination", Not(And(age.Gt(1), age.Lt(5))), `{"$nor":[{"$and":[{"age":{"$gt":1}},{"age":{"$lt":5}}]}]}`},
		{"starts", Prefix("c", "n").StartsWith("Jo"), `{"$expr":{"$encStrStartsWith":{"input":"$n","prefix":"Jo"}}}`},
		{"ends", Suffix("c", "n").EndsWith("oe"), `{"$expr":{"$encStrEndsWith":{"input":"$n","suffix":"oe"}}}`},
		{"both", PrefixSuffix("c", "n").EndsWith("oe"), `{"$expr":{"$encStrEndsWith":{"input":"$n","suffix":"oe"}}}`},
		{"contains", Substring("c", "n").Contains("oh"), `{"$expr":{"$encStrContains":{"input":"$n","substring":"oh"}}}`},
		{"not text", Not(Prefix("c", "n").StartsWith("J")), `{"$nor":[{"$expr":{"$encStrStartsWith":{"input":"$n","prefix":"J"}}}]}`},
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
// offers: the assignments below fail to build if a method the server
// cannot answer is ever added to a field type (e.g. Lt on equality).
func TestEncryptedFieldTypes(t *testing.T) {
	type equalityOps interface {
		Eq(string) Filter
		Ne(string) Filter
		In(...string) Filter
		Nin(...string) Filter
		Exists(bool) Filter
	}
	var eq any = Equality[string]("c", "a")
	if _, ok := eq.(equalityOps); !ok {
		t.Error("EqualityField lacks an equality operator")
	}
	if _, ok := eq.(interface{ Lt(string) Filter }); ok {
		t.Error("EqualityField offers Lt, which the server cannot answer on an equality field")
	}
	var text any = Prefix("c", "a")
	if _, ok := text.(interface{ Eq(string) Filter }); ok {
		t.Error("PrefixField offers Eq, which the server cannot answer on a text field")
	}
	if _, ok := text.(interface{ EndsWith(string) Filter }); ok {
		t.Error("PrefixField offers EndsWith without a suffix index")
	}
}

func TestFilterCollections(t *testing.T) {
	a := Equality[string]("patients", "ssn")
	b := Equality[string]("appointments", "ssn")
	if err := a.Eq("1").check("patients"); err != nil {
		t.Errorf("own collection: %v", err)
	}
	if err := a.Eq("1").check("appointments"); err == nil || !strings.Contains(err.Error(), "a filter on collection patients was used on collection appointments") {
		t.Errorf("other collection: %v", err)
	}
	mixed := Or(a.Eq("1"), b.Eq("2"))
	if err := mixed.check("patients"); err == nil || !strings.Contains(err.Error(), "mixes fields of collections patients and appointments") {
		t.Errorf("mixed: %v", err)
	}
	if _, err := bson.Marshal(And(mixed, a.Eq("3"))); err == nil {
		t.Error("a mixed filter marshals")
	}
	if err := And(All(), a.Eq("1")).check("patients"); err != nil {
		t.Errorf("All fits every collection: %v", err)
	}
	if err := All().check("anything"); err != nil {
		t.Errorf("All: %v", err)
	}
}

func TestFilterPrintsRedacted(t *testing.T) {
	ssn := Equality[string]("c", "ssn")
	f := And(ssn.In("987-65-4320", "111-22-3333"), Prefix("c", "name").StartsWith("Jo"), Range[int32]("c", "age").Between(18, 65))
	for _, printed := range []string{fmt.Sprint(f), fmt.Sprintf("%v", f), fmt.Sprintf("%+v", f), fmt.Sprintf("%#v", f), f.String()} {
		for _, secret := range []string{"987-65-4320", "111-22-3333", "Jo", "18", "65"} {
			if strings.Contains(printed, secret) {
				t.Errorf("a printed filter shows %q: %s", secret, printed)
			}
		}
	}
	want := `{$and: [{ssn: {$in: [?, ?]}}, {$expr: {$encStrStartsWith: {input: "$name", prefix: ?}}}, {age: {$gte: ?, $lte: ?}}]}`
	if got := f.String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
}
