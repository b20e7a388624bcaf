package generator

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qegen/qegen/schema"
)

func TestParseTag(t *testing.T) {
	tests := []struct {
		tag  string
		want *Tag
	}{
		{"encrypt", &Tag{Kinds: []schema.Kind{schema.Encrypt}}},
		{"equality", &Tag{Kinds: []schema.Kind{schema.Equality}}},
		{"equality,contention=4", &Tag{Kinds: []schema.Kind{schema.Equality}, Options: []TagOption{{Name: "contention", Raw: "4", Int: 4}}}},
		{" prefix , suffix ,caseSensitive=true", &Tag{Kinds: []schema.Kind{schema.Prefix, schema.Suffix}, Options: []TagOption{{Name: "caseSensitive", Raw: "true", Bool: true}}}},
		{"range,min=2024-01-01T00:00:00Z,max=10.5", &Tag{Kinds: []schema.Kind{schema.Range}, Options: []TagOption{
			{Name: "min", Raw: "2024-01-01T00:00:00Z"}, {Name: "max", Raw: "10.5"},
		}}},
		{"substring,strMaxLength=60,strMinQueryLength=2,strMaxQueryLength=10,diacriticSensitive=false", &Tag{Kinds: []schema.Kind{schema.Substring}, Options: []TagOption{
			{Name: "strMaxLength", Raw: "60", Int: 60}, {Name: "strMinQueryLength", Raw: "2", Int: 2},
			{Name: "strMaxQueryLength", Raw: "10", Int: 10}, {Name: "diacriticSensitive", Raw: "false"},
		}}},
	}
	for _, tt := range tests {
		got, err := ParseTag(tt.tag)
		if err != nil {
			t.Errorf("ParseTag(%q): %v", tt.tag, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseTag(%q) (-want +got):\n%s", tt.tag, diff)
		}
	}
}

func TestParseTagErrors(t *testing.T) {
	tests := []struct{ tag, want string }{
		{"", "empty qe tag"},
		{"  ", "empty qe tag"},
		{"equality,", "empty item"},
		{",equality", "empty item"},
		{"equal", `unknown qe kind "equal": use one of encrypt, equality, range, prefix, suffix, substring`},
		{"Equality", `unknown qe kind "Equality"`},
		{"equality,equality", `qe kind "equality" is repeated`},
		{"encrypt,equality", `combines "encrypt" with a query kind`},
		{"contention=4", "names no kind"},
		{"equality,contention", `option "contention" needs a value`},
		{"equality,contention=", `option "contention" has no value`},
		{"equality,contention=four", "contention=four: want a whole number"},
		{"equality,contention=1.5", "want a whole number"},
		{"equality,contention=1,contention=2", `"contention" is set twice`},
		{"prefix,caseSensitive=yes", "want true or false"},
		{"prefix,caseSensitive=1", "want true or false"},
		{"equality,bogus=1", `unknown qe option "bogus"`},
		{"range,min=1,min=2", `"min" is set twice`},
	}
	for _, tt := range tests {
		_, err := ParseTag(tt.tag)
		if err == nil {
			t.Errorf("ParseTag(%q) succeeded, want error containing %q", tt.tag, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseTag(%q) error = %q, want it to contain %q", tt.tag, err, tt.want)
		}
	}
}

// FuzzParseTag checks that any tag either parses into something consistent
// or is refused with an error; never a panic.
func FuzzParseTag(f *testing.F) {
	for _, seed := range []string{"encrypt", "equality,contention=4", "prefix,suffix,strMinQueryLength=2", "range,min=1,max=9", ",", "=", "a=b=c", "equality,contention=-1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tag, err := ParseTag(s)
		if err != nil {
			if tag != nil {
				t.Fatalf("ParseTag(%q) returned a tag and an error", s)
			}
			return
		}
		if len(tag.Kinds) == 0 {
			t.Fatalf("ParseTag(%q) accepted a tag without a kind", s)
		}
		seen := map[string]bool{}
		for _, o := range tag.Options {
			if _, known := schema.LookupOption(o.Name); !known || seen[o.Name] || o.Raw == "" {
				t.Fatalf("ParseTag(%q) accepted option %+v", s, o)
			}
			seen[o.Name] = true
		}
		if tag.Has(schema.Encrypt) && len(tag.Kinds) != 1 {
			t.Fatalf("ParseTag(%q) accepted encrypt with other kinds", s)
		}
	})
}
