package qe

import (
	"errors"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/mongocrypt"
)

// ErrNoLibmongocrypt means the program was built without the cse build tag,
// so the driver cannot encrypt: it would panic instead.
var ErrNoLibmongocrypt = errors.New("qe: this program was built without libmongocrypt: build it with -tags cse (libmongocrypt 1.15 or later must be installed)")

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
