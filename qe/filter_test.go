package qe

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

type doc struct{}

func extJSON(t *testing.T, f Filter[doc]) string {
	t.Helper()
	out, err := bson.MarshalExtJSON(f, false, false)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestFilterDocuments(t *testing.T) {
	ssn := Equality[doc, string]("record.ssn")
	age := Range[doc, int32]("age")
	name := Plain[doc, string]("name")
	tests := []struct {
		name   string
		filter Filter[doc]
		want   string
	}{
		{"eq", ssn.Eq("1"), `{"record.ssn":"1"}`},
		{"eq regex", Equality[doc, bson.Regex]("re").Eq(bson.Regex{Pattern: "^a"}), `{"re":{"$eq":{"$regularExpression":{"pattern":"^a","options":""}}}}`},
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
		{"starts", Prefix[doc]("n").StartsWith("Jo"), `{"$expr":{"$encStrStartsWith":{"input":"$n","prefix":"Jo"}}}`},
		{"ends", Suffix[doc]("n").EndsWith("oe"), `{"$expr":{"$encStrEndsWith":{"input":"$n","suffix":"oe"}}}`},
		{"both", PrefixSuffix[doc]("n").EndsWith("oe"), `{"$expr":{"$encStrEndsWith":{"input":"$n","suffix":"oe"}}}`},
		{"contains", Substring[doc]("n").Contains("oh"), `{"$expr":{"$encStrContains":{"input":"$n","substring":"oh"}}}`},
		{"not text", Not(Prefix[doc]("n").StartsWith("J")), `{"$nor":[{"$expr":{"$encStrStartsWith":{"input":"$n","prefix":"J"}}}]}`},
		{"all", All[doc](), `{}`},
		{"zero", Filter[doc]{}, `{}`},
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
		Eq(string) Filter[doc]
		Ne(string) Filter[doc]
		In(...string) Filter[doc]
		Nin(...string) Filter[doc]
		Exists(bool) Filter[doc]
	}
	var eq any = Equality[doc, string]("a")
	if _, ok := eq.(equalityOps); !ok {
		t.Error("EqualityField lacks an equality operator")
	}
	if _, ok := eq.(interface{ Lt(string) Filter[doc] }); ok {
		t.Error("EqualityField offers Lt, which the server cannot answer on an equality field")
	}
	var text any = Prefix[doc]("a")
	if _, ok := text.(interface{ Eq(string) Filter[doc] }); ok {
		t.Error("PrefixField offers Eq, which the server cannot answer on a text field")
	}
	if _, ok := text.(interface{ EndsWith(string) Filter[doc] }); ok {
		t.Error("PrefixField offers EndsWith without a suffix index")
	}
}
