package qe

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Config is what a program needs to use Queryable Encryption: where data
// keys live, which KMS wraps them, and where automatic encryption finds its
// query analysis library.
type Config struct {
	// KeyVaultNamespace is "database.collection" of the key vault, e.g.
	// "medical_records.__keyVault".
	KeyVaultNamespace string
	// KMS wraps new data keys and unwraps existing ones.
	KMS KMS
	// Previous are providers that wrapped keys before a rotation; their
	// credentials are needed until every key has been rewrapped.
	Previous []KMS
	// CryptSharedLibPath is the crypt_shared library file for automatic
	// encryption; empty searches the system path (or runs mongocryptd).
	CryptSharedLibPath string
	// CryptSharedLibRequired fails at connect time when crypt_shared
	// cannot be loaded, rather than falling back to mongocryptd.
	CryptSharedLibRequired bool
}

// Validate reports every problem with the configuration at once.
func (c Config) Validate() error {
	var errs []error
	if db, coll, ok := strings.Cut(c.KeyVaultNamespace, "."); !ok || db == "" || coll == "" {
		errs = append(errs, fmt.Errorf("qe: KeyVaultNamespace %q is not database.collection, e.g. medical_records.__keyVault", c.KeyVaultNamespace))
	}
	if c.KMS == nil {
		errs = append(errs, errors.New("qe: no KMS provider: set Config.KMS (LocalKMS, AWSKMS, AzureKMS, GCPKMS or KMIPKMS)"))
	}
	for _, k := range c.providers() {
		if err := k.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (c Config) providers() []KMS {
	var all []KMS
	if c.KMS != nil {
		all = append(all, c.KMS)
	}
	return append(all, c.Previous...)
}

// KMSProviders is the driver's kmsProviders map.
func (c Config) KMSProviders() map[string]map[string]any {
	m := map[string]map[string]any{}
	for _, k := range c.providers() {
		m[k.Provider()] = k.Credentials()
	}
	return m
}

// TLSConfig is the driver's per-provider TLS map; nil entries are left out.
func (c Config) TLSConfig() (map[string]*tls.Config, error) {
	m := map[string]*tls.Config{}
	for _, k := range c.providers() {
		cfg, err := k.TLS()
		if err != nil {
			return nil, err
		}
		if cfg != nil {
			m[k.Provider()] = cfg
		}
	}
	return m, nil
}

// warnLocal logs that a local master key is in use, each time a client or
// key manager is set up with one.
func (c Config) warnLocal() {
	for _, k := range c.providers() {
		if isLocalProvider(k.Provider()) {
			slog.Warn("qe: using a local master key: anyone who can read it can decrypt every document; use a remote KMS (aws, azure, gcp, kmip) in production", "provider", k.Provider())
		}
	}
}

// NewClientEncryption builds the driver's ClientEncryption for explicit
// encryption and key management. keyVaultClient must not use automatic
// encryption; Close on the result disconnects it.
func (c Config) NewClientEncryption(keyVaultClient *mongo.Client) (*mongo.ClientEncryption, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if LibmongocryptVersion() == "" {
		return nil, ErrNoLibmongocrypt
	}
	c.warnLocal()
	tlsConfig, err := c.TLSConfig()
	if err != nil {
		return nil, err
	}
	return mongo.NewClientEncryption(keyVaultClient, options.ClientEncryption().
		SetKeyVaultNamespace(c.KeyVaultNamespace).
		SetKmsProviders(c.KMSProviders()).
		SetTLSConfig(tlsConfig))
}

// Keys returns what CreateCollection needs to find and create data keys.
func (c Config) Keys(ce *mongo.ClientEncryption, keyVaultClient *mongo.Client) Keys {
	db, coll, _ := strings.Cut(c.KeyVaultNamespace, ".")
	return Keys{Encryption: ce, Vault: keyVaultClient.Database(db).Collection(coll), Provider: c.KMS.Provider(), MasterKey: c.KMS.MasterKey()}
}

// Mode is how a client encrypts.
type Mode int

const (
	// AutomaticMode: crypt_shared (or mongocryptd) analyses every command
	// and encrypts. Needs MongoDB Enterprise or Atlas.
	AutomaticMode Mode = iota
	// ExplicitMode: repositories encrypt values themselves (see
	// WithExplicitEncryption); the client only decrypts. Works on Community.
	ExplicitMode
)

// AutoEncryptionOptions builds the driver's options for a client in the
// given mode. encryptedFieldsMap, from EncryptedFieldsMap, makes the client
// use the application's schema rather than trust one the server reports.
func (c Config) AutoEncryptionOptions(mode Mode, encryptedFieldsMap map[string]any) (*options.AutoEncryptionOptions, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.warnLocal()
	tlsConfig, err := c.TLSConfig()
	if err != nil {
		return nil, err
	}
	opts := options.AutoEncryption().
		SetKeyVaultNamespace(c.KeyVaultNamespace).
		SetKmsProviders(c.KMSProviders()).
		SetTLSConfig(tlsConfig)
	if len(encryptedFieldsMap) > 0 {
		opts.SetEncryptedFieldsMap(encryptedFieldsMap)
	}
	switch mode {
	case ExplicitMode:
		// No query analysis: no crypt_shared or mongocryptd is needed.
		opts.SetBypassQueryAnalysis(true)
	default:
		extra := map[string]any{}
		if c.CryptSharedLibPath != "" {
			extra["cryptSharedLibPath"] = c.CryptSharedLibPath
		}
		if c.CryptSharedLibRequired {
			extra["cryptSharedLibRequired"] = true
		}
		if len(extra) > 0 {
			opts.SetExtraOptions(extra)
		}
	}
	return opts, nil
}

// Connect opens a client that encrypts in the given mode, turning the
// driver's panics and terse errors about missing libraries into errors
// that say what to install.
func (c Config) Connect(clientOpts *options.ClientOptions, mode Mode, encryptedFieldsMap map[string]any) (*mongo.Client, error) {
	if LibmongocryptVersion() == "" {
		return nil, ErrNoLibmongocrypt
	}
	auto, err := c.AutoEncryptionOptions(mode, encryptedFieldsMap)
	if err != nil {
		return nil, err
	}
	client, err := mongo.Connect(clientOpts.SetAutoEncryptionOptions(auto))
	if err != nil {
		return nil, explainConnectError(err, c.CryptSharedLibPath)
	}
	return client, nil
}

func explainConnectError(err error, libPath string) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "crypt_shared") || strings.Contains(msg, "cryptSharedLib"):
		return fmt.Errorf("qe: the crypt_shared library could not be loaded (path %q): download the Automatic Encryption Shared Library for your platform, set CryptSharedLibPath to the file, or use explicit mode: %w", libPath, err)
	case strings.Contains(msg, "mongocryptd"):
		return fmt.Errorf("qe: automatic encryption needs crypt_shared or mongocryptd, and neither was found: set CryptSharedLibPath, or use explicit mode: %w", err)
	}
	return err
}

