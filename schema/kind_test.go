package schema

import (
	"testing"
)

// TestKindTable keeps the tables consistent: every spelling a kind has at
// a release is known, with that kind, and removed no earlier.
func TestKindTable(t *testing.T) {
	for _, k := range Kinds {
		if k.Algorithm() == "" || len(k.Types()) == 0 {
			t.Errorf("%s has no algorithm or types", k)
		}
		for _, r := range Releases {
			name := k.QueryType(r)
			if k == Encrypt {
				if name != "" {
					t.Errorf("encrypt has queryType %q", name)
				}
				continue
			}
			q, ok := LookupQueryType(name)
			if !ok || q.Kind != k {
				t.Errorf("%s at %s is %q, which is not known as %s", k, r, name, k)
			}
			if !q.Removed.IsZero() && r.AtLeast(q.Removed) {
				t.Errorf("%s at %s is %q, which %s removed", k, r, name, q.Removed)
			}
		}
		for _, typ := range k.Types() {
			if !typ.Encryptable() {
				t.Errorf("%s accepts %s, which cannot be encrypted", k, typ)
			}
		}
	}
	if got := Prefix.QueryType(Release82); got != "prefixPreview" {
		t.Errorf("prefix at 8.2 = %q", got)
	}
	if !Combinable([]Kind{Suffix, Prefix}) || Combinable([]Kind{Equality, Range}) || Combinable([]Kind{Prefix, Substring}) {
		t.Error("Combinable disagrees with the server: only prefix with suffix combine")
	}
	for _, o := range Options {
		for _, k := range o.Kinds {
			if k == Encrypt {
				t.Errorf("option %s applies to encrypt, which takes none", o.Name)
			}
		}
	}
}

func TestLibmongocryptSpans(t *testing.T) {
	preview, _ := LookupQueryType("substringPreview")
	for v, want := range map[string]bool{"1.19.0": false, "1.19.1": true, "1.20.9": true, "1.21.0": false, "1.22.0-20270101+git": false} {
		if got := preview.Libmongocrypt.Contains(ParseVersion(v)); got != want {
			t.Errorf("preview with %s: %v, want %v", v, got, want)
		}
	}
	if ParseVersion("1.21.1-pre").String() != "1.21.1" || !ParseVersion("1.9.9").Less(ParseVersion("1.10.0")) {
		t.Error("versions compare as numbers")
	}
}
