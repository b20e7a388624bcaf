package qe

import (
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/mongocrypt"

	"github.com/qegen/qegen/schema"
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

// checkLibmongocrypt fails unless libmongocrypt version can encrypt every
// field of the collections, naming the version found, the one needed and
// why.
func checkLibmongocrypt(version string, specs ...CollectionSpec) error {
	if version == "" {
		return ErrNoLibmongocrypt
	}
	have := schema.ParseVersion(version)
	for _, spec := range specs {
		if spec.err != nil {
			return spec.err
		}
		for _, f := range spec.EncryptedFields.Fields {
			for _, span := range f.LibmongocryptSpan() {
				if !span.Contains(have) {
					return fmt.Errorf("qe: collection %s cannot be used with libmongocrypt %s, which this program links: %s (field %s)", spec.Name, version, span.Why, f.Path)
				}
			}
		}
	}
	return nil
}

// CheckLibmongocrypt fails unless the linked libmongocrypt can encrypt
// every field of the collections, with a message that names the version
// found, the version needed and why. Clients, encrypters and
// CreateCollection check this themselves; call it to fail at start.
func CheckLibmongocrypt(specs ...CollectionSpec) error {
	return checkLibmongocrypt(LibmongocryptVersion(), specs...)
}
