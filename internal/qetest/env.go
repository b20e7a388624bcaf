// Package qetest runs package qe against the real libmongocrypt, through
// the real driver, without a MongoDB server: commands go to an in-memory
// deployment (package offline) that keeps the key vault and records what
// libmongocrypt let through. What is real: libmongocrypt (encryption,
// decryption, key unwrapping with a local master key, its checks of
// options and of the encryptedFieldsMap), the driver and qe. What is not:
// the server, which would also validate encryptedFields and payloads and
// evaluate queries.
package qetest

import (
	"context"
	"crypto/rand"
	"os"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/qegen/qegen/internal/offline"
	"github.com/qegen/qegen/qe"
)

// Database is the database every Env uses.
const Database = "medical_records"

// Env is a key vault and a deployment in memory, with a local master key.
type Env struct {
	Deployment *offline.Deployment
	Config     qe.Config
	Plain      *mongo.Client // without encryption, as for the key vault
	Encryption *mongo.ClientEncryption
	Keys       qe.Keys
}

// Skip skips t unless the test binary links libmongocrypt; with
// QEGEN_REQUIRE_LIBMONGOCRYPT set (as CI does), it fails instead.
func Skip(t testing.TB) {
	t.Helper()
	if qe.LibmongocryptVersion() != "" {
		return
	}
	if os.Getenv("QEGEN_REQUIRE_LIBMONGOCRYPT") != "" {
		t.Fatal("QEGEN_REQUIRE_LIBMONGOCRYPT is set, but the test binary does not link libmongocrypt: build with -tags cse")
	}
	t.Skip("needs libmongocrypt: run go test -tags cse (see the README)")
}

// New returns an Env whose deployment reports MongoDB server (e.g. 8, 2),
// or skips t without libmongocrypt.
func New(t testing.TB, server ...int) *Env {
	t.Helper()
	Skip(t)
	key := make([]byte, qe.LocalKeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	e := &Env{
		Deployment: offline.New(server...),
		Config:     qe.Config{KeyVaultNamespace: Database + ".__keyVault", KMS: &qe.LocalKMS{Key: key}},
	}
	var err error
	if e.Plain, err = e.Deployment.Client(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Plain.Disconnect(context.Background()) })
	if e.Encryption, err = e.Config.NewClientEncryption(e.Plain); err != nil {
		t.Fatal(err)
	}
	e.Keys = e.Config.Keys(e.Encryption, e.Plain)
	return e
}

// Create runs qe.CreateCollection for spec.
func (e *Env) Create(t testing.TB, spec qe.CollectionSpec) *mongo.Collection {
	t.Helper()
	coll, err := qe.CreateCollection(context.Background(), e.Plain.Database(Database), spec, e.Keys)
	if err != nil {
		t.Fatalf("CreateCollection(%s): %v", spec.Name, err)
	}
	return coll
}

// ExplicitClient connects as explicit mode does (Config.Connect with
// ExplicitMode and the collections' encryptedFieldsMap, keys found by alt
// name): libmongocrypt decrypts replies and adds encryptionInformation.
func (e *Env) ExplicitClient(t testing.TB, specs ...qe.CollectionSpec) *mongo.Client {
	t.Helper()
	ctx := context.Background()
	fields, err := qe.EncryptedFieldsMap(ctx, e.Keys.Vault, Database, specs...)
	if err != nil {
		t.Fatalf("EncryptedFieldsMap: %v", err)
	}
	client, err := e.Config.Connect(e.Deployment.ClientOptions(), qe.ExplicitMode, fields)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { client.Disconnect(context.Background()) })
	return client
}

// Namespace is database.collection of spec in an Env.
func Namespace(spec qe.CollectionSpec) string { return Database + "." + spec.Name }
