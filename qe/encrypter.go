package qe

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/schema"
)

// EncryptOptions says how to encrypt one value, exactly as the collection's
// encryptedFields says.
type EncryptOptions struct {
	// KeyAltName names the field's data key ("<db>.<coll>/<path>"). The
	// Encrypter passes libmongocrypt the key's id: libmongocrypt refuses
	// alt names with every Queryable Encryption algorithm.
	KeyAltName string
	// Algorithm is "Indexed", "Unindexed", "Range" or "String".
	Algorithm string
	// QueryType is empty for stored values and set for query values:
	// "equality", "range", "prefix", "prefixPreview", ...
	QueryType  string
	Contention int64
	// Range holds a range field's options, with the type's whole domain
	// as min and max when the collection has no bounds.
	Range *schema.RangeOptions
	// Text holds a text field's options, and TextKinds its text kinds.
	Text      *schema.TextOptions
	TextKinds []schema.Kind
}

// Encrypter encrypts values for explicit mode. NewClientEncrypter wraps the
// driver's ClientEncryption; tests give their own.
type Encrypter interface {
	// Encrypt returns the ciphertext (binData subtype 6) of one value.
	Encrypt(ctx context.Context, value bson.RawValue, opts EncryptOptions) (bson.Binary, error)
	// EncryptExpression encrypts the bounds of a range filter of the form
	// {$and: [{path: {$gt|$gte: v}}, {path: {$lt|$lte: v}}]}, either bound
	// optional, returning the same shape with ciphertexts.
	EncryptExpression(ctx context.Context, expr bson.D, opts EncryptOptions) (bson.D, error)
}

// NewClientEncrypter returns the Encrypter backed by the driver and the
// linked libmongocrypt. It finds each data key by its alt name once and
// then passes libmongocrypt the key's id.
func NewClientEncrypter(ce *mongo.ClientEncryption) Encrypter {
	return &clientEncrypter{ce: ce, ids: map[string]bson.Binary{}}
}

type clientEncrypter struct {
	ce  *mongo.ClientEncryption
	mu  sync.Mutex
	ids map[string]bson.Binary // key ids by alt name, once found
}

// libmongocryptVersion lets NewExplicit check, for the real encrypter
// only, that the linked libmongocrypt can encrypt the collection.
func (c *clientEncrypter) libmongocryptVersion() string { return LibmongocryptVersion() }

func (c *clientEncrypter) Encrypt(ctx context.Context, value bson.RawValue, opts EncryptOptions) (bson.Binary, error) {
	eo, err := c.driverOptions(ctx, opts)
	if err != nil {
		return bson.Binary{}, err
	}
	return c.ce.Encrypt(ctx, value, eo)
}

func (c *clientEncrypter) EncryptExpression(ctx context.Context, expr bson.D, opts EncryptOptions) (bson.D, error) {
	eo, err := c.driverOptions(ctx, opts)
	if err != nil {
		return nil, err
	}
	var out bson.D
	if err := c.ce.EncryptExpression(ctx, expr, &out, eo); err != nil {
		return nil, err
	}
	return out, nil
}

// keyID returns the id of the data key named altName, looking it up in the
// key vault the first time.
func (c *clientEncrypter) keyID(ctx context.Context, altName string) (bson.Binary, error) {
	c.mu.Lock()
	id, ok := c.ids[altName]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	id, err := findKey(ctx, c.ce, altName)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return bson.Binary{}, fmt.Errorf("qe: no data key named %q in the key vault: create the collection first (qe.CreateCollection with the generated XSpec() makes one key per encrypted field), or create the key with qe.DataKey", altName)
	}
	if err != nil {
		return bson.Binary{}, err
	}
	c.mu.Lock()
	c.ids[altName] = id
	c.mu.Unlock()
	return id, nil
}

// driverOptions maps EncryptOptions onto the driver's.
func (c *clientEncrypter) driverOptions(ctx context.Context, o EncryptOptions) (*options.EncryptOptionsBuilder, error) {
	id, err := c.keyID(ctx, o.KeyAltName)
	if err != nil {
		return nil, err
	}
	eo := options.Encrypt().SetKeyID(id).SetAlgorithm(o.Algorithm)
	if o.Algorithm == "Unindexed" {
		return eo, nil
	}
	eo.SetContentionFactor(o.Contention)
	if o.QueryType != "" {
		eo.SetQueryType(o.QueryType)
	}
	if r := o.Range; r != nil {
		ro := options.Range()
		if r.Min.Type != 0 {
			ro.SetMin(r.Min).SetMax(r.Max)
		}
		if r.Sparsity != nil {
			ro.SetSparsity(*r.Sparsity)
		}
		if r.TrimFactor != nil {
			ro.SetTrimFactor(*r.TrimFactor)
		}
		if r.Precision != nil {
			ro.SetPrecision(*r.Precision)
		}
		eo.SetRangeOptions(ro)
	}
	if t := o.Text; t != nil {
		so := options.String().SetCaseSensitive(t.CaseSensitive).SetDiacriticSensitive(t.DiacriticSensitive)
		lo, hi := t.StrMinQueryLength, t.StrMaxQueryLength
		for _, kind := range o.TextKinds {
			switch kind {
			case schema.Prefix:
				so.SetPrefix(options.PrefixOptions{StrMinQueryLength: lo, StrMaxQueryLength: hi})
			case schema.Suffix:
				so.SetSuffix(options.SuffixOptions{StrMinQueryLength: lo, StrMaxQueryLength: hi})
			case schema.Substring:
				so.SetSubstring(options.SubstringOptions{StrMaxLength: deref(t.StrMaxLength), StrMinQueryLength: lo, StrMaxQueryLength: hi})
			}
		}
		eo.SetStringOptions(so)
	}
	return eo, nil
}

func deref(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}
