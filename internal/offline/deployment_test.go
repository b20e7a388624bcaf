package offline_test

import (
	"context"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/internal/offline"
	"github.com/qegen/qegen/internal/qetest"
)

func TestCommandsAndKeyLookups(t *testing.T) {
	ctx := context.Background()
	d := offline.New(8, 0, 0)
	client := d.TestClient(t)
	vault := client.Database("db").Collection("__keyVault")
	a, b := bson.Binary{Subtype: 4, Data: []byte("aaaaaaaaaaaaaaaa")}, bson.Binary{Subtype: 4, Data: []byte("bbbbbbbbbbbbbbbb")}
	if _, err := vault.InsertMany(ctx, []any{
		bson.D{{Key: "_id", Value: a}, {Key: "keyAltNames", Value: bson.A{"db.c/a"}}},
		bson.D{{Key: "_id", Value: b}, {Key: "keyAltNames", Value: bson.A{"db.c/b"}}},
	}); err != nil {
		t.Fatal(err)
	}
	// The lookups the driver, libmongocrypt and qe make.
	for name, filter := range map[string]bson.D{
		"by alt name": {{Key: "keyAltNames", Value: "db.c/b"}},
		"by id":       {{Key: "_id", Value: b}},
		"libmongocrypt's $or": {{Key: "$or", Value: bson.A{
			bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{b}}}}},
			bson.D{{Key: "keyAltNames", Value: bson.D{{Key: "$in", Value: bson.A{"nothing"}}}}},
		}}},
	} {
		var got []bson.Raw
		cursor, err := vault.Find(ctx, filter)
		if err == nil {
			err = cursor.All(ctx, &got)
		}
		if err != nil || len(got) != 1 || !got[0].Lookup("_id").Equal(bson.RawValue{Type: bson.TypeBinary, Value: bson.Raw(mustMarshal(t, bson.D{{Key: "x", Value: b}})).Lookup("x").Value}) {
			t.Errorf("%s: found %v, %v; want only key b", name, got, err)
		}
	}
	if n, err := vault.CountDocuments(ctx, bson.D{{Key: "keyAltNames", Value: bson.D{{Key: "$exists", Value: true}}}}); err != nil || n != 2 {
		t.Errorf("CountDocuments = %d, %v; want 2", n, err)
	}
	if res, err := vault.DeleteOne(ctx, bson.D{{Key: "_id", Value: a}}); err != nil || res.DeletedCount != 1 || len(d.Documents("db.__keyVault")) != 1 {
		t.Errorf("DeleteOne = %+v, %v", res, err)
	}
	if got := d.Commands("insert"); len(got) != 1 || got[0].Namespace != "db.__keyVault" {
		t.Errorf("recorded inserts %+v", got)
	}
	// Anything it cannot answer is an error, never a silent success.
	if err := client.Database("db").RunCommand(ctx, bson.D{{Key: "mapReduce", Value: "c"}}).Err(); err == nil || !strings.Contains(err.Error(), "offline deployment: unsupported command") {
		t.Errorf("an unknown command = %v, want an error", err)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	raw, err := bson.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestLibmongocryptRefusesKeyAltNames pins the fact qe is built on: with a
// Queryable Encryption algorithm, libmongocrypt takes a key id and refuses
// a key alt name.
func TestLibmongocryptRefusesKeyAltNames(t *testing.T) {
	qetest.Skip(t)
	ctx := context.Background()
	client := offline.New().TestClient(t)
	ce, err := mongo.NewClientEncryption(client, options.ClientEncryption().SetKeyVaultNamespace("db.__keyVault").
		SetKmsProviders(map[string]map[string]any{"local": {"key": make([]byte, 96)}}))
	if err != nil {
		t.Fatal(err)
	}
	id, err := ce.CreateDataKey(ctx, "local", options.DataKey().SetKeyAltNames([]string{"db.c/ssn"}))
	if err != nil {
		t.Fatal(err)
	}
	t1, v, _ := bson.MarshalValue("987-65-4320")
	value := bson.RawValue{Type: t1, Value: v}
	for _, algorithm := range []string{"Indexed", "Unindexed"} {
		byName, byID := options.Encrypt().SetAlgorithm(algorithm).SetKeyAltName("db.c/ssn"), options.Encrypt().SetAlgorithm(algorithm).SetKeyID(id)
		if algorithm == "Indexed" {
			byName.SetContentionFactor(8)
			byID.SetContentionFactor(8)
		}
		if _, err := ce.Encrypt(ctx, value, byName); err == nil || !strings.Contains(err.Error(), "cannot set both key alt name and index type") {
			t.Errorf("%s by alt name = %v, want libmongocrypt's refusal", algorithm, err)
		}
		ct, err := ce.Encrypt(ctx, value, byID)
		if err != nil || ct.Subtype != 6 {
			t.Fatalf("%s by id = %v, %v", algorithm, ct, err)
		}
		if back, err := ce.Decrypt(ctx, ct); err != nil || back.StringValue() != "987-65-4320" {
			t.Errorf("%s: decrypted %v, %v", algorithm, back, err)
		}
	}
}
