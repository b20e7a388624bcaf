package example_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/internal/qetest"
	"github.com/qegen/qegen/qe"
)

// serverEnv is a scratch database on a real server, or a skip.
type serverEnv struct {
	uri   string
	cfg   qe.Config
	plain *mongo.Client
	db    *mongo.Database
	ce    *mongo.ClientEncryption
	keys  qe.Keys
}

func newServerEnv(t *testing.T, ctx context.Context) *serverEnv {
	t.Helper()
	uri := os.Getenv("QEGEN_MONGODB_URI")
	if uri == "" {
		t.Skip("set QEGEN_MONGODB_URI to a MongoDB 7.0+ replica set to run server tests")
	}
	if qe.LibmongocryptVersion() == "" {
		t.Skip("server tests need libmongocrypt: run go test -tags cse")
	}
	dbName := fmt.Sprintf("qegen_test_%d", time.Now().UnixNano())
	env := &serverEnv{uri: uri, cfg: qe.Config{
		KeyVaultNamespace:      dbName + ".__keyVault",
		KMS:                    &qe.LocalKMS{Key: randomKey(t)},
		CryptSharedLibPath:     os.Getenv("QEGEN_CRYPT_SHARED_LIB_PATH"),
		CryptSharedLibRequired: os.Getenv("QEGEN_CRYPT_SHARED_LIB_PATH") != "",
	}}
	var err error
	if env.plain, err = mongo.Connect(options.Client().ApplyURI(uri)); err != nil {
		t.Fatal(err)
	}
	env.db = env.plain.Database(dbName)
	t.Cleanup(func() {
		env.db.Drop(context.Background())
		env.plain.Disconnect(context.Background())
	})
	if env.ce, err = env.cfg.NewClientEncryption(env.plain); err != nil {
		t.Fatal(err)
	}
	env.keys = env.cfg.Keys(env.ce, env.plain)
	return env
}

func randomKey(t *testing.T) []byte {
	key := make([]byte, qe.LocalKeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	return key
}

// encryptedCollection opens name through a client in the given mode.
func (env *serverEnv) encryptedCollection(t *testing.T, ctx context.Context, mode qe.Mode, spec qe.CollectionSpec) *mongo.Collection {
	t.Helper()
	fieldsMap, err := qe.EncryptedFieldsMap(ctx, env.keys.Vault, env.db.Name(), spec)
	if err != nil {
		t.Fatal(err)
	}
	client, err := env.cfg.Connect(options.Client().ApplyURI(env.uri), mode, fieldsMap)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Disconnect(context.Background()) })
	return client.Database(env.db.Name()).Collection(spec.Name)
}

func (env *serverEnv) repoOptions(mode qe.Mode) []qe.RepositoryOption {
	if mode == qe.ExplicitMode {
		return []qe.RepositoryOption{qe.WithExplicitEncryption(qe.NewClientEncrypter(env.ce))}
	}
	return nil
}

var modes = map[string]qe.Mode{"automatic": qe.AutomaticMode, "explicit": qe.ExplicitMode}

// TestTutorialOnServer runs the tutorial in both modes: it creates the
// collection twice (no duplicate keys), inserts John Doe, finds him by SSN,
// and checks that a plain client sees only ciphertext.
func TestTutorialOnServer(t *testing.T) {
	for name, mode := range modes {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			env := newServerEnv(t, ctx)
			for range 2 {
				if _, err := qe.CreateCollection(ctx, env.db, example.PatientSpec(), env.keys); err != nil {
					t.Fatalf("CreateCollection: %v", err)
				}
			}
			if n, err := env.keys.Vault.CountDocuments(ctx, bson.D{}); err != nil || n != 2 {
				t.Fatalf("key vault holds %d keys (err %v) after creating twice, want 2", n, err)
			}
			patients := example.NewPatientRepository(env.encryptedCollection(t, ctx, mode, example.PatientSpec()), env.repoOptions(mode)...)

			amount, _ := bson.ParseDecimal128("1500")
			john := &example.Patient{PatientName: "John Doe", PatientID: 12345678, PatientRecord: example.PatientRecord{
				SSN: "987-65-4320", Billing: example.Billing{CCType: "Visa", CCNumber: "4111111111111111"}, BillAmount: amount,
			}}
			if _, err := patients.InsertOne(ctx, john); err != nil {
				t.Fatalf("InsertOne: %v", err)
			}
			found, err := patients.FindOne(ctx, example.PatientWhere().PatientRecordSSN.Eq("987-65-4320"))
			if err != nil {
				t.Fatalf("FindOne(SSN): %v", err)
			}
			if got := found.String(); got != "John Doe (12345678)" || found.PatientRecord.Billing.CCNumber != "4111111111111111" {
				t.Errorf("found %q with card %q, want John Doe (12345678) with his card", got, found.PatientRecord.Billing.CCNumber)
			}
			if n, err := patients.Count(ctx, qe.Or(example.PatientWhere().PatientRecordSSN.In("987-65-4320", "000-00-0000"))); err != nil || n != 1 {
				t.Errorf("Count($in) = %d, %v; want 1", n, err)
			}
			// Two documents with one SSN: equality finds both.
			jane := &example.Patient{PatientName: "Jane Roe", PatientRecord: example.PatientRecord{SSN: "123-45-6789"}}
			for range 2 {
				if _, err := patients.InsertOne(ctx, jane); err != nil {
					t.Errorf("InsertOne(jane) = %v", err)
				}
			}
			if n, err := patients.Count(ctx, example.PatientWhere().PatientRecordSSN.Eq("123-45-6789")); err != nil || n != 2 {
				t.Errorf("Count after two inserts = %d, %v; want 2", n, err)
			}
			if _, err := patients.FindOne(ctx, example.PatientWhere().PatientRecordSSN.Eq("000-00-0000")); !errors.Is(err, mongo.ErrNoDocuments) {
				t.Errorf("FindOne(an unknown SSN) = %v, want mongo.ErrNoDocuments", err)
			}

			var stored bson.Raw
			if err := env.db.Collection(example.PatientCollection).FindOne(ctx, bson.D{}).Decode(&stored); err != nil {
				t.Fatal(err)
			}
			qetest.CheckEncrypted(t, "the stored patient", stored, "patient_record.ssn", "patient_record.billing")
			if res, err := patients.DeleteOne(ctx, example.PatientWhere().PatientRecordSSN.Eq("987-65-4320")); err != nil || res.DeletedCount != 1 {
				t.Errorf("DeleteOne by SSN = %+v, %v; want one deleted", res, err)
			}
		})
	}
}

