package qe

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/internal/offline"
	"github.com/qegen/qegen/schema"
)

type record struct {
	SSN     string `bson:"ssn"`
	Billing struct {
		Card string `bson:"card"`
	} `bson:"billing"`
}

type current struct {
	ID     bson.ObjectID `bson:"_id,omitempty"`
	Name   string        `bson:"name"`
	Record *record       `bson:"record,omitempty"`
	At     time.Time     `bson:"at,omitempty"`
}

// renamed is current after bson:"ssn" became bson:"social".
type renamed struct {
	Record struct {
		SSN string `bson:"social"`
	} `bson:"record"`
	At time.Time `bson:"at"`
}

// retyped stores at as an int64.
type retyped struct {
	Record record `bson:"record"`
	At     int64  `bson:"at"`
}

// inlined stores the same paths through an inline struct.
type inlined struct {
	Base `bson:",inline"`
}

type Base struct {
	Record record    `bson:"record"`
	At     time.Time `bson:"at"`
}

// custom writes its own document, whatever its Go fields say.
type custom struct {
	Record record    `bson:"record"`
	At     time.Time `bson:"at"`
}

func (custom) MarshalBSON() ([]byte, error) {
	return bson.Marshal(bson.D{{Key: "blob", Value: "x"}})
}

var driftSpec = specOf("patients", equalityField("record.ssn", schema.String), schema.Field{Path: "record.billing", BSONType: schema.Object}, rangeField("at", schema.Date))

func TestDocumentTypeMustStoreEveryEncryptedPath(t *testing.T) {
	for _, ok := range []any{(*current)(nil), (*inlined)(nil)} {
		if err := checkDocumentType(reflectType(ok), driftSpec); err != nil {
			t.Errorf("%T: %v", ok, err)
		}
	}
	tests := []struct {
		doc  any
		want string
	}{
		{(*renamed)(nil), "renamed no longer stores record.ssn"},
		{(*retyped)(nil), "stores at as BSON 64-bit integer, and the collection encrypts it as date"},
		{(*custom)(nil), "custom no longer stores record.ssn"},
	}
	for _, tt := range tests {
		err := checkDocumentType(reflectType(tt.doc), driftSpec)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "run go generate") {
			t.Errorf("%T: %v, want an error saying %q and to regenerate", tt.doc, err, tt.want)
		}
	}
}

// TestStaleModelSendsNothing: a repository over a type that no longer
// stores an encrypted path refuses every call, in both modes, before
// anything reaches the server.
func TestStaleModelSendsNothing(t *testing.T) {
	ctx := context.Background()
	d := offline.New()
	client := d.TestClient(t)
	coll := client.Database("db").Collection("patients")
	for _, opts := range [][]RepositoryOption{nil, {WithExplicitEncryption(&exprRecorder{})}} {
		s := NewStore(tok, coll, driftSpec, (*renamed)(nil), opts...)
		doc := &renamed{}
		doc.Record.SSN = "987-65-4320"
		if _, err := s.InsertOne(ctx, doc); err == nil || !strings.Contains(err.Error(), "run go generate") {
			t.Errorf("InsertOne with a stale model = %v", err)
		}
		if _, err := s.Count(ctx, All()); err == nil {
			t.Error("Count with a stale model succeeded")
		}
	}
	if n := len(d.Commands("")); n != 0 {
		t.Errorf("%d commands reached the deployment", n)
	}
}
