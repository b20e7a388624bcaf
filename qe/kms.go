package qe

import (
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// LocalKeySize is the length of a local master key.
const LocalKeySize = 96

// KMS is one key management service: the credentials that go into the
// driver's kmsProviders, the master key that wraps new data keys, and TLS
// settings. Its String method never shows secrets.
type KMS interface {
	// Provider is the provider name: "local", "aws", "azure", "gcp",
	// "kmip", or a named one such as "aws:eu".
	Provider() string
	// Credentials is this provider's entry of kmsProviders.
	Credentials() map[string]any
	// MasterKey is the master key document for new data keys; nil for local.
	MasterKey() any
	// TLS is the TLS configuration to reach the KMS, or nil for the default.
	TLS() (*tls.Config, error)
	// Validate reports every missing or malformed setting.
	Validate() error
	String() string
}

// LocalKMS keeps the master key in the application: for development only,
// since anyone who reads the key can decrypt every document.
type LocalKMS struct {
	Name string // "local" when empty
	Key  []byte // 96 bytes
}

// LocalKeyFromFile reads a local master key stored raw (96 bytes) or in
// base64.
// A file that group or others can read is used, with a warning.
func LocalKeyFromFile(path string) (*LocalKMS, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("qe: reading the local master key: %w", err)
	}
	if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
		slog.Warn("qe: the local master key file can be read by other users: anyone who reads it can decrypt every document; chmod 600 it", "file", path, "mode", info.Mode().Perm().String())
	}
	if len(data) == LocalKeySize {
		return &LocalKMS{Key: data}, nil
	}
	key, err := decodeLocalKey(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, fmt.Errorf("qe: local master key file %s: %w", path, err)
	}
	return &LocalKMS{Key: key}, nil
}

// LocalKeyFromBase64 decodes a base64 local master key, e.g. from an
// environment variable.
func LocalKeyFromBase64(s string) (*LocalKMS, error) {
	key, err := decodeLocalKey(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("qe: local master key: %w", err)
	}
	return &LocalKMS{Key: key}, nil
}

func decodeLocalKey(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("it is neither 96 raw bytes nor base64")
	}
	if len(key) != LocalKeySize {
		return nil, fmt.Errorf("it holds %d bytes, want %d", len(key), LocalKeySize)
	}
	return key, nil
}

// Provider implements KMS.
func (k *LocalKMS) Provider() string { return providerName("local", k.Name) }

// Credentials implements KMS.
func (k *LocalKMS) Credentials() map[string]any { return map[string]any{"key": k.Key} }

// MasterKey implements KMS: local keys have no master key document.
func (k *LocalKMS) MasterKey() any { return nil }

// TLS implements KMS.
func (k *LocalKMS) TLS() (*tls.Config, error) { return nil, nil }

// Validate implements KMS.
func (k *LocalKMS) Validate() error {
	if len(k.Key) != LocalKeySize {
		return fmt.Errorf("qe: the local master key has %d bytes, want %d", len(k.Key), LocalKeySize)
	}
	return nil
}

func (k LocalKMS) String() string { return k.Provider() + " (key redacted)" }

// AWSKMS is AWS KMS. Empty credentials mean the driver finds them itself
// (environment, instance role), which named providers do not support.
type AWSKMS struct {
	Name                                       string
	AccessKeyID, SecretAccessKey, SessionToken string
	Region, KeyARN, Endpoint                   string // master key
}

// Provider implements KMS.
func (k *AWSKMS) Provider() string { return providerName("aws", k.Name) }

// Credentials implements KMS.
func (k *AWSKMS) Credentials() map[string]any {
	return compact(map[string]any{"accessKeyId": k.AccessKeyID, "secretAccessKey": k.SecretAccessKey, "sessionToken": k.SessionToken})
}

// MasterKey implements KMS.
func (k *AWSKMS) MasterKey() any {
	return compact(map[string]any{"region": k.Region, "key": k.KeyARN, "endpoint": k.Endpoint})
}

// TLS implements KMS.
func (k *AWSKMS) TLS() (*tls.Config, error) { return nil, nil }

// Validate implements KMS.
func (k *AWSKMS) Validate() error {
	missing := missingFields(map[string]string{"Region": k.Region, "KeyARN": k.KeyARN})
	if (k.AccessKeyID == "") != (k.SecretAccessKey == "") {
		missing = append(missing, "AccessKeyID and SecretAccessKey (both, or neither for automatic credentials)")
	}
	if k.Name != "" && k.AccessKeyID == "" {
		missing = append(missing, "AccessKeyID (named providers cannot use automatic credentials)")
	}
	return missingError(k.Provider(), missing)
}

func (k AWSKMS) String() string { return k.Provider() + " " + k.KeyARN + " (credentials redacted)" }

// AzureKMS is Azure Key Vault.
type AzureKMS struct {
	Name                                  string
	TenantID, ClientID, ClientSecret      string
	IdentityPlatformEndpoint              string // optional
	KeyVaultEndpoint, KeyName, KeyVersion string // master key; KeyVersion optional
}

// Provider implements KMS.
func (k *AzureKMS) Provider() string { return providerName("azure", k.Name) }

// Credentials implements KMS.
func (k *AzureKMS) Credentials() map[string]any {
	return compact(map[string]any{"tenantId": k.TenantID, "clientId": k.ClientID, "clientSecret": k.ClientSecret, "identityPlatformEndpoint": k.IdentityPlatformEndpoint})
}

// MasterKey implements KMS.
func (k *AzureKMS) MasterKey() any {
	return compact(map[string]any{"keyVaultEndpoint": k.KeyVaultEndpoint, "keyName": k.KeyName, "keyVersion": k.KeyVersion})
}

