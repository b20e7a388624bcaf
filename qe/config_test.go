package qe

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/schema"
)

var key96 = []byte(strings.Repeat("k", LocalKeySize))

func TestKMSValidate(t *testing.T) {
	tests := []struct {
		kms  KMS
		want string // "" means valid
	}{
		{&LocalKMS{Key: key96}, ""},
		{&LocalKMS{Key: key96[:95]}, "has 95 bytes, want 96"},
		{&AWSKMS{Region: "us-east-1", KeyARN: "arn:aws:kms:k", AccessKeyID: "id", SecretAccessKey: "s"}, ""},
		{&AWSKMS{Region: "us-east-1", KeyARN: "arn"}, ""}, // automatic credentials
		{&AWSKMS{KeyARN: "arn"}, "needs Region"},
		{&AWSKMS{Region: "r", KeyARN: "arn", AccessKeyID: "id"}, "AccessKeyID and SecretAccessKey (both"},
		{&AWSKMS{Name: "eu", Region: "r", KeyARN: "arn"}, "named providers cannot use automatic credentials"},
		{&AzureKMS{KeyVaultEndpoint: "v.vault.azure.net", KeyName: "k", TenantID: "t", ClientID: "c", ClientSecret: "s"}, ""},
		{&AzureKMS{KeyVaultEndpoint: "v", KeyName: "k", TenantID: "t"}, "needs ClientID, ClientSecret"},
		{&AzureKMS{}, "needs KeyName, KeyVaultEndpoint"},
		{&GCPKMS{ProjectID: "p", Location: "global", KeyRing: "r", KeyName: "k", Email: "e@x", PrivateKey: base64.StdEncoding.EncodeToString([]byte("pk"))}, ""},
		{&GCPKMS{ProjectID: "p", Location: "global", KeyRing: "r", KeyName: "k", Email: "e@x", PrivateKey: "not base64!"}, "PrivateKey in base64"},
		{&GCPKMS{Location: "global"}, "needs KeyName, KeyRing, ProjectID"},
		{&KMIPKMS{Endpoint: "kmip.example.com:5696", CertificateKeyFile: "client.pem"}, ""},
		{&KMIPKMS{Endpoint: "kmip.example.com", CertificateKeyFile: "client.pem"}, "Endpoint as host:port"},
		{&KMIPKMS{}, "needs CertificateKeyFile, Endpoint"},
	}
	for _, tt := range tests {
		err := tt.kms.Validate()
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: Validate() = %v, want %q", tt.kms, err, tt.want)
		}
	}
}

