package generator

import (
	"strings"
	"testing"

	"github.com/qegen/qegen/schema"
)

func mustTag(t *testing.T, s string) *Tag {
	t.Helper()
	tag, err := ParseTag(s)
	if err != nil {
		t.Fatal(err)
	}
	return tag
}

// TestQueries runs the option rules as the pure functions they are: a tag,
// a BSON type and a release in, queries or one error out.
func TestQueries(t *testing.T) {
	tests := []struct {
		tag     string
		bson    schema.BSONType
		release schema.Release
		want    string // the queries as JSON, or part of the error
	}{
		{"equality", schema.String, schema.Release70, `"queries":{"queryType":"equality","contention":{"$numberLong":"8"}}}`},
		{"range", schema.Int, schema.Release80, `"queries":{"queryType":"range","contention":{"$numberLong":"8"},"sparsity":{"$numberLong":"2"},"trimFactor":{"$numberInt":"6"}}}`},
		{"range,min=0,max=3", schema.Int, schema.Release80, `"min":{"$numberInt":"0"},"max":{"$numberInt":"3"},"sparsity":{"$numberLong":"2"},"trimFactor":{"$numberInt":"1"}`},
		{"prefix,suffix,strMinQueryLength=2,strMaxQueryLength=4", schema.String, schema.Release82, `"queryType":"suffixPreview"`},
		{"prefix,suffix,strMinQueryLength=2,strMaxQueryLength=4", schema.String, schema.Release90, `"queryType":"suffix"`},
		{"range", schema.Int, schema.Release70, "range queries need MongoDB 8.0 or later"},
		{"range,sparsity=5", schema.Int, schema.Release80, "sparsity=5: MongoDB 8.0 accepts 1 to 4"},
		{"range,sparsity=5", schema.Int, schema.Release82, `"sparsity":{"$numberLong":"5"}`},
		{"equality", schema.Double, schema.Release80, "but double field is stored as double"},
		{"substring,strMinQueryLength=1,strMaxQueryLength=4,strMaxLength=9", schema.String, schema.Release90, "substring queries are limited to"},
	}
	for _, tt := range tests {
		qs, _, err := queries(mustTag(t, tt.tag), tt.bson, string(tt.bson)+" field", tt.release)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			ef := schema.EncryptedFields{Fields: []schema.Field{{Path: "f", Queries: qs}}}
			text, _ := ef.JSON()
			got = strings.Join(strings.Fields(string(text)), "")
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("queries(%q, %s, %s) = %s, want %s", tt.tag, tt.bson, tt.release, got, tt.want)
		}
	}
}