// TestEveryKindOnServer exercises range and text queries in both modes;
// it needs MongoDB 9.0 (text queries) and skips on older servers.
func TestEveryKindOnServer(t *testing.T) {
	for name, mode := range modes {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			env := newServerEnv(t, ctx)
			if _, err := qe.CreateCollection(ctx, env.db, example.AppointmentSpec(), env.keys); err != nil {
				t.Skipf("this server cannot hold the appointments collection: %v", err)
			}
			repo := example.NewAppointmentRepository(env.encryptedCollection(t, ctx, mode, example.AppointmentSpec()), env.repoOptions(mode)...)
			fee, _ := bson.ParseDecimal128("120.50")
			at := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
			if _, err := repo.InsertOne(ctx, &example.Appointment{PatientID: 12345678, PatientName: "John Doe", Reason: "annual checkup", At: at, Fee: fee}); err != nil {
				t.Fatalf("InsertOne: %v", err)
			}
			lo, hi := at.Add(-time.Hour), at.Add(time.Hour)
			cheap, _ := bson.ParseDecimal128("200.00")
			w := example.AppointmentWhere()
			checks := map[string]qe.Filter{
				"prefix":          w.PatientName.StartsWith("jo"),
				"suffix":          w.PatientName.EndsWith("DOE"),
				"substring":       w.Reason.Contains("check"),
				"range between":   w.At.Between(lo, hi),
				"range eq":        w.At.Eq(at),
				"decimal range":   w.Fee.Lt(cheap),
				"mixed and plain": qe.And(w.At.Gte(lo), w.PatientID.Eq(12345678)),
			}
			for what, f := range checks {
				got, err := repo.Find(ctx, f)
				if err != nil || len(got) != 1 || got[0].PatientName != "John Doe" {
					t.Errorf("%s: got %d documents, err %v; want John Doe", what, len(got), err)
				}
			}
			if got, err := repo.Find(ctx, w.At.Gt(hi)); err != nil || len(got) != 0 {
				t.Errorf("At.Gt after the visit: %d documents, err %v; want none", len(got), err)
			}
		})
	}
}