func TestKMSShapes(t *testing.T) {
	aws := &AWSKMS{Name: "eu", AccessKeyID: "AKIA", SecretAccessKey: "secret", Region: "eu-west-1", KeyARN: "arn:k"}
	if diff := cmp.Diff(map[string]any{"accessKeyId": "AKIA", "secretAccessKey": "secret"}, aws.Credentials()); diff != "" {
		t.Errorf("aws credentials (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"region": "eu-west-1", "key": "arn:k"}, aws.MasterKey()); diff != "" {
		t.Errorf("aws master key (-want +got):\n%s", diff)
	}
	if aws.Provider() != "aws:eu" {
		t.Errorf("named provider = %q, want aws:eu", aws.Provider())
	}
	gcp := &GCPKMS{ProjectID: "p", Location: "l", KeyRing: "r", KeyName: "k", KeyVersion: "2"}
	if diff := cmp.Diff(map[string]any{"projectId": "p", "location": "l", "keyRing": "r", "keyName": "k", "keyVersion": "2"}, gcp.MasterKey()); diff != "" {
		t.Errorf("gcp master key (-want +got):\n%s", diff)
	}
	azure := &AzureKMS{KeyVaultEndpoint: "v", KeyName: "k"}
	if diff := cmp.Diff(map[string]any{"keyVaultEndpoint": "v", "keyName": "k"}, azure.MasterKey()); diff != "" {
		t.Errorf("azure master key (-want +got):\n%s", diff)
	}
	kmip := &KMIPKMS{Endpoint: "h:1", KeyID: "7", Delegated: true}
	if diff := cmp.Diff(map[string]any{"endpoint": "h:1", "keyId": "7", "delegated": true}, kmip.MasterKey()); diff != "" {
		t.Errorf("kmip master key (-want +got):\n%s", diff)
	}
	if (&LocalKMS{Key: key96}).MasterKey() != nil {
		t.Error("local master key must be nil")
	}
}

// TestSecretsNeverPrinted: every common way of printing or serialising a
// provider or a Config (fmt verbs on values and pointers, encoding/json,
// log/slog with either handler) shows no credential.
func TestSecretsNeverPrinted(t *testing.T) {
	secrets := []string{"SECRETKEY", "CLIENTSECRET", "PRIVATEKEY", "TOKENVALUE", "KEYPASSWORD", string(key96), base64.StdEncoding.EncodeToString(key96)}
	local := LocalKMS{Key: key96}
	aws := AWSKMS{AccessKeyID: "AKIA", SecretAccessKey: "SECRETKEY", SessionToken: "TOKENVALUE", Region: "r", KeyARN: "arn"}
	azure := AzureKMS{ClientSecret: "CLIENTSECRET", KeyVaultEndpoint: "v", KeyName: "k"}
	gcp := GCPKMS{PrivateKey: "PRIVATEKEY", ProjectID: "p", KeyRing: "r", KeyName: "k"}
	kmip := KMIPKMS{Endpoint: "h:1", CertificateKeyFilePassword: "KEYPASSWORD"}
	values := []any{local, &local, aws, &aws, azure, &azure, gcp, &gcp, kmip, &kmip,
		Config{KeyVaultNamespace: "db.kv", KMS: &local, Previous: []KMS{&aws, &azure, &gcp, &kmip}},
		&Config{KeyVaultNamespace: "db.kv", KMS: &gcp}}
	for _, v := range values {
		var printed []string
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			printed = append(printed, fmt.Sprintf(verb, v))
		}
		js, err := json.Marshal(v)
		if err != nil {
			t.Errorf("json.Marshal(%T): %v", v, err)
		}
		printed = append(printed, string(js))
		for _, h := range []func(io.Writer) slog.Handler{
			func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
			func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
		} {
			var buf bytes.Buffer
			slog.New(h(&buf)).Info("config", "value", v)
			printed = append(printed, buf.String())
		}
		for _, p := range printed {
			for _, s := range secrets {
				if strings.Contains(p, s) {
					t.Errorf("%T prints a secret: %q", v, p)
				}
			}
		}
	}
	if got := fmt.Sprint(aws); !strings.Contains(got, "aws") || !strings.Contains(got, "arn") {
		t.Errorf("AWSKMS prints %q, want its provider and key ARN", got)
	}
}

func TestLocalKeyFileReadableByOthersWarns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	if err := os.WriteFile(path, key96, 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	if _, err := LocalKeyFromFile(path); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "can be read by other users") || !strings.Contains(buf.String(), "-rw-r--r--") {
		t.Errorf("no warning for a key file with mode 0644: %q", buf.String())
	}
	buf.Reset()
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LocalKeyFromFile(path); err != nil || strings.Contains(buf.String(), "other users") {
		t.Errorf("a key file with mode 0600: %v, %q", err, buf.String())
	}
}

func TestLocalKeyFromFile(t *testing.T) {
	dir := t.TempDir()
	raw := filepath.Join(dir, "raw.key")
	b64 := filepath.Join(dir, "b64.key")
	short := filepath.Join(dir, "short.key")
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(raw, key96, 0o600))
	must(os.WriteFile(b64, []byte(base64.StdEncoding.EncodeToString(key96)+"\n"), 0o600))
	must(os.WriteFile(short, []byte(base64.StdEncoding.EncodeToString(key96[:10])), 0o600))
	for _, path := range []string{raw, b64} {
		k, err := LocalKeyFromFile(path)
		if err != nil || string(k.Key) != string(key96) {
			t.Errorf("LocalKeyFromFile(%s) = %v, %v", filepath.Base(path), k, err)
		}
	}
	if _, err := LocalKeyFromFile(short); err == nil || !strings.Contains(err.Error(), "holds 10 bytes, want 96") {
		t.Errorf("short key: %v", err)
	}
	if _, err := LocalKeyFromFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing key file must be an error")
	}
	if _, err := LocalKeyFromBase64("%%%"); err == nil || !strings.Contains(err.Error(), "neither 96 raw bytes nor base64") {
		t.Errorf("bad base64: %v", err)
	}
}

