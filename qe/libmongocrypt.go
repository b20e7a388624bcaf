package qe

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/mongocrypt"
)

// ErrNoLibmongocrypt means the program was built without the cse build tag,
// so the driver cannot encrypt: it would panic instead.
var ErrNoLibmongocrypt = errors.New("qe: this program was built without libmongocrypt: build it with -tags cse (libmongocrypt 1.19 or later must be installed; see the README)")

// LibmongocryptVersion is the version of the linked libmongocrypt, or "" when
// the program was built without the cse build tag.
func LibmongocryptVersion() string { return mongocrypt.Version() }

// NewClientEncryption is mongo.NewClientEncryption, returning
// ErrNoLibmongocrypt where the driver would panic. keyVaultClient must not
// use automatic encryption; kmsProviders has the driver's shape, e.g.
// {"local": {"key": key96}}.
func NewClientEncryption(keyVaultClient *mongo.Client, keyVaultNamespace string, kmsProviders map[string]map[string]any) (*mongo.ClientEncryption, error) {
	if LibmongocryptVersion() == "" {
		return nil, ErrNoLibmongocrypt
	}
	return mongo.NewClientEncryption(keyVaultClient, options.ClientEncryption().
		SetKeyVaultNamespace(keyVaultNamespace).
		SetKmsProviders(kmsProviders))
}

// libmongocryptSpan is the libmongocrypt releases that can encrypt one
// query type: from first up to, not including, removed (nil: still there).
type libmongocryptSpan struct {
	first, removed []int
	why            string
}

// libmongocryptSpans says which libmongocrypt releases serve each
// queryType ("" for fields without queries), from libmongocrypt's
// changelog and measurements with 1.21.1.
var libmongocryptSpans = map[string]libmongocryptSpan{
	"":             {first: []int{1, 8, 0}, why: "Queryable Encryption v2 needs 1.8.0"},
	"equality":     {first: []int{1, 8, 0}, why: "Queryable Encryption v2 needs 1.8.0"},
	"range":        {first: []int{1, 11, 0}, why: "range queries need 1.11.0"},
	"rangePreview": {first: []int{1, 8, 0}, removed: []int{1, 11, 0}, why: "rangePreview was removed in 1.11.0: recreate the collection with range (MongoDB 8.0)"},
	"prefix":       {first: []int{1, 19, 0}, why: "the String algorithm and the prefix and suffix queries need 1.19.0"},
	"suffix":       {first: []int{1, 19, 0}, why: "the String algorithm and the prefix and suffix queries need 1.19.0"},
	"substring":    {first: []int{1, 20, 0}, why: "substring queries need 1.20.0"},
}

// textPreview is the span of 8.2's text preview names: explicit mode needs
// the String algorithm (1.19.0, which refused the preview names; 1.19.1
// restored them), and 1.21.0 removed them.
var textPreview = libmongocryptSpan{first: []int{1, 19, 1}, removed: []int{1, 21, 0},
	why: "MongoDB 8.2's text preview names (prefixPreview, suffixPreview, substringPreview) work with 1.19.1 to 1.20.x only, as 1.21.0 removed them: regenerate for MongoDB 9.0 (qegen -server 9.0) and create a new collection, or link libmongocrypt 1.20"}

func init() {
	for _, name := range []string{"prefixPreview", "suffixPreview", "substringPreview"} {
		libmongocryptSpans[name] = textPreview
	}
}

// checkLibmongocrypt fails unless libmongocrypt version can encrypt every
// field of the collections, naming the version found, the one needed and
// why.
func checkLibmongocrypt(version string, specs ...CollectionSpec) error {
	if version == "" {
		return ErrNoLibmongocrypt
	}
	have := parseLibmongocryptVersion(version)
	for _, spec := range specs {
		fields, err := parseFields(spec.EncryptedFields)
		if err != nil {
			return err
		}
		for _, f := range fields {
			types := []string{""}
			for _, q := range f.Queries {
				types = append(types, q.Type)
			}
			for _, t := range types {
				span, known := libmongocryptSpans[t]
				if !known {
					return fmt.Errorf("qe: collection %s encrypts %s for %q queries, which this version of qe does not know: update github.com/qegen/qegen", spec.Name, f.Path, t)
				}
				if compareVersion(have, span.first) < 0 || span.removed != nil && compareVersion(have, span.removed) >= 0 {
					return fmt.Errorf("qe: collection %s cannot be used with libmongocrypt %s, which this program links: %s (field %s)", spec.Name, version, span.why, f.Path)
				}
			}
		}
	}
	return nil
}

// parseLibmongocryptVersion reads "1.21.1", "1.21.1-pre" or
// "1.22.0-20260101+gitabc" as its numeric parts.
func parseLibmongocryptVersion(v string) []int {
	var out []int
	for _, part := range strings.SplitN(v, ".", 3) {
		end := 0
		for end < len(part) && part[end] >= '0' && part[end] <= '9' {
			end++
		}
		n, _ := strconv.Atoi(part[:end])
		out = append(out, n)
		if end < len(part) {
			break
		}
	}
	return out
}

// CheckLibmongocrypt fails unless the linked libmongocrypt can encrypt
// every field of the collections, with a message that names the version
// found, the version needed and why. Clients, encrypters and
// CreateCollection check this themselves; call it to fail at start.
func CheckLibmongocrypt(specs ...CollectionSpec) error {
	return checkLibmongocrypt(LibmongocryptVersion(), specs...)
}
