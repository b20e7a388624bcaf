// Demo runs the Django Queryable Encryption tutorial in Go: it creates the
// key vault and the encrypted patients collection, inserts John Doe, finds
// him by his encrypted SSN, and shows what the server stores.
//
//	MONGODB_URI='mongodb://localhost:27017/?replicaSet=rs0' go run -tags cse ./example/demo
//
// Flags choose automatic encryption (MongoDB Enterprise or Atlas, with the
// crypt_shared library) or explicit encryption (works on Community). The
// local master key is created in -key-file on first run; it is for
// development only.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/qe"
)

const database = "medical_records"

func main() {
	mode := flag.String("mode", "auto", "auto (crypt_shared analyses queries) or explicit (qegen encrypts; MongoDB Community)")
	keyFile := flag.String("key-file", "local_master_key.bin", "local master key file, created with mode 0600 if missing")
	cryptShared := flag.String("crypt-shared", os.Getenv("QE_CRYPT_SHARED_LIB_PATH"), "path of the crypt_shared library (auto mode)")
	flag.Parse()
	if err := run(*mode, *keyFile, *cryptShared); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(mode, keyFile, cryptShared string) error {
	uri := os.Getenv("MONGODB_URI")
	if uri == "" {
		return errors.New("set MONGODB_URI to a MongoDB 7.0+ replica set")
	}
	encMode := qe.AutomaticMode
	switch mode {
	case "auto":
	case "explicit":
		encMode = qe.ExplicitMode
	default:
		return fmt.Errorf("-mode %q: use auto or explicit", mode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	kms, err := localKey(keyFile)
	if err != nil {
		return err
	}
	cfg := qe.Config{KeyVaultNamespace: database + ".__keyVault", KMS: kms, CryptSharedLibPath: cryptShared, CryptSharedLibRequired: cryptShared != ""}

	plain, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		return err
	}
	defer plain.Disconnect(ctx)
	encryption, err := cfg.NewClientEncryption(plain)
	if err != nil {
		return err
	}
	if _, err := qe.CreateCollection(ctx, plain.Database(database), example.PatientSpec(), cfg.Keys(encryption, plain)); err != nil {
		return err
	}

	// The client gets the schema from the application, not from the server.
	fieldsMap, err := qe.EncryptedFieldsMap(ctx, cfg.Keys(encryption, plain).Vault, database, example.PatientSpec())
	if err != nil {
		return err
	}
	encrypted, err := cfg.Connect(options.Client().ApplyURI(uri), encMode, fieldsMap)
	if err != nil {
		return err
	}
	defer encrypted.Disconnect(ctx)
	var opts []qe.RepositoryOption
	if encMode == qe.ExplicitMode {
		opts = append(opts, qe.WithExplicitEncryption(qe.NewClientEncrypter(encryption)))
	}
	patients := example.NewPatientRepository(encrypted.Database(database).Collection(example.PatientCollection), opts...)

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
	res, err := patients.InsertOne(ctx, john)
	if err != nil {
		return err
	}
	found, err := patients.FindOne(ctx, example.PatientWhere().PatientRecordSSN.Eq("987-65-4320"))
	if err != nil {
		return err
	}
	fmt.Println(found)

	// What the server stores: a plain client sees ciphertext only.
	var stored bson.Raw
	if err := plain.Database(database).Collection(example.PatientCollection).FindOne(ctx, bson.D{{Key: "_id", Value: res.InsertedID}}).Decode(&stored); err != nil {
		return err
	}
	fmt.Println("stored:", stored)
	return nil
}

// localKey reads the local master key, creating a random one readable only
// by its owner on first use.
func localKey(path string) (*qe.LocalKMS, error) {
	_, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, qe.LocalKeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("creating the local master key: %w", err)
		}
		if _, err := f.Write(key); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "demo: created a local master key in %s (development only: keep it secret, and keep it, or the data is lost)\n", path)
	}
	return qe.LocalKeyFromFile(path)
}