func TestConfigFromEnv(t *testing.T) {
	localKey := base64.StdEncoding.EncodeToString(key96)
	tests := []struct {
		env      map[string]string
		provider string
		want     string // error substring, "" for success
	}{
		{map[string]string{"QE_KEY_VAULT_NAMESPACE": "medical_records.__keyVault", "QE_KMS_PROVIDER": "local", "QE_LOCAL_KEY": localKey}, "local", ""},
		{map[string]string{"QE_KEY_VAULT_NAMESPACE": "db.kv", "QE_KMS_PROVIDER": "aws", "AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "s", "QE_AWS_KEY_REGION": "us-east-1", "QE_AWS_KEY_ARN": "arn"}, "aws", ""},
		{map[string]string{"QE_KEY_VAULT_NAMESPACE": "db.kv", "QE_KMS_PROVIDER": "azure:prod", "AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "s", "QE_AZURE_KEY_VAULT_ENDPOINT": "v", "QE_AZURE_KEY_NAME": "k"}, "azure:prod", ""},
		{map[string]string{"QE_KEY_VAULT_NAMESPACE": "db.kv", "QE_KMS_PROVIDER": "gcp", "QE_GCP_PROJECT_ID": "p", "QE_GCP_LOCATION": "global", "QE_GCP_KEY_RING": "r", "QE_GCP_KEY_NAME": "k"}, "gcp", ""},
		{map[string]string{"QE_KEY_VAULT_NAMESPACE": "db.kv", "QE_KMS_PROVIDER": "kmip", "QE_KMIP_ENDPOINT": "h:5696", "QE_KMIP_TLS_CERT_KEY_FILE": "c.pem"}, "kmip", ""},
		{map[string]string{"QE_KEY_VAULT_NAMESPACE": "db.kv", "QE_KMS_PROVIDER": "local"}, "", "needs QE_LOCAL_KEY (base64) or QE_LOCAL_KEY_FILE"},
		{map[string]string{"QE_KEY_VAULT_NAMESPACE": "db.kv"}, "", "QE_KMS_PROVIDER is not set"},
		{map[string]string{"QE_KEY_VAULT_NAMESPACE": "db.kv", "QE_KMS_PROVIDER": "vault"}, "", `QE_KMS_PROVIDER="vault"`},
		{map[string]string{"QE_KMS_PROVIDER": "local", "QE_LOCAL_KEY": localKey}, "", "KeyVaultNamespace \"\" is not database.collection"},
		{map[string]string{"QE_KEY_VAULT_NAMESPACE": "db.kv", "QE_KMS_PROVIDER": "aws"}, "", "KMS provider aws needs KeyARN, Region"},
		{map[string]string{"QE_KEY_VAULT_NAMESPACE": "db.kv", "QE_KMS_PROVIDER": "local", "QE_LOCAL_KEY": localKey, "QE_CRYPT_SHARED_REQUIRED": "yes"}, "", "want true or false"},
	}
	for _, tt := range tests {
		c, err := configFromEnv(func(k string) string { return tt.env[k] })
		if tt.want != "" {
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v: err = %v, want %q", tt.env, err, tt.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: %v", tt.env, err)
			continue
		}
		if c.KMS.Provider() != tt.provider {
			t.Errorf("provider = %q, want %q", c.KMS.Provider(), tt.provider)
		}
		if _, ok := c.KMSProviders()[tt.provider]; !ok {
			t.Errorf("kmsProviders lacks %q", tt.provider)
		}
	}
}

func TestAutoEncryptionOptions(t *testing.T) {
	c := Config{KeyVaultNamespace: "db.kv", KMS: &LocalKMS{Key: key96}, CryptSharedLibPath: "/lib/mongo_crypt_v1.so", CryptSharedLibRequired: true}
	auto, err := c.AutoEncryptionOptions(AutomaticMode, map[string]any{"db.c": bson.D{}})
	if err != nil {
		t.Fatal(err)
	}
	if auto.KeyVaultNamespace != "db.kv" || auto.ExtraOptions["cryptSharedLibPath"] != "/lib/mongo_crypt_v1.so" || auto.ExtraOptions["cryptSharedLibRequired"] != true {
		t.Errorf("automatic options = %+v", auto)
	}
	if auto.BypassQueryAnalysis != nil && *auto.BypassQueryAnalysis {
		t.Error("automatic mode must analyse queries")
	}
	if _, ok := auto.EncryptedFieldsMap["db.c"]; !ok {
		t.Error("encryptedFieldsMap not passed on")
	}
	explicit, err := c.AutoEncryptionOptions(ExplicitMode, nil)
	if err != nil {
		t.Fatal(err)
	}
	if explicit.BypassQueryAnalysis == nil || !*explicit.BypassQueryAnalysis {
		t.Error("explicit mode must bypass query analysis")
	}
	if explicit.BypassAutoEncryption != nil && *explicit.BypassAutoEncryption {
		t.Error("explicit mode must not bypass auto encryption: the client would send no encryptionInformation")
	}
	if _, err := (Config{}).AutoEncryptionOptions(AutomaticMode, nil); err == nil {
		t.Error("an empty config must not validate")
	}
}

func TestEncryptedFieldsMap(t *testing.T) {
	spec := specOf("patients", schema.Field{Path: "ssn", BSONType: schema.String})
	var asked []string
	m, err := encryptedFieldsMap("medical_records", []CollectionSpec{spec}, func(alt string) (bson.Binary, error) {
		asked = append(asked, alt)
		return bson.Binary{Subtype: 4, Data: []byte("0123456789abcdef")}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"medical_records.patients/ssn"}, asked); diff != "" {
		t.Errorf("keys looked up (-want +got):\n%s", diff)
	}
	got := m["medical_records.patients"].(bson.D)
	field := got[0].Value.(bson.A)[0].(bson.D)
	if field[0].Key != "keyId" || field[0].Value.(bson.Binary).Subtype != 4 {
		t.Errorf("keyId not filled in: %v", field)
	}
}

func TestExplainConnectError(t *testing.T) {
	cause := fmt.Errorf(`AutoEncryption extra option "cryptSharedLibRequired" is true, but we failed to load the crypt_shared library`)
	err := explainConnectError(cause, "/opt/mongo_crypt_v1.so")
	if !strings.Contains(err.Error(), "download the Automatic Encryption Shared Library") || !strings.Contains(err.Error(), "/opt/mongo_crypt_v1.so") || !errors.Is(err, cause) {
		t.Errorf("crypt_shared error = %v", err)
	}
	cause = fmt.Errorf(`exec: "mongocryptd": executable file not found in $PATH`)
	if err := explainConnectError(cause, ""); !strings.Contains(err.Error(), "needs crypt_shared or mongocryptd") {
		t.Errorf("mongocryptd error = %v", err)
	}
	other := fmt.Errorf("connection refused")
	if err := explainConnectError(other, ""); err != other {
		t.Errorf("an unrelated error was rewritten: %v", err)
	}
}

func TestWithoutLibmongocrypt(t *testing.T) {
	if LibmongocryptVersion() != "" {
		t.Skip("built with -tags cse: libmongocrypt is linked")
	}
	cfg := Config{KeyVaultNamespace: "db.kv", KMS: &LocalKMS{Key: key96}}
	if _, err := cfg.NewClientEncryption(nil); !errors.Is(err, ErrNoLibmongocrypt) {
		t.Errorf("NewClientEncryption = %v, want ErrNoLibmongocrypt", err)
	}
	if _, err := cfg.Connect(nil, AutomaticMode, nil); !errors.Is(err, ErrNoLibmongocrypt) {
		t.Errorf("Connect = %v, want ErrNoLibmongocrypt (the driver would panic)", err)
	}
}

func TestConfigValidateListsEverything(t *testing.T) {
	err := Config{KeyVaultNamespace: "nodot", KMS: &LocalKMS{Key: key96[:3]}, Previous: []KMS{&AWSKMS{}}}.Validate()
	for _, want := range []string{"not database.collection", "has 3 bytes", "KMS provider aws needs KeyARN, Region"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to mention %q", err, want)
		}
	}
}