// TestLifecycleOnServer: a model change is refused with the differences,
// compaction runs, and keys rotate to a new master key and still work.
func TestLifecycleOnServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	env := newServerEnv(t, ctx)
	if _, err := qe.CreateCollection(ctx, env.db, example.PatientSpec(), env.keys); err != nil {
		t.Fatal(err)
	}

	changed := example.PatientSpec()
	changed.EncryptedFields.Fields = changed.EncryptedFields.Fields[:1]
	changed.EncryptedFields.Fields[0].Queries[0].Contention = 2
	_, err := qe.CreateCollection(ctx, env.db, changed, env.keys)
	if err == nil || !strings.Contains(err.Error(), "patient_record.billing: the collection encrypts it, the model does not") || !strings.Contains(err.Error(), "contention is 2 in the model, 8 in the collection") {
		t.Errorf("creating with a changed model = %v, want the list of differences", err)
	}

	// Compaction works on a client in either mode; explicit needs no crypt_shared.
	coll := env.encryptedCollection(t, ctx, qe.ExplicitMode, example.PatientSpec())
	if _, err := qe.Compact(ctx, coll.Database(), example.PatientCollection); err != nil {
		t.Errorf("Compact: %v", err)
	}

	next := &qe.LocalKMS{Key: randomKey(t)}
	rotating := env.cfg
	rotating.KMS, rotating.Previous = next, []qe.KMS{env.cfg.KMS}
	ce, err := rotating.NewClientEncryption(env.plain)
	if err != nil {
		t.Fatal(err)
	}
	n, err := qe.RotateKeys(ctx, ce, env.db.Name(), example.PatientSpec(), next)
	if err != nil || n != 2 {
		t.Fatalf("RotateKeys = %d, %v; want 2 keys rewrapped", n, err)
	}
	// With only the new master key, the existing keys still open.
	after := env.cfg
	after.KMS = next
	ce2, err := after.NewClientEncryption(env.plain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := qe.CreateCollection(ctx, env.db, example.PatientSpec(), after.Keys(ce2, env.plain)); err != nil {
		t.Errorf("after rotation, the keys do not open with the new master key: %v", err)
	}
	// And the old one is refused with a clear message. A new
	// ClientEncryption, since each caches the keys it has opened.
	oldCE, err := env.cfg.NewClientEncryption(env.plain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := qe.CreateCollection(ctx, env.db, example.PatientSpec(), env.cfg.Keys(oldCE, env.plain)); err == nil || !strings.Contains(err.Error(), "cannot be used with this master key") {
		t.Errorf("the old master key after rotation = %v, want a clear refusal", err)
	}
}

// TestRepositoryOnServer runs what an application does beyond the
// tutorial, in both modes: partial updates of encrypted and plain fields,
// find-and-modify, paging by _id, streaming, existence, deletes, a
// transaction, and dropping the collection with its metadata.
func TestRepositoryOnServer(t *testing.T) {
	for name, mode := range modes {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			env := newServerEnv(t, ctx)
			if _, err := qe.CreateCollection(ctx, env.db, example.PatientSpec(), env.keys); err != nil {
				t.Fatal(err)
			}
			coll := env.encryptedCollection(t, ctx, mode, example.PatientSpec())
			repo := example.NewPatientRepository(coll, env.repoOptions(mode)...)
			w := example.PatientWhere()
			var ids []bson.ObjectID
			for i := range 5 {
				p := &example.Patient{ID: bson.NewObjectID(), PatientName: fmt.Sprintf("P%d", i), PatientID: int64(i), PatientRecord: example.PatientRecord{SSN: fmt.Sprintf("000-00-000%d", i)}}
				if _, err := repo.InsertOne(ctx, p); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, p.ID)
			}

			if _, err := repo.UpdateOne(ctx, w.ID.Eq(ids[0]), qe.Updates(w.PatientRecordSSN.Set("111-11-1111"), w.PatientID.Inc(100))); err != nil {
				t.Fatalf("UpdateOne(_id): %v", err)
			}
			if p, err := repo.FindOne(ctx, example.PatientWhere().PatientRecordSSN.Eq("111-11-1111")); err != nil || p.PatientID != 100 {
				t.Errorf("after the update: %v, %v; want P0 with patient_id 100", p, err)
			}
			before, err := repo.FindOneAndUpdate(ctx, w.PatientRecordSSN.Eq("000-00-0001"), w.PatientName.Set("Renamed"))
			if err != nil || before.PatientName != "P1" {
				t.Errorf("FindOneAndUpdate = %v, %v; want P1 as it was", before, err)
			}

			// Paging by _id: a filter on the last _id seen, sorted by it.
			var paged []string
			var last bson.ObjectID
			for {
				page, err := repo.Find(ctx, w.ID.Gt(last), qe.Sort(w.ID.Asc()), qe.Limit(2))
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				for _, p := range page {
					paged = append(paged, p.PatientName)
				}
				last = page[len(page)-1].ID
			}
			if len(paged) != 5 {
				t.Errorf("paged through %v, want 5 documents", paged)
			}
			n := 0
			for p, err := range repo.Stream(ctx, qe.All()) {
				if err != nil || p.PatientRecord.SSN == "" {
					t.Fatalf("Stream: %v, %v", p, err)
				}
				n++
			}
			if n != 5 {
				t.Errorf("streamed %d documents, want 5", n)
			}
			if ok, err := repo.Exists(ctx, w.PatientRecordSSN.Eq("000-00-0004")); !ok || err != nil {
				t.Errorf("Exists = %v, %v", ok, err)
			}

			session, err := coll.Database().Client().StartSession()
			if err != nil {
				t.Fatal(err)
			}
			defer session.EndSession(ctx)
			if _, err := session.WithTransaction(ctx, func(tx context.Context) (any, error) {
				return repo.DeleteOne(tx, w.PatientRecordSSN.Eq("000-00-0004"))
			}); err != nil {
				t.Errorf("a delete in a transaction: %v", err)
			}
			if res, err := repo.DeleteMany(ctx, w.PatientID.Lt(4)); err != nil || res.DeletedCount != 3 {
				t.Errorf("DeleteMany = %+v, %v; want 3 deleted", res, err)
			}
			if err := qe.DropCollection(ctx, env.db, example.PatientSpec()); err != nil {
				t.Fatal(err)
			}
			names, err := env.db.ListCollectionNames(ctx, bson.D{})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range names {
				if strings.Contains(n, "patients") {
					t.Errorf("%s survived DropCollection", n)
				}
			}
		})
	}
}
