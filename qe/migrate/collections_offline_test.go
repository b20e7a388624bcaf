package migrate_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/internal/offline"
	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/qe/migrate"
)

// The test below checks the MongoDB side of package migrate
// (CollectionSource, CollectionTarget, CollectionCheckpoints) against
// internal/offline, which is not a server: it shows the commands sent and
// that they fit together, without libmongocrypt and without encryption
// (the repository is in automatic mode on a client that does not
// encrypt). example/migrate_libmongocrypt_test.go adds the encryption.

// offlineTarget creates the patients collection in d's database, with
// one data key per field named as CreateCollection names them.
func offlineTarget(t *testing.T, db *mongo.Database) *mongo.Collection {
	t.Helper()
	ctx := context.Background()
	vault := db.Collection("__keyVault")
	spec := example.PatientSpec()
	ef, err := spec.EncryptedFields.WithKeys(func(path string) (bson.Binary, error) {
		id := bson.Binary{Subtype: bson.TypeBinaryUUID, Data: []byte(strings.Repeat("k", 15) + path[len(path)-1:])}
		_, err := vault.InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "keyAltNames", Value: bson.A{qe.KeyAltName(db.Name(), spec.Name, path)}}})
		return id, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateCollection(ctx, spec.Name, options.CreateCollection().SetEncryptedFields(ef.Document())); err != nil {
		t.Fatal(err)
	}
	return db.Collection(spec.Name)
}

func TestCollectionAdaptersOffline(t *testing.T) {
	ctx := context.Background()
	d := offline.New(8, 0, 0)
	client := d.TestClient(t)
	db := client.Database("medical_records")
	var source []bson.Raw
	for i := range 10 {
		raw, _ := bson.Marshal(example.Patient{ID: bson.NewObjectID(), PatientName: "p", PatientID: int64(i), PatientRecord: example.PatientRecord{SSN: "s"}})
		source = append(source, raw)
	}
	d.Store("medical_records.patients_plain", source...)
	coll := offlineTarget(t, db)
	checkpoints := db.Collection("qegen_migrations")
	m := &migrate.Migration[example.Patient]{
		Source:      migrate.NewCollectionSource(db.Collection("patients_plain")),
		Target:      migrate.NewCollectionTarget(coll, db.Collection("__keyVault")),
		Repository:  example.NewPatientRepository(coll),
		Spec:        example.PatientSpec(),
		Checkpoints: migrate.NewCollectionCheckpoints(checkpoints),
		BatchSize:   4,
		Rate:        migrate.Unlimited,
		ReadRate:    migrate.Unlimited,
	}
	stopAt5, cancel := context.WithCancel(ctx)
	m.Progress = func(p migrate.Progress) {
		if p.Done == 5 {
			cancel()
		}
	}
	if _, err := m.Run(stopAt5); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Run = %v", err)
	}
	saved := d.Documents("medical_records.qegen_migrations")
	if len(saved) != 1 || !saved[0].Lookup("after").Equal(source[4].Lookup("_id")) || saved[0].Lookup("copied").Int64() != 5 {
		t.Fatalf("checkpoints stored: %v, want one after the 5th _id", saved)
	}
	m.Progress = nil
	report, err := m.Run(ctx)
	if err != nil || !report.Checkpoint.Done || report.Checkpoint.Copied != 10 {
		t.Fatalf("resumed Run = %+v, %v", report, err)
	}
	stored := d.Documents("medical_records.patients")
	if len(stored) != 10 {
		t.Fatalf("%d documents stored, want 10", len(stored))
	}
	for i := range stored {
		if !bytes.Equal(stored[i], source[i]) {
			t.Errorf("document %d stored as %s, want %s", i, stored[i], source[i])
		}
	}
	// What the source was asked: _id order, after the checkpoint, 4 at a time.
	var last bson.Raw
	for _, c := range d.Commands("find") {
		if c.Namespace == "medical_records.patients_plain" {
			last = c.Body
		}
	}
	if last.Lookup("sort", "_id").AsInt64() != 1 || last.Lookup("limit").AsInt64() != 4 || last.Lookup("filter", "_id", "$gt").Type != bson.TypeObjectID {
		t.Errorf("the last find on the source was %s, want {_id: {$gt: ...}} sorted by _id, limit 4", last)
	}
	if v, err := m.Verify(ctx, 0); err != nil || !v.OK() || v.Checked != 10 {
		t.Errorf("Verify = %+v, %v", v, err)
	}

	// A repository's collection under another name is refused.
	other := &migrate.Migration[example.Patient]{Source: m.Source, Target: migrate.NewCollectionTarget(db.Collection("patients_v2"), db.Collection("__keyVault")),
		Repository: m.Repository, Spec: m.Spec, Checkpoints: m.Checkpoints}
	var te *migrate.TargetError
	if _, err := other.Run(ctx); !errors.As(err, &te) || !strings.Contains(err.Error(), "the collection is named patients_v2, and the model's is patients") {
		t.Errorf("Run into a collection of another name = %v", err)
	}
}
