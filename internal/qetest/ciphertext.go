package qetest

import (
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// IsCiphertext reports whether v is an encrypted value: binData subtype 6.
func IsCiphertext(v bson.RawValue) bool {
	subtype, _, ok := v.BinaryOK()
	return ok && subtype == 6
}

// CheckEncrypted fails t for every dotted path of doc that does not hold
// ciphertext; what says which document it is.
func CheckEncrypted(t testing.TB, what string, doc bson.Raw, paths ...string) {
	t.Helper()
	for _, path := range paths {
		if v := doc.Lookup(strings.Split(path, ".")...); !IsCiphertext(v) {
			t.Errorf("%s: %s holds %s, want ciphertext (binData subtype 6)", what, path, v.Type)
		}
	}
}
