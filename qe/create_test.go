package qe

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

func TestKeyAltName(t *testing.T) {
	if got, want := KeyAltName("medical_records", "patients", "patient_record.ssn"), "medical_records.patients/patient_record.ssn"; got != want {
		t.Errorf("KeyAltName = %q, want %q", got, want)
	}
	// The same collection and path in two databases must not share a key.
	if KeyAltName("a", "c", "p") == KeyAltName("b", "c", "p") {
		t.Error("KeyAltName ignores the database")
	}
}

func TestAssignKeys(t *testing.T) {
	in := bson.D{
		{Key: "fields", Value: bson.A{
			bson.D{{Key: "keyId", Value: nil}, {Key: "path", Value: "a"}, {Key: "bsonType", Value: "string"}},
			bson.D{{Key: "path", Value: "b.c"}, {Key: "bsonType", Value: "object"}},
		}},
		{Key: "strEncodeVersion", Value: int32(1)},
	}
	keyFor := func(path string) (bson.Binary, error) {
		return bson.Binary{Subtype: 4, Data: []byte(path)}, nil
	}
	got, err := assignKeys(in, keyFor)
	if err != nil {
		t.Fatal(err)
	}
	want := bson.D{
		{Key: "fields", Value: bson.A{
			bson.D{{Key: "keyId", Value: bson.Binary{Subtype: 4, Data: []byte("a")}}, {Key: "path", Value: "a"}, {Key: "bsonType", Value: "string"}},
			bson.D{{Key: "path", Value: "b.c"}, {Key: "bsonType", Value: "object"}, {Key: "keyId", Value: bson.Binary{Subtype: 4, Data: []byte("b.c")}}},
		}},
		{Key: "strEncodeVersion", Value: int32(1)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("assignKeys (-want +got):\n%s", diff)
	}
	if first := in[0].Value.(bson.A)[0].(bson.D); first[0].Value != nil {
		t.Error("assignKeys modified its input")
	}
}

func TestAssignKeysErrors(t *testing.T) {
	boom := errors.New("kms down")
	tests := []struct {
		name string
		doc  bson.D
		want string
	}{
		{"fields not an array", bson.D{{Key: "fields", Value: "x"}}, "fields is string"},
		{"field not a document", bson.D{{Key: "fields", Value: bson.A{1}}}, "fields[0] is int"},
		{"no path", bson.D{{Key: "fields", Value: bson.A{bson.D{}}}}, "fields[0] has no path"},
		{"key error", bson.D{{Key: "fields", Value: bson.A{bson.D{{Key: "path", Value: "a"}}}}}, "kms down"},
	}
	for _, tt := range tests {
		_, err := assignKeys(tt.doc, func(string) (bson.Binary, error) { return bson.Binary{}, boom })
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestServerCheck(t *testing.T) {
	rs := func(v ...int) serverInfo { return serverInfo{Version: v, SetName: "rs0"} }
	tests := []struct {
		info     serverInfo
		min, max string
		want     string // "" means accepted
	}{
		{rs(7, 0, 2), "7.0", "", ""},
		{rs(8, 0, 0), "", "", ""},
		{serverInfo{Version: []int{8, 0, 1}, Msg: "isdbgrid"}, "8.0", "", ""},
		{rs(6, 0, 9), "7.0", "", "runs MongoDB 6.0, and this collection needs 7.0 or later"},
		{rs(7, 0, 9), "8.0", "", "needs 8.0 or later"},
		{rs(8, 2, 1), "8.2", "9.0", ""},
		{rs(9, 0, 0), "8.2", "9.0", "regenerate with qegen -server 9.0"},
		{serverInfo{Version: []int{8, 0, 0}}, "7.0", "", "standalone"},
		{rs(8, 0, 0), "x", "", "bad server version"},
	}
	for _, tt := range tests {
		err := tt.info.check(tt.min, tt.max)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("check(%+v, %q, %q) = %v, want %q", tt.info, tt.min, tt.max, err, tt.want)
		}
	}
}

func TestKeysValidate(t *testing.T) {
	ce := new(mongo.ClientEncryption)
	vault := new(mongo.Collection)
	tests := []struct {
		keys Keys
		want string
	}{
		{Keys{Vault: vault, Provider: "local"}, "Keys.Encryption is nil"},
		{Keys{Encryption: ce, Provider: "local"}, "Keys.Vault is nil"},
		{Keys{Encryption: ce, Vault: vault}, "Keys.Provider is empty"},
		{Keys{Encryption: ce, Vault: vault, Provider: "local"}, ""},
	}
	for _, tt := range tests {
		err := tt.keys.validate()
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("validate(%+v) = %v, want %q", tt.keys, err, tt.want)
		}
	}
	// CreateCollection refuses bad keys before it talks to any server.
	if _, err := CreateCollection(context.Background(), nil, CollectionSpec{Name: "c"}, Keys{}); err == nil || !strings.Contains(err.Error(), "Keys.Encryption is nil") {
		t.Errorf("CreateCollection with empty Keys = %v", err)
	}
}

func TestNewClientEncryptionWithoutLibmongocrypt(t *testing.T) {
	if LibmongocryptVersion() != "" {
		t.Skip("built with -tags cse: libmongocrypt is linked")
	}
	_, err := NewClientEncryption(new(mongo.Client), "db.__keyVault", map[string]map[string]any{"local": {"key": make([]byte, 96)}})
	if !errors.Is(err, ErrNoLibmongocrypt) {
		t.Errorf("NewClientEncryption without the cse tag = %v, want ErrNoLibmongocrypt (the driver itself would panic)", err)
	}
}
