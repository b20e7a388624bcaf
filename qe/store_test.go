package qe

import (
	"context"
	"errors"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/internal/offline"
)

// failingEncrypter refuses the value "refuse".
type failingEncrypter struct{ exprRecorder }

func (*failingEncrypter) Encrypt(_ context.Context, v bson.RawValue, _ EncryptOptions) (bson.Binary, error) {
	if s, ok := v.StringValueOK(); ok && s == "refuse" {
		return bson.Binary{}, errors.New("refused")
	}
	return bson.Binary{Subtype: 6, Data: []byte{1}}, nil
}

// TestInsertManyOnePerCommand: the server takes one document per insert
// command on a QE collection, in both modes; a failure says where it
// stopped. The deployment is in memory (package offline): this checks what
// Store sends, not what a server accepts.
func TestInsertManyOnePerCommand(t *testing.T) {
	ctx := context.Background()
	d := offline.New()
	client := d.TestClient(t)
	coll := client.Database("db").Collection("c")
	spec := specWith("equality")
	docs := []any{bson.D{{Key: "f", Value: "a"}}, bson.D{{Key: "f", Value: "refuse"}}, bson.D{{Key: "f", Value: "c"}}}

	type doc struct {
		F string `bson:"f"`
	}
	res, err := NewStore(tok, coll, spec, (*doc)(nil)).InsertMany(ctx, docs)
	if err != nil || len(res.InsertedIDs) != 3 {
		t.Fatalf("automatic mode: InsertMany = %v, %v", res, err)
	}
	if n := len(d.Commands("insert")); n != 3 {
		t.Errorf("automatic mode sent %d insert commands, want 3", n)
	}
	for _, cmd := range d.Commands("insert") {
		if docs, _ := cmd.Body.Lookup("documents").Array().Values(); len(docs) != 1 {
			t.Errorf("an insert command carried %d documents, want 1", len(docs))
		}
	}

	before := len(d.Commands("insert"))
	res, err = NewStore(tok, coll, spec, (*doc)(nil), WithExplicitEncryption(&failingEncrypter{})).InsertMany(ctx, docs)
	var manyErr *InsertManyError
	if !errors.As(err, &manyErr) || manyErr.Index != 1 || len(res.InsertedIDs) != 1 {
		t.Fatalf("explicit mode with a failing second document = %v, %v; want InsertManyError at 1 after 1 insert", res, err)
	}
	if n := len(d.Commands("insert")) - before; n != 1 {
		t.Errorf("%d insert commands after the failure, want 1", n)
	}
	if want := "qe: InsertMany: document 1 failed, the 1 before it were inserted and none after it was tried"; err.Error()[:len(want)] != want {
		t.Errorf("error = %q", err)
	}
}
