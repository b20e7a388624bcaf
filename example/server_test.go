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
	"github.com/qegen/qegen/qe"
)

// serverEnv returns the URI of a MongoDB 7.0+ replica set, or skips.
func serverEnv(t *testing.T) string {
	t.Helper()
	uri := os.Getenv("QEGEN_MONGODB_URI")
	if uri == "" {
		t.Skip("set QEGEN_MONGODB_URI to a MongoDB 7.0+ replica set to run server tests")
	}
	if qe.LibmongocryptVersion() == "" {
		t.Skip("server tests need libmongocrypt: run go test -tags cse")
	}
	return uri
}

// TestTutorialOnServer runs the tutorial against a real server: it creates
// the collection twice (no duplicate keys), inserts John Doe, finds him by
// SSN, and checks that a plain client sees only ciphertext.
func TestTutorialOnServer(t *testing.T) {
	uri := serverEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	dbName := fmt.Sprintf("qegen_test_%d", time.Now().UnixNano())
	keyVaultNS := dbName + ".__keyVault"
	localKey := make([]byte, 96)
	if _, err := rand.Read(localKey); err != nil {
		t.Fatal(err)
	}
	kms := map[string]map[string]any{"local": {"key": localKey}}

	plain, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Disconnect(ctx)
	db := plain.Database(dbName)
	defer db.Drop(ctx)

	encryption, err := qe.NewClientEncryption(plain, keyVaultNS, kms)
	if err != nil {
		t.Fatal(err)
	}
	keys := qe.Keys{Encryption: encryption, Vault: db.Collection("__keyVault"), Provider: "local"}
	for range 2 {
		if _, err := example.CreatePatientCollection(ctx, db, keys); err != nil {
			t.Fatalf("CreatePatientCollection: %v", err)
		}
	}
	if n, err := keys.Vault.CountDocuments(ctx, bson.D{}); err != nil || n != 2 {
		t.Fatalf("key vault holds %d keys (err %v) after creating twice, want 2", n, err)
	}

	autoOpts := options.AutoEncryption().SetKeyVaultNamespace(keyVaultNS).SetKmsProviders(kms)
	if lib := os.Getenv("QEGEN_CRYPT_SHARED_LIB_PATH"); lib != "" {
		autoOpts.SetExtraOptions(map[string]any{"cryptSharedLibPath": lib, "cryptSharedLibRequired": true})
	}
	encrypted, err := mongo.Connect(options.Client().ApplyURI(uri).SetAutoEncryptionOptions(autoOpts))
	if err != nil {
		t.Fatal(err)
	}
	defer encrypted.Disconnect(ctx)
	patients := example.NewPatientRepository(encrypted.Database(dbName).Collection(example.PatientCollection))

	amount, _ := bson.ParseDecimal128("1500")
	john := &example.Patient{
		PatientName: "John Doe",
		PatientID:   12345678,
		PatientRecord: example.PatientRecord{
			SSN:        "987-65-4320",
			Billing:    example.Billing{CCType: "Visa", CCNumber: "4111111111111111"},
			BillAmount: amount,
		},
	}
	if _, err := patients.InsertOne(ctx, john); err != nil {
		t.Fatalf("InsertOne: %v", err)
	}
	found, err := patients.FindOneByPatientRecordSSN(ctx, "987-65-4320")
	if err != nil {
		t.Fatalf("FindOneByPatientRecordSSN: %v", err)
	}
	if got := found.String(); got != "John Doe (12345678)" {
		t.Errorf("found %q, want John Doe (12345678)", got)
	}
	if found.PatientRecord.Billing.CCNumber != "4111111111111111" {
		t.Error("billing did not decrypt to what was inserted")
	}
	if n, err := patients.CountByPatientRecordSSN(ctx, "987-65-4320"); err != nil || n != 1 {
		t.Errorf("CountByPatientRecordSSN = %d, %v; want 1", n, err)
	}
	if _, err := patients.FindOneByPatientRecordSSN(ctx, "000-00-0000"); !errors.Is(err, mongo.ErrNoDocuments) {
		t.Errorf("FindOneBy an unknown SSN = %v, want mongo.ErrNoDocuments", err)
	}

	var stored bson.Raw
	if err := db.Collection(example.PatientCollection).FindOne(ctx, bson.D{}).Decode(&stored); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"patient_record.ssn", "patient_record.billing"} {
		v, err := stored.LookupErr(strings.Split(path, ".")...)
		if err != nil || v.Type != bson.TypeBinary {
			t.Errorf("%s is stored as %v, want ciphertext (binData)", path, v.Type)
			continue
		}
		if subtype, _ := v.Binary(); subtype != 6 {
			t.Errorf("%s is binData subtype %d, want 6 (encrypted)", path, subtype)
		}
	}

	if res, err := patients.DeleteOneByPatientRecordSSN(ctx, "987-65-4320"); err != nil || res.DeletedCount != 1 {
		t.Errorf("DeleteOneByPatientRecordSSN = %+v, %v; want one deleted", res, err)
	}
}

