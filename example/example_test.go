package example_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"os"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/qe"
)

// The Django tutorial's steps in Go: create the encrypted collection, insert
// John Doe, and find him by his encrypted SSN. It needs a MongoDB 7.0+
// replica set, a build with -tags cse, and crypt_shared for automatic
// encryption, so it is compiled but not run by go test.
func Example() {
	ctx := context.Background()
	uri := os.Getenv("MONGODB_URI")

	// A local master key is for development only: anyone who reads it can
	// decrypt every document. Use AWS, Azure, GCP or KMIP in production, or
	// qe.ConfigFromEnv to pick one from the environment.
	localKey := make([]byte, qe.LocalKeySize)
	if _, err := rand.Read(localKey); err != nil {
		log.Fatal(err)
	}
	cfg := qe.Config{KeyVaultNamespace: "medical_records.__keyVault", KMS: &qe.LocalKMS{Key: localKey}}

	plain, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		log.Fatal(err)
	}
	defer plain.Disconnect(ctx)
	encryption, err := cfg.NewClientEncryption(plain)
	if err != nil {
		log.Fatal(err)
	}
	keys := cfg.Keys(encryption, plain)
	if _, err := qe.CreateCollection(ctx, plain.Database("medical_records"), example.PatientSpec(), keys); err != nil {
		log.Fatal(err)
	}

	// Reads and writes go through a client that encrypts automatically,
	// with the schema from the application rather than from the server.
	fieldsMap, err := qe.EncryptedFieldsMap(ctx, keys.Vault, "medical_records", example.PatientSpec())
	if err != nil {
		log.Fatal(err)
	}
	encrypted, err := cfg.Connect(options.Client().ApplyURI(uri), qe.AutomaticMode, fieldsMap)
	if err != nil {
		log.Fatal(err)
	}
	defer encrypted.Disconnect(ctx)
	patients := example.NewPatientRepository(encrypted.Database("medical_records").Collection(example.PatientCollection))

	amount, _ := bson.ParseDecimal128("1500")
	_, err = patients.InsertOne(ctx, &example.Patient{
		PatientName: "John Doe",
		PatientID:   12345678,
		PatientRecord: example.PatientRecord{
			SSN:        "987-65-4320",
			Billing:    example.Billing{CCType: "Visa", CCNumber: "4111111111111111"},
			BillAmount: amount,
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	patient, err := patients.FindOne(ctx, example.PatientWhere().PatientRecordSSN.Eq("987-65-4320"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(patient)
}
