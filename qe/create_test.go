package qe

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/qegen/qegen/schema"
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

func TestServerCheck(t *testing.T) {
	rs := func(v ...int) serverInfo { return serverInfo{Version: v, SetName: "rs0"} }
	tests := []struct {
		info     serverInfo
		min, max schema.Release
		want     string // "" means accepted
	}{
		{rs(7, 0, 2), schema.Release70, schema.Release{}, ""},
		{rs(8, 0, 0), schema.Release{}, schema.Release{}, ""},
		{serverInfo{Version: []int{8, 0, 1}, Msg: "isdbgrid"}, schema.Release80, schema.Release{}, ""},
		{rs(6, 0, 9), schema.Release70, schema.Release{}, "runs MongoDB 6.0, and this collection needs 7.0 or later"},
		{rs(7, 0, 9), schema.Release80, schema.Release{}, "needs 8.0 or later"},
		{rs(8, 2, 1), schema.Release82, schema.Release90, ""},
		{rs(9, 0, 0), schema.Release82, schema.Release90, "regenerate with qegen -server 9.0"},
		{serverInfo{Version: []int{8, 0, 0}}, schema.Release70, schema.Release{}, "standalone"},
		{serverInfo{SetName: "rs0"}, schema.Release70, schema.Release{}, "did not say its version"},
	}
	for _, tt := range tests {
		err := tt.info.check(tt.min, tt.max)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("check(%+v, %s, %s) = %v, want %q", tt.info, tt.min, tt.max, err, tt.want)
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
