package migrate

import (
	"errors"
	"fmt"
	"math"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/qe"
)

// Defaults, chosen for a busy production cluster (the README says more).
const (
	// DefaultBatchSize documents are read per query, checked against the
	// target per query, and recorded per checkpoint: each query is short,
	// no cursor stays open between batches, and a resumed run redoes at
	// most one batch's lookups.
	DefaultBatchSize = 100
	// DefaultRate caps inserts at 100 documents per second, from one
	// writer. An insert into an encrypted collection is an internal
	// transaction that also writes a metadata entry per index tag (a range
	// or text field has tens to hundreds of them), so 100 documents a
	// second can mean thousands of writes and oplog entries a second.
	DefaultRate = 100.0
	// DefaultReadRate caps the documents DryRun and Verify read per
	// second: reads by _id cost the server far less than encrypted
	// inserts, and a full scan at full speed would still evict the cache
	// the application relies on.
	DefaultReadRate = 1000.0
	// MaxListed is how many problems or differences a report lists; it
	// counts them all.
	MaxListed = 100
)

// Unlimited as a Rate or ReadRate removes the limit.
var Unlimited = math.Inf(1)

// Migration copies Source into the collection Repository writes, whose
// encryptedFields Spec describes (the generated XSpec()). Set the
// interfaces; every other field has a default.
type Migration[T any] struct {
	Source     Source
	Target     Target
	Repository Repository[T]
	// Spec is the target model's collection: XSpec() of generated code.
	Spec qe.CollectionSpec
	// Checkpoints keeps progress between runs; Run needs it, DryRun
	// uses it when set to start where Run would.
	Checkpoints Checkpoints
	// Name names the checkpoint; default "<source> -> <target>".
	Name string
	// Convert turns a source document into the model, for a model that
	// changed shape (renamed keys, new types). Default: the driver decodes
	// the document into T, and a document that would lose or change a
	// value on the way (a key T does not have, null where T holds a
	// string) does not fit. With Convert, what it returns is copied and
	// verified, and those changes are the caller's.
	Convert func(source bson.Raw) (*T, error)
	// BatchSize is how many documents a query reads; 0 means
	// DefaultBatchSize.
	BatchSize int
	// Rate is the most documents Run inserts per second; 0 means
	// DefaultRate, Unlimited none.
	Rate float64
	// ReadRate is the most documents DryRun and Verify read per second; 0
	// means DefaultReadRate, Unlimited none.
	ReadRate float64
	// Progress, when set, is called as documents are done and once at the
	// end of each phase (NewDisplay prints it).
	Progress func(Progress)
	// Restart ignores the checkpoint's position and counts and reads the
	// source from the start again; documents already in the target are
	// still skipped, not copied twice.
	Restart bool

	clock clock // the real clock unless a test sets one
}

// validate reports every setting that cannot work.
func (m *Migration[T]) validate(needCheckpoints bool) error {
	var errs []error
	if m.Source == nil {
		errs = append(errs, errors.New("no Source"))
	}
	if m.Target == nil {
		errs = append(errs, errors.New("no Target"))
	}
	if m.Repository == nil {
		errs = append(errs, errors.New("no Repository: use the generated NewXRepository"))
	}
	if needCheckpoints && m.Checkpoints == nil {
		errs = append(errs, errors.New("no Checkpoints: a run must be able to resume (NewCollectionCheckpoints)"))
	}
	if err := m.Spec.Err(); err != nil {
		errs = append(errs, err)
	} else if m.Spec.Name == "" {
		errs = append(errs, errors.New("no Spec: use the generated XSpec()"))
	}
	if m.BatchSize < 0 || m.BatchSize > 100000 {
		errs = append(errs, fmt.Errorf("BatchSize %d: use 1 to 100000, or 0 for %d", m.BatchSize, DefaultBatchSize))
	}
	for _, r := range []struct {
		name  string
		value float64
	}{{"Rate", m.Rate}, {"ReadRate", m.ReadRate}} {
		if r.value < 0 || math.IsNaN(r.value) {
			errs = append(errs, fmt.Errorf("%s %v: use documents per second, 0 for the default, or Unlimited", r.name, r.value))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("qe/migrate: %w", errors.Join(errs...))
	}
	return nil
}

func (m *Migration[T]) batchSize() int {
	if m.BatchSize == 0 {
		return DefaultBatchSize
	}
	return m.BatchSize
}

func orDefault(rate, def float64) float64 {
	if rate == 0 {
		return def
	}
	return rate
}

// name is the checkpoint's name.
func (m *Migration[T]) name() string {
	if m.Name != "" {
		return m.Name
	}
	return m.Source.Namespace() + " -> " + m.Target.Namespace()
}