// EncryptedFieldsMap is the driver's encryptedFieldsMap for the given
// collections of database, with every keyId looked up by its alt name in
// vault. The keys must exist: create the collections first. It fails when
// the linked libmongocrypt cannot encrypt one of the collections.
func EncryptedFieldsMap(ctx context.Context, vault *mongo.Collection, database string, specs ...CollectionSpec) (map[string]any, error) {
	if err := checkLibmongocrypt(LibmongocryptVersion(), specs...); err != nil {
		return nil, err
	}
	return encryptedFieldsMap(database, specs, func(altName string) (bson.Binary, error) {
		var key struct {
			ID bson.Binary `bson:"_id"`
		}
		err := vault.FindOne(ctx, bson.D{{Key: "keyAltNames", Value: altName}}).Decode(&key)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return bson.Binary{}, fmt.Errorf("qe: no data key named %q in %s: create the collection first (qe.CreateCollection with the generated XSpec() makes the keys)", altName, namespace(vault))
		}
		return key.ID, err
	})
}

func encryptedFieldsMap(database string, specs []CollectionSpec, keyFor func(altName string) (bson.Binary, error)) (map[string]any, error) {
	m := make(map[string]any, len(specs))
	for _, spec := range specs {
		if spec.err != nil {
			return nil, spec.err
		}
		fields, err := spec.EncryptedFields.WithKeys(func(path string) (bson.Binary, error) {
			return keyFor(KeyAltName(database, spec.Name, path))
		})
		if err != nil {
			return nil, err
		}
		m[database+"."+spec.Name] = fields.Document()
	}
	return m, nil
}

