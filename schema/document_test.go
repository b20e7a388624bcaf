package schema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
)

func parseD(t *testing.T, doc bson.D) EncryptedFields {
	t.Helper()
	ef, err := FromDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	return ef
}

func field(path, bsonType string, queries any) bson.D {
	d := bson.D{{Key: "keyId", Value: bson.Binary{Subtype: 4, Data: []byte(path)}}, {Key: "path", Value: path}, {Key: "bsonType", Value: bsonType}}
	if queries != nil {
		d = append(d, bson.E{Key: "queries", Value: queries})
	}
	return d
}

func eq(contention any) bson.D {
	return bson.D{{Key: "queryType", Value: "equality"}, {Key: "contention", Value: contention}}
}

func TestParse(t *testing.T) {
	ef := parseD(t, bson.D{{Key: "fields", Value: bson.A{
		field("age", "int", bson.D{{Key: "queryType", Value: "range"}, {Key: "contention", Value: int64(0)}, {Key: "min", Value: int32(0)}, {Key: "max", Value: int32(150)}, {Key: "sparsity", Value: int64(2)}, {Key: "trimFactor", Value: int32(6)}}),
		field("name", "string", bson.A{
			bson.D{{Key: "queryType", Value: "prefixPreview"}, {Key: "contention", Value: int64(8)}, {Key: "strMinQueryLength", Value: int32(2)}, {Key: "strMaxQueryLength", Value: int32(9)}, {Key: "caseSensitive", Value: true}, {Key: "diacriticSensitive", Value: false}},
			bson.D{{Key: "queryType", Value: "suffixPreview"}, {Key: "contention", Value: int64(8)}, {Key: "strMinQueryLength", Value: int32(2)}, {Key: "strMaxQueryLength", Value: int32(9)}, {Key: "caseSensitive", Value: true}, {Key: "diacriticSensitive", Value: false}},
		}),
		field("card", "object", nil),
	}}, {Key: "escCollection", Value: "enxcol_.c.esc"}, {Key: "strEncodeVersion", Value: int32(1)}})
	if len(ef.Fields) != 3 || ef.StrEncodeVersion != 1 {
		t.Fatalf("parsed %+v", ef)
	}
	age := ef.Fields[0].Queries[0]
	if age.Kind() != Range || age.Range.Min.Int32() != 0 || age.Range.Max.Int32() != 150 || *age.Range.Sparsity != 2 || *age.Range.TrimFactor != 6 || age.Range.Precision != nil || age.Contention != 0 {
		t.Errorf("range = %+v %+v", age, age.Range)
	}
	name := ef.Fields[1]
	if k := name.Kinds(); len(k) != 2 || k[0] != Prefix || k[1] != Suffix || name.Algorithm() != "String" {
		t.Errorf("kinds = %v", k)
	}
	if q := name.Queries[1]; q.Text.StrMaxQueryLength != 9 || !q.Text.CaseSensitive || q.Text.DiacriticSensitive {
		t.Errorf("suffix options = %+v", q.Text)
	}
	if card := ef.Fields[2]; !card.Has(Encrypt) || card.Algorithm() != "Unindexed" || card.BSONType != Object {
		t.Errorf("card = %+v", card)
	}
	// Written back, it reads the same (the server's keys are dropped).
	if diff := cmp.Diff(ef.Document(), parseD(t, ef.Document()).Document()); diff != "" {
		t.Errorf("round trip (-first +second):\n%s", diff)
	}
	text, err := ef.JSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseJSON(string(text))
	if err != nil || len(Diff(ef, back)) != 0 {
		t.Errorf("JSON round trip: %v, %v", Diff(ef, back), err)
	}
}

func TestParseRefusesWhatItCannotRead(t *testing.T) {
	for want, doc := range map[string]bson.D{
		`unknown key "fieldz"`:                  {{Key: "fieldz", Value: bson.A{}}},
		"fields[0]: no path":                    {{Key: "fields", Value: bson.A{bson.D{{Key: "bsonType", Value: "string"}}}}},
		`fields[0]: unknown key "keyAltName"`:   {{Key: "fields", Value: bson.A{bson.D{{Key: "path", Value: "a"}, {Key: "keyAltName", Value: "x"}}}}},
		"bsonType is \"String\"":                {{Key: "fields", Value: bson.A{bson.D{{Key: "path", Value: "a"}, {Key: "bsonType", Value: "String"}}}}},
		`queryType "fuzzy" is not one`:          {{Key: "fields", Value: bson.A{field("a", "string", bson.D{{Key: "queryType", Value: "fuzzy"}})}}},
		`unknown key "bits"`:                    {{Key: "fields", Value: bson.A{field("a", "string", bson.D{{Key: "queryType", Value: "equality"}, {Key: "bits", Value: int32(2)}})}}},
		"sparsity: \"x\" is not a whole number": {{Key: "fields", Value: bson.A{field("a", "int", bson.D{{Key: "queryType", Value: "range"}, {Key: "sparsity", Value: "x"}})}}},
		"keyId is":                              {{Key: "fields", Value: bson.A{bson.D{{Key: "path", Value: "a"}, {Key: "keyId", Value: "k"}}}}},
		"fields[0] is a string":                 {{Key: "fields", Value: bson.A{"a"}}},
	} {
		if _, err := FromDocument(doc); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%v) = %v, want an error saying %q", doc, err, want)
		}
	}
}