// TLS implements KMS.
func (k *AzureKMS) TLS() (*tls.Config, error) { return nil, nil }

// Validate implements KMS.
func (k *AzureKMS) Validate() error {
	missing := missingFields(map[string]string{"KeyVaultEndpoint": k.KeyVaultEndpoint, "KeyName": k.KeyName})
	if k.TenantID != "" || k.ClientID != "" || k.ClientSecret != "" {
		missing = append(missing, missingFields(map[string]string{"TenantID": k.TenantID, "ClientID": k.ClientID, "ClientSecret": k.ClientSecret})...)
	}
	return missingError(k.Provider(), missing)
}

func (k AzureKMS) String() string {
	return k.Provider() + " " + k.KeyVaultEndpoint + "/" + k.KeyName + " (credentials redacted)"
}

// GCPKMS is Google Cloud KMS.
type GCPKMS struct {
	Name                                              string
	Email, PrivateKey, Endpoint                       string // PrivateKey in base64
	ProjectID, Location, KeyRing, KeyName, KeyVersion string // master key; KeyVersion optional
}

// Provider implements KMS.
func (k *GCPKMS) Provider() string { return providerName("gcp", k.Name) }

// Credentials implements KMS.
func (k *GCPKMS) Credentials() map[string]any {
	return compact(map[string]any{"email": k.Email, "privateKey": k.PrivateKey, "endpoint": k.Endpoint})
}

// MasterKey implements KMS.
func (k *GCPKMS) MasterKey() any {
	return compact(map[string]any{"projectId": k.ProjectID, "location": k.Location, "keyRing": k.KeyRing, "keyName": k.KeyName, "keyVersion": k.KeyVersion})
}

// TLS implements KMS.
func (k *GCPKMS) TLS() (*tls.Config, error) { return nil, nil }

// Validate implements KMS.
func (k *GCPKMS) Validate() error {
	missing := missingFields(map[string]string{"ProjectID": k.ProjectID, "Location": k.Location, "KeyRing": k.KeyRing, "KeyName": k.KeyName})
	if (k.Email == "") != (k.PrivateKey == "") {
		missing = append(missing, "Email and PrivateKey (both, or neither for automatic credentials)")
	}
	if k.PrivateKey != "" {
		if _, err := base64.StdEncoding.DecodeString(k.PrivateKey); err != nil {
			missing = append(missing, "PrivateKey in base64")
		}
	}
	return missingError(k.Provider(), missing)
}

func (k GCPKMS) String() string {
	return k.Provider() + " " + k.ProjectID + "/" + k.KeyRing + "/" + k.KeyName + " (credentials redacted)"
}

// KMIPKMS is a KMIP server, reached over TLS with a client certificate.
type KMIPKMS struct {
	Name     string
	Endpoint string // host:port
	// KeyID names an existing 96-byte secret; empty lets the server make one.
	KeyID     string
	Delegated bool // encrypt on the KMIP server (libmongocrypt 1.10+)
	// TLS files, as for the driver's tlsCertificateKeyFile and tlsCAFile.
	CertificateKeyFile, CertificateKeyFilePassword, CAFile string
}

// Provider implements KMS.
func (k *KMIPKMS) Provider() string { return providerName("kmip", k.Name) }

// Credentials implements KMS.
func (k *KMIPKMS) Credentials() map[string]any { return map[string]any{"endpoint": k.Endpoint} }

// MasterKey implements KMS.
func (k *KMIPKMS) MasterKey() any {
	mk := compact(map[string]any{"keyId": k.KeyID, "endpoint": k.Endpoint})
	if k.Delegated {
		mk["delegated"] = true
	}
	return mk
}

// TLS implements KMS.
func (k *KMIPKMS) TLS() (*tls.Config, error) {
	opts := map[string]any{}
	for key, v := range map[string]string{"tlsCertificateKeyFile": k.CertificateKeyFile, "tlsCertificateKeyFilePassword": k.CertificateKeyFilePassword, "tlsCAFile": k.CAFile} {
		if v != "" {
			opts[key] = v
		}
	}
	if len(opts) == 0 {
		return nil, nil
	}
	cfg, err := options.BuildTLSConfig(opts)
	if err != nil {
		return nil, fmt.Errorf("qe: TLS for %s: %w", k.Provider(), err)
	}
	return cfg, nil
}

// Validate implements KMS.
func (k *KMIPKMS) Validate() error {
	missing := missingFields(map[string]string{"Endpoint": k.Endpoint, "CertificateKeyFile": k.CertificateKeyFile})
	if k.Endpoint != "" && !strings.Contains(k.Endpoint, ":") {
		missing = append(missing, "Endpoint as host:port")
	}
	return missingError(k.Provider(), missing)
}

func (k KMIPKMS) String() string { return k.Provider() + " " + k.Endpoint + " (credentials redacted)" }

func providerName(kind, name string) string {
	if name == "" {
		return kind
	}
	return kind + ":" + name
}

// compact drops empty strings, which the driver would send as values.
func compact(m map[string]any) map[string]any {
	for k, v := range m {
		if s, ok := v.(string); ok && s == "" {
			delete(m, k)
		}
	}
	return m
}

func missingFields(fields map[string]string) []string {
	var missing []string
	for name, v := range fields {
		if v == "" {
			missing = append(missing, name)
		}
	}
	return missing
}

func missingError(provider string, missing []string) error {
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return fmt.Errorf("qe: KMS provider %s needs %s", provider, strings.Join(missing, ", "))
}