// ConfigFromEnv reads a Config from environment variables; see the README
// for their names. Secrets stay in the environment or in files, never in
// code.
func ConfigFromEnv() (Config, error) { return configFromEnv(os.Getenv) }

func configFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		KeyVaultNamespace:  getenv("QE_KEY_VAULT_NAMESPACE"),
		CryptSharedLibPath: getenv("QE_CRYPT_SHARED_LIB_PATH"),
	}
	if v := getenv("QE_CRYPT_SHARED_REQUIRED"); v != "" {
		required, err := strconv.ParseBool(v)
		if err != nil {
			return Config{}, fmt.Errorf("qe: QE_CRYPT_SHARED_REQUIRED=%q: want true or false", v)
		}
		c.CryptSharedLibRequired = required
	}
	provider := getenv("QE_KMS_PROVIDER")
	kind, name, _ := strings.Cut(provider, ":")
	switch kind {
	case "local":
		var k *LocalKMS
		var err error
		switch {
		case getenv("QE_LOCAL_KEY") != "":
			k, err = LocalKeyFromBase64(getenv("QE_LOCAL_KEY"))
		case getenv("QE_LOCAL_KEY_FILE") != "":
			k, err = LocalKeyFromFile(getenv("QE_LOCAL_KEY_FILE"))
		default:
			err = errors.New("qe: QE_KMS_PROVIDER=local needs QE_LOCAL_KEY (base64) or QE_LOCAL_KEY_FILE")
		}
		if err != nil {
			return Config{}, err
		}
		k.Name = name
		c.KMS = k
	case "aws":
		c.KMS = &AWSKMS{Name: name, AccessKeyID: getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: getenv("AWS_SECRET_ACCESS_KEY"), SessionToken: getenv("AWS_SESSION_TOKEN"),
			Region: getenv("QE_AWS_KEY_REGION"), KeyARN: getenv("QE_AWS_KEY_ARN"), Endpoint: getenv("QE_AWS_KEY_ENDPOINT")}
	case "azure":
		c.KMS = &AzureKMS{Name: name, TenantID: getenv("AZURE_TENANT_ID"), ClientID: getenv("AZURE_CLIENT_ID"), ClientSecret: getenv("AZURE_CLIENT_SECRET"),
			IdentityPlatformEndpoint: getenv("QE_AZURE_IDENTITY_PLATFORM_ENDPOINT"),
			KeyVaultEndpoint:         getenv("QE_AZURE_KEY_VAULT_ENDPOINT"), KeyName: getenv("QE_AZURE_KEY_NAME"), KeyVersion: getenv("QE_AZURE_KEY_VERSION")}
	case "gcp":
		c.KMS = &GCPKMS{Name: name, Email: getenv("QE_GCP_EMAIL"), PrivateKey: getenv("QE_GCP_PRIVATE_KEY"), Endpoint: getenv("QE_GCP_ENDPOINT"),
			ProjectID: getenv("QE_GCP_PROJECT_ID"), Location: getenv("QE_GCP_LOCATION"), KeyRing: getenv("QE_GCP_KEY_RING"), KeyName: getenv("QE_GCP_KEY_NAME"), KeyVersion: getenv("QE_GCP_KEY_VERSION")}
	case "kmip":
		c.KMS = &KMIPKMS{Name: name, Endpoint: getenv("QE_KMIP_ENDPOINT"), KeyID: getenv("QE_KMIP_KEY_ID"), Delegated: getenv("QE_KMIP_DELEGATED") == "true",
			CertificateKeyFile: getenv("QE_KMIP_TLS_CERT_KEY_FILE"), CertificateKeyFilePassword: getenv("QE_KMIP_TLS_CERT_KEY_PASSWORD"), CAFile: getenv("QE_KMIP_TLS_CA_FILE")}
	case "":
		return Config{}, errors.New("qe: QE_KMS_PROVIDER is not set: use local, aws, azure, gcp or kmip")
	default:
		return Config{}, fmt.Errorf("qe: QE_KMS_PROVIDER=%q: use local, aws, azure, gcp or kmip (optionally with :name)", provider)
	}
	return c, c.Validate()
}