func TestDiff(t *testing.T) {
	model := parseD(t, bson.D{{Key: "fields", Value: bson.A{
		field("ssn", "string", eq(int64(8))),
		field("billing", "object", nil),
	}}})
	tests := []struct {
		name string
		got  bson.D
		want []string
	}{
		{"same, as the server stores it", bson.D{
			{Key: "escCollection", Value: "enxcol_.patients.esc"},
			{Key: "ecocCollection", Value: "enxcol_.patients.ecoc"},
			{Key: "fields", Value: bson.A{
				field("billing", "object", nil),
				field("ssn", "string", bson.A{eq(int32(8))}),
			}},
		}, nil},
		{"other contention", bson.D{{Key: "fields", Value: bson.A{
			field("ssn", "string", eq(int64(4))), field("billing", "object", nil),
		}}}, []string{"ssn: queries[0].contention is 8 in the model, 4 in the collection"}},
		{"field added to the model", bson.D{{Key: "fields", Value: bson.A{
			field("ssn", "string", eq(int64(8))),
		}}}, []string{"billing: the model encrypts it, the collection does not"}},
		{"field no longer in the model, and made queryable", bson.D{{Key: "fields", Value: bson.A{
			field("ssn", "string", nil), field("billing", "object", nil), field("notes", "string", nil),
		}}}, []string{
			"notes: the collection encrypts it, the model does not",
			"ssn: queries[0].contention is 8 in the model, absent in the collection",
			`ssn: queries[0].queryType is "equality" in the model, absent in the collection`,
		}},
		{"other type and key", bson.D{{Key: "fields", Value: bson.A{
			field("ssn", "long", eq(int64(8))),
			append(field("billing", "object", nil)[1:], bson.E{Key: "keyId", Value: bson.Binary{Subtype: 4, Data: []byte("other")}}),
		}}}, []string{
			`billing: keyId is {"$binary":{"base64":"YmlsbGluZw==","subType":"04"}} in the model, {"$binary":{"base64":"b3RoZXI=","subType":"04"}} in the collection`,
			`ssn: bsonType is "string" in the model, "long" in the collection`,
		}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Diff(model, parseD(t, tt.got))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	// The model's keyIds are null before keys exist: not a difference.
	unkeyed := parseD(t, bson.D{{Key: "fields", Value: bson.A{bson.D{{Key: "keyId", Value: nil}, {Key: "path", Value: "a"}, {Key: "bsonType", Value: "string"}}}}})
	if diffs := Diff(unkeyed, parseD(t, bson.D{{Key: "fields", Value: bson.A{field("a", "string", nil)}}})); len(diffs) != 0 {
		t.Errorf("diffs = %v, want none", diffs)
	}
}

func TestCloneSharesNothing(t *testing.T) {
	sp, tf := int64(2), int32(6)
	ef := EncryptedFields{Fields: []Field{{Path: "a", BSONType: Int, KeyID: &bson.Binary{Subtype: 4, Data: []byte("k")},
		Queries: []Query{{Type: "range", Range: &RangeOptions{Min: bson.RawValue{Type: bson.TypeInt32, Value: []byte{0, 0, 0, 0}}, Sparsity: &sp, TrimFactor: &tf}}}}}}
	before, _ := ef.JSON()
	c := ef.Clone()
	c.Fields[0].Path = "b"
	c.Fields[0].KeyID.Data[0] = 'x'
	c.Fields[0].Queries[0].Contention = 9
	*c.Fields[0].Queries[0].Range.Sparsity = 4
	c.Fields[0].Queries[0].Range.Min.Value[0] = 7
	if after, _ := ef.JSON(); string(after) != string(before) {
		t.Errorf("changing a clone changed the original:\n%s\n%s", before, after)
	}
}
