package qe

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestCopiedFieldIsNoField: a field value copied over another (*w.A =
// *w.B, even through a conversion between field types) would point every
// filter and update on A, program-wide, at B's path. The copy is not the
// field its struct filled, so it fails instead, and B is unaffected.
func TestCopiedFieldIsNoField(t *testing.T) {
	f := newUpdateFields(t)
	ssn, name := f.ssn, f.name
	*ssn = EqualityField[string](*name)
	for what, err := range map[string]error{
		"filter":         errOf(ssn.Eq("987-65-4320").ForAutomaticEncryption()),
		"update":         errOf(ssn.Set("987-65-4320").ForAutomaticEncryption()),
		"marshal filter": errOf(bson.Marshal(ssn.Eq("987-65-4320"))),
		"marshal update": errOf(bson.Marshal(ssn.Set("987-65-4320"))),
	} {
		if err == nil || !strings.Contains(err.Error(), "did not fill") {
			t.Errorf("%s on a copied field: error %v, want it refused", what, err)
		}
	}
	if _, err := name.Eq("Ann").ForAutomaticEncryption(); err != nil {
		t.Errorf("the field copied from stopped working: %v", err)
	}
}

// TestCastFieldKeepsItsKind: a field converted to another field type
// keeps how it is stored, and nothing the server cannot do there (or that
// would send a value in clear) is accepted.
func TestCastFieldKeepsItsKind(t *testing.T) {
	f := newUpdateFields(t)
	asString := (*StringField)(f.ssn)
	asNumber := (*NumberField[int32])(f.card)
	asArray := (*ArrayField[string])(f.ssn)
	for what, err := range map[string]error{
		"regex":    errOf(asString.Regex("^9", "").ForAutomaticEncryption()),
		"lt":       errOf(asString.Lt("9").ForAutomaticEncryption()),
		"inc":      errOf(asNumber.Inc(1).ForAutomaticEncryption()),
		"push":     errOf(asArray.Push("x").ForAutomaticEncryption()),
		"size":     errOf(asArray.Size(1).ForAutomaticEncryption()),
		"sort":     errOf(driverFind("c", []FindOption{Sort(asString.Asc())})),
		"regex on": (&Filter{op: opRegex, field: f.ssn.ref(), value: bson.Regex{Pattern: "x"}}).check("c"),
	} {
		if err == nil {
			t.Errorf("%s on an encrypted field cast to a plain type was accepted", what)
		}
	}
}

// TestZeroRepositoryFails: a repository that its constructor did not make
// returns an error from every operation instead of panicking.
func TestZeroRepositoryFails(t *testing.T) {
	ctx := context.Background()
	var ops Operations
	var s *Store
	var p *person
	calls := map[string]error{
		"Count":      errOf(ops.Count(ctx, All())),
		"Exists":     errOf(ops.Exists(ctx, All())),
		"DeleteOne":  errOf(ops.DeleteOne(ctx, All())),
		"DeleteMany": errOf(ops.DeleteMany(ctx, All())),
		"InsertOne":  errOf(s.InsertOne(ctx, &person{})),
		"Find":       s.Find(ctx, All(), &[]person{}),
		"FindOne":    s.FindOne(ctx, All(), &p),
		"Replace":    errOf(s.ReplaceOne(ctx, All(), &person{})),
	}
	var streamed error
	s.Stream(ctx, All(), nil, &p, func(err error) bool { streamed = err; return false })
	calls["Stream"] = streamed
	for name, err := range calls {
		if !errors.Is(err, errNoStore) {
			t.Errorf("%s on a zero repository: %v, want errNoStore", name, err)
		}
	}
	if ops.Collection() != nil || p != nil {
		t.Error("a zero repository has a collection, or returned a document")
	}
}

// TestNilOptionsAndFields: nil options are no options; a nil projection
// field is refused, not a panic.
func TestNilOptionsAndFields(t *testing.T) {
	if _, err := driverFind("c", []FindOption{nil, Limit(1)}); err != nil {
		t.Errorf("a nil find option: %v", err)
	}
	if o := applyUpdateOptions([]UpdateOption{nil, Upsert()}); !o.upsert {
		t.Error("a nil update option dropped the others")
	}
	for _, opt := range []FindOption{Include(nil), Exclude(nil)} {
		if _, err := driverFind("c", []FindOption{opt}); err == nil {
			t.Error("a projection of a nil field was accepted")
		}
	}
}

// TestResultsClearedOnFailure: a **T result is set only when decoding
// succeeds, and cleared otherwise, so no call returns a document with an
// error (nor the one decoded before it).
func TestResultsClearedOnFailure(t *testing.T) {
	old := &person{Name: "Ann"}
	p := old
	if err := decodeResult(&p, func(any) error { return errors.New("refused") }); err == nil || p != nil {
		t.Errorf("a failed decode left %v", p)
	}
	p = old
	if err := decodeResult(&p, func(v any) error { v.(*person).Name = "Bob"; return nil }); err != nil || p == old || p.Name != "Bob" || old.Name != "Ann" {
		t.Errorf("a decode reused or missed the document: %v, %v", p, err)
	}
	p = old
	clearResult(&p)
	if p != nil {
		t.Error("clearResult left the document")
	}
}

func errOf[T any](_ T, err error) error { return err }
