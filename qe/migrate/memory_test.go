package migrate

// The tests in this package's *_memory_test.go files are unit tests of
// qegen's migration logic (order, checkpoints, resumption, skipping,
// checks, reports), run against the in-memory stand-ins below. They prove
// nothing about MongoDB or libmongocrypt: example/migrate_libmongocrypt_test.go
// runs the encryption through the real libmongocrypt, and
// example/migrate_server_test.go runs everything against a real server.

import (
	"bytes"
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/schema"
)

// memSource holds documents sorted by _id (ObjectIDs, or strings).
type memSource struct {
	mu    sync.Mutex
	docs  []bson.Raw
	reads int
}

func newMemSource(docs ...bson.Raw) *memSource {
	s := &memSource{docs: append([]bson.Raw(nil), docs...)}
	s.sort()
	return s
}

func (s *memSource) sort() {
	sort.Slice(s.docs, func(i, j int) bool { return lessID(s.docs[i].Lookup("_id"), s.docs[j].Lookup("_id")) })
}

// lessID orders _ids of one BSON type by their bytes, which is the
// server's order for ObjectIDs; strings compare as strings.
func lessID(a, b bson.RawValue) bool {
	if a.Type == bson.TypeString && b.Type == bson.TypeString {
		return a.StringValue() < b.StringValue()
	}
	return bytes.Compare(a.Value, b.Value) < 0
}

func (s *memSource) add(doc bson.Raw) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs = append(s.docs, doc)
	s.sort()
}

func (s *memSource) snapshot() []bson.Raw {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]bson.Raw, len(s.docs))
	for i, d := range s.docs {
		out[i] = append(bson.Raw(nil), d...)
	}
	return out
}

func (s *memSource) Namespace() string { return "db.source" }

func (s *memSource) Next(_ context.Context, after bson.RawValue, limit int) ([]bson.Raw, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads++
	var out []bson.Raw
	for _, d := range s.docs {
		if after.Type != 0 && !lessID(after, d.Lookup("_id")) {
			continue
		}
		out = append(out, d)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

func (s *memSource) Sample(_ context.Context, n int) ([]bson.Raw, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Every third document: deterministic, and not just the first ones.
	var out []bson.Raw
	for i := len(s.docs) - 1; i >= 0 && len(out) < n; i -= 3 {
		out = append(out, s.docs[i])
	}
	return out, nil
}

func (s *memSource) Count(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(len(s.docs)), nil
}

// memTarget is a collection created with some encryptedFields (nil: it
// does not exist), holding documents as a decrypting client reads them.
type memTarget struct {
	mu      sync.Mutex
	created *schema.EncryptedFields
	docs    map[string]bson.Raw
	// hide makes Existing miss these ids once, as when another writer
	// inserts between the lookup and the insert.
	hide map[string]bool
}

func newMemTarget(spec qe.CollectionSpec) *memTarget {
	ef := spec.EncryptedFields.Clone()
	return &memTarget{created: &ef, docs: map[string]bson.Raw{}}
}

func (t *memTarget) Namespace() string { return "db.target" }

func (t *memTarget) Check(_ context.Context, spec qe.CollectionSpec) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.created == nil {
		return &TargetError{Namespace: t.Namespace(), Missing: true}
	}
	if diffs := schema.Diff(spec.EncryptedFields, *t.created); len(diffs) > 0 {
		return &TargetError{Namespace: t.Namespace(), Diffs: diffs}
	}
	return nil
}

func (t *memTarget) Existing(_ context.Context, ids []bson.RawValue) ([]bson.RawValue, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []bson.RawValue
	for _, id := range ids {
		if t.hide[idKey(id)] {
			delete(t.hide, idKey(id))
			continue
		}
		if _, ok := t.docs[idKey(id)]; ok {
			out = append(out, id)
		}
	}
	return out, nil
}

func (t *memTarget) Find(_ context.Context, ids []bson.RawValue) ([]bson.Raw, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []bson.Raw
	for _, id := range ids {
		if d, ok := t.docs[idKey(id)]; ok {
			out = append(out, d)
		}
	}
	return out, nil
}

func (t *memTarget) Count(context.Context) (int64, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return int64(len(t.docs)), nil
}

func (t *memTarget) put(doc bson.Raw) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.docs[idKey(doc.Lookup("_id"))] = doc
}

func (t *memTarget) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.docs)
}

// memRepo stands in for a generated repository: it stores what the
// driver would send, refusing an _id the target holds as the server's
// _id index does.
type memRepo[T any] struct {
	target  *memTarget
	inserts int // calls that stored a document
	dups    int // calls refused as duplicates
	// before runs before each insert; an error it returns is the insert's.
	before func(n int) error
}

var dupKey = mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 11000, Message: "E11000 duplicate key error collection: db.target index: _id_"}}}

func (r *memRepo[T]) InsertOne(_ context.Context, doc *T) (*mongo.InsertOneResult, error) {
	if r.before != nil {
		if err := r.before(r.inserts); err != nil {
			return nil, err
		}
	}
	raw, err := bson.Marshal(doc)
	if err != nil {
		return nil, err
	}
	id := bson.Raw(raw).Lookup("_id")
	r.target.mu.Lock()
	_, exists := r.target.docs[idKey(id)]
	r.target.mu.Unlock()
	if exists {
		r.dups++
		return nil, dupKey
	}
	r.target.put(raw)
	r.inserts++
	return &mongo.InsertOneResult{InsertedID: id}, nil
}

// memCheckpoints keeps checkpoints in a map; failAfter > 0 makes every
// save after that many fail, as when the process dies.
type memCheckpoints struct {
	mu        sync.Mutex
	saved     map[string]Checkpoint
	saves     int
	failAfter int
}

func newMemCheckpoints() *memCheckpoints { return &memCheckpoints{saved: map[string]Checkpoint{}} }

func (c *memCheckpoints) Load(_ context.Context, name string) (Checkpoint, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cp, ok := c.saved[name]
	return cp, ok, nil
}

func (c *memCheckpoints) Save(_ context.Context, cp Checkpoint) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failAfter > 0 && c.saves >= c.failAfter {
		return errSaveFailed
	}
	c.saves++
	c.saved[cp.Name] = cp
	return nil
}

var errSaveFailed = &mongo.CommandError{Code: 91, Message: "shutdown in progress"}

// fakeClock advances only when slept on.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept += d
	return nil
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func mustRaw(t testing.TB, v any) bson.Raw {
	t.Helper()
	raw, err := bson.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
