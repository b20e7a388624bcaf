package qe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Keys says where data keys live and how new ones are made.
type Keys struct {
	// Encryption finds and creates data keys; see NewClientEncryption.
	Encryption *mongo.ClientEncryption
	// Vault is the key vault collection, e.g. medical_records.__keyVault,
	// reached through a client without automatic encryption.
	Vault *mongo.Collection
	// Provider names the KMS provider that wraps new data keys: "local",
	// "aws", "azure", "gcp", "kmip", or a named one such as "aws:eu".
	Provider string
	// MasterKey is the provider's master key document (nil for "local").
	MasterKey any
}

func (k Keys) validate() error {
	switch {
	case k.Encryption == nil:
		return errors.New("qe: Keys.Encryption is nil: build it with qe.NewClientEncryption")
	case k.Vault == nil:
		return errors.New("qe: Keys.Vault is nil: set it to the key vault collection, e.g. client.Database(\"encryption\").Collection(\"__keyVault\")")
	case k.Provider == "":
		return errors.New("qe: Keys.Provider is empty: name the KMS provider that wraps data keys, e.g. \"local\" or \"aws\"")
	}
	return nil
}

// KeyAltName is the alt name of the data key for one encrypted field:
// "<database>.<collection>/<path>". Including the database lets one key
// vault serve several databases without two collections sharing a key.
func KeyAltName(database, collection, path string) string {
	return database + "." + collection + "/" + path
}

// keyAltNamesIndex is the unique index the driver expects but does not make
// (client-side encryption spec): without it, concurrent starts could create
// two keys with one alt name.
var keyAltNamesIndex = mongo.IndexModel{
	Keys: bson.D{{Key: "keyAltNames", Value: 1}},
	Options: options.Index().
		SetName("keyAltNames_1").
		SetUnique(true).
		SetPartialFilterExpression(bson.D{{Key: "keyAltNames", Value: bson.D{{Key: "$exists", Value: true}}}}),
}

// EnsureKeyVaultIndex creates the key vault's unique partial index on
// keyAltNames if it is missing.
func EnsureKeyVaultIndex(ctx context.Context, vault *mongo.Collection) error {
	if _, err := vault.Indexes().CreateOne(ctx, keyAltNamesIndex); err != nil {
		return fmt.Errorf("qe: creating the unique keyAltNames index on %s: %w", namespace(vault), err)
	}
	return nil
}

// DataKey returns the id of the data key named altName, creating it with
// the provider and master key in keys when there is none. Running it twice,
// or from two processes at once, yields one key.
func DataKey(ctx context.Context, keys Keys, altName string) (bson.Binary, error) {
	id, _, err := dataKey(ctx, keys, altName)
	return id, err
}

// dataKey is DataKey, also saying whether the key already existed.
func dataKey(ctx context.Context, keys Keys, altName string) (id bson.Binary, existed bool, err error) {
	if err := keys.validate(); err != nil {
		return bson.Binary{}, false, err
	}
	id, err = findKey(ctx, keys.Encryption, altName)
	if err == nil || !errors.Is(err, mongo.ErrNoDocuments) {
		return id, err == nil, err
	}
	opts := options.DataKey().SetKeyAltNames([]string{altName})
	if keys.MasterKey != nil {
		opts.SetMasterKey(keys.MasterKey)
	}
	id, err = keys.Encryption.CreateDataKey(ctx, keys.Provider, opts)
	if mongo.IsDuplicateKeyError(err) {
		// Another process created it first; use theirs.
		id, err = findKey(ctx, keys.Encryption, altName)
		return id, true, err
	}
	if err != nil {
		return bson.Binary{}, false, fmt.Errorf("qe: creating data key %q with KMS provider %q: %w", altName, keys.Provider, err)
	}
	if isLocalProvider(keys.Provider) {
		slog.Warn("qe: data key wrapped by a local master key: anyone who reads that key can decrypt the data; use a remote KMS (aws, azure, gcp, kmip) in production", "keyAltName", altName)
	}
	return id, false, nil
}

func findKey(ctx context.Context, ce *mongo.ClientEncryption, altName string) (bson.Binary, error) {
	var key struct {
		ID bson.Binary `bson:"_id"`
	}
	err := ce.GetKeyByAltName(ctx, altName).Decode(&key)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return bson.Binary{}, err
	}
	if err != nil {
		return bson.Binary{}, fmt.Errorf("qe: looking up data key %q: %w", altName, err)
	}
	return key.ID, nil
}

func isLocalProvider(name string) bool {
	return name == "local" || strings.HasPrefix(name, "local:")
}

func namespace(c *mongo.Collection) string {
	return strings.Join([]string{c.Database().Name(), c.Name()}, ".")
}