// TestAppointmentsOnServer exercises range and text queries; it needs
// MongoDB 8.2 (text search preview) with crypt_shared 8.2.
func TestAppointmentsOnServer(t *testing.T) {
	uri := serverEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	dbName := fmt.Sprintf("qegen_test_%d", time.Now().UnixNano())
	localKey := make([]byte, 96)
	if _, err := rand.Read(localKey); err != nil {
		t.Fatal(err)
	}
	kms := map[string]map[string]any{"local": {"key": localKey}}
	plain, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Disconnect(ctx)
	db := plain.Database(dbName)
	defer db.Drop(ctx)
	encryption, err := qe.NewClientEncryption(plain, dbName+".__keyVault", kms)
	if err != nil {
		t.Fatal(err)
	}
	keys := qe.Keys{Encryption: encryption, Vault: db.Collection("__keyVault"), Provider: "local"}
	if _, err := example.CreateAppointmentCollection(ctx, db, keys); err != nil {
		t.Skipf("server cannot hold the appointments collection: %v", err)
	}

	autoOpts := options.AutoEncryption().SetKeyVaultNamespace(dbName + ".__keyVault").SetKmsProviders(kms)
	if lib := os.Getenv("QEGEN_CRYPT_SHARED_LIB_PATH"); lib != "" {
		autoOpts.SetExtraOptions(map[string]any{"cryptSharedLibPath": lib, "cryptSharedLibRequired": true})
	}
	encrypted, err := mongo.Connect(options.Client().ApplyURI(uri).SetAutoEncryptionOptions(autoOpts))
	if err != nil {
		t.Fatal(err)
	}
	defer encrypted.Disconnect(ctx)
	repo := example.NewAppointmentRepository(encrypted.Database(dbName).Collection(example.AppointmentCollection))

	fee, _ := bson.ParseDecimal128("120.50")
	at := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	if _, err := repo.InsertOne(ctx, &example.Appointment{PatientID: 12345678, PatientName: "John Doe", Reason: "annual checkup", At: at, Fee: fee}); err != nil {
		t.Fatalf("InsertOne: %v", err)
	}
	lo, hi := at.Add(-time.Hour), at.Add(time.Hour)
	checks := map[string]func() ([]example.Appointment, error){
		"prefix":    func() ([]example.Appointment, error) { return repo.FindByPatientNameStartsWith(ctx, "jo") },
		"suffix":    func() ([]example.Appointment, error) { return repo.FindByPatientNameEndsWith(ctx, "DOE") },
		"substring": func() ([]example.Appointment, error) { return repo.FindByReasonContains(ctx, "check") },
		"range":     func() ([]example.Appointment, error) { return repo.FindByAtBetween(ctx, lo, hi) },
		"filter": func() ([]example.Appointment, error) {
			return repo.Find(ctx, qe.And(example.AppointmentWhere.At.Gte(lo), example.AppointmentWhere.PatientID.Eq(12345678)))
		},
	}
	for name, find := range checks {
		got, err := find()
		if err != nil || len(got) != 1 || got[0].PatientName != "John Doe" {
			t.Errorf("%s query: got %d documents, err %v; want John Doe", name, len(got), err)
		}
	}
	if got, err := repo.FindByAtGt(ctx, hi); err != nil || len(got) != 0 {
		t.Errorf("FindByAtGt after the visit: %d documents, err %v; want none", len(got), err)
	}
}
