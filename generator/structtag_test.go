package generator

import (
	"reflect"
	"strings"
	"testing"
)

func TestQETag(t *testing.T) {
	tests := []struct {
		raw, value, err string
		found           bool
	}{
		{raw: `bson:"ssn" qe:"equality"`, value: "equality", found: true},
		{raw: `bson:"ssn"`},
		{raw: `bson:"sequence"`},
		{raw: `json:"x,omitempty"  qe:"encrypt"`, value: "encrypt", found: true},
		{raw: `qe:"encrypt`, err: "no closing quote"},
		{raw: `bson:"phone",qe:"equality"`, err: "not separated from what follows by a space"},
		{raw: `qe: "equality"`, err: "not a quoted string right after the colon"},
		{raw: `QE:"equality"`, err: "has the key QE, which is not qe"},
		{raw: `qe:"a" qe:"b"`, err: "has qe twice"},
		{raw: `bson:"x`}, // malformed, but mentions no qe: not qegen's business
		{raw: `myname,omitempty`},
	}
	for _, tt := range tests {
		value, found, err := qeTag(tt.raw)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("qeTag(%q) = %v, want an error saying %q", tt.raw, err, tt.err)
			}
			continue
		}
		if err != nil || value != tt.value || found != tt.found {
			t.Errorf("qeTag(%q) = %q, %v, %v; want %q, %v", tt.raw, value, found, err, tt.value, tt.found)
		}
	}
}

// FuzzQETag checks qegen's reading of struct tags against reflect's, which
// the driver uses: whenever qegen accepts a tag, it finds the qe key
// exactly when reflect does, with the same value; whenever reflect finds a
// qe key, qegen accepts the tag or refuses it, never misses it silently.
func FuzzQETag(f *testing.F) {
	for _, seed := range []string{`bson:"ssn" qe:"equality"`, `qe:"encrypt`, `bson:"phone",qe:"equality"`, `qe: "equality"`, `QE:"x"`, `qe:"a" qe:"b"`, `a:"\"qe:\"" qe:"x"`, "qe:\"\\x00\""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		value, found, err := qeTag(raw)
		want, wantFound := reflect.StructTag(raw).Lookup("qe")
		if err != nil {
			return // refused: nothing is generated for the field
		}
		if found != wantFound || value != want {
			t.Fatalf("qeTag(%q) = %q, %v; reflect finds %q, %v", raw, value, found, want, wantFound)
		}
	})
}
