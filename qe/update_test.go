package qe

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/schema"
)

// updateFields are fields of each update-relevant kind on collection "c".
type updateFields struct {
	ssn   *EqualityField[string]
	card  *EncryptedField[bson.D]
	name  *StringField
	age   *NumberField[int32]
	tags  *ArrayField[string]
	since *OrderedField[bson.DateTime]
	alive *PlainField[bool]
}

var updateSpec = specOf("c", equalityField("ssn", schema.String), schema.Field{Path: "card", BSONType: schema.Object})

func newUpdateFields(t *testing.T) updateFields {
	return updateFields{
		ssn: fieldOf[*EqualityField[string]](t, updateSpec, "ssn"), card: fieldOf[*EncryptedField[bson.D]](t, updateSpec, "card"),
		name: fieldOf[*StringField](t, updateSpec, "name"), age: fieldOf[*NumberField[int32]](t, updateSpec, "age"),
		tags: fieldOf[*ArrayField[string]](t, updateSpec, "tags"), since: fieldOf[*OrderedField[bson.DateTime]](t, updateSpec, "since"),
		alive: fieldOf[*PlainField[bool]](t, updateSpec, "alive"),
	}
}

func renderJSON(t *testing.T, d bson.D) string {
	t.Helper()
	out, err := bson.MarshalExtJSON(d, false, false)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestUpdateDocuments(t *testing.T) {
	f := newUpdateFields(t)
	tests := []struct {
		name   string
		update Update
		want   string
	}{
		{"set", f.name.Set("Jane"), `{"$set":{"name":"Jane"}}`},
		{"unset", f.ssn.Unset(), `{"$unset":{"ssn":""}}`},
		{"grouped", Updates(f.name.Set("Jane"), f.age.Inc(1), f.alive.Set(true), f.card.Unset()), `{"$set":{"name":"Jane","alive":true},"$inc":{"age":1},"$unset":{"card":""}}`},
		{"arrays", Updates(f.tags.Push("a", "b")), `{"$push":{"tags":{"$each":["a","b"]}}}`},
		{"add to set", f.tags.AddToSet("a"), `{"$addToSet":{"tags":{"$each":["a"]}}}`},
		{"pull", f.tags.Pull("a"), `{"$pull":{"tags":"a"}}`},
		{"encrypted set", f.ssn.Set("987-65-4320"), `{"$set":{"ssn":"987-65-4320"}}`},
	}
	for _, tt := range tests {
		if err := tt.update.check("c"); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		d, err := tt.update.render(plainValue)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := renderJSON(t, d); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	for want, u := range map[string]Update{
		"with no change":           {},
		"changes name twice":       Updates(f.name.Set("a"), f.name.Unset()),
		"was used on collection x": f.name.Set("a"),
	} {
		collection := "c"
		if strings.Contains(want, "collection x") {
			collection = "x"
		}
		if err := u.check(collection); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("check(%v) = %v, want %q", u, err, want)
		}
	}
}

// TestUpdateNeverMarshalsPlaintext: an update that sets an encrypted field
// does not marshal, and prints no value.
func TestUpdateNeverMarshalsPlaintext(t *testing.T) {
	f := newUpdateFields(t)
	u := Updates(f.name.Set("Jane"), f.ssn.Set("987-65-4320"))
	if _, err := bson.Marshal(u); !errors.Is(err, ErrPlaintextUpdate) {
		t.Errorf("bson.Marshal of an encrypted update = %v", err)
	}
	if s := u.String(); strings.Contains(s, "987") || strings.Contains(s, "Jane") || s != "{$set: {name: ?}, $set: {ssn: ?}}" {
		t.Errorf("String() = %s", s)
	}
	if _, err := bson.Marshal(f.name.Set("Jane")); err != nil {
		t.Errorf("an update of a plain field: %v", err)
	}
}

// TestExplicitUpdates: explicit mode encrypts every value set on an
// encrypted path and refuses what the server would not take.
func TestExplicitUpdates(t *testing.T) {
	f := newUpdateFields(t)
	x, err := NewExplicit(&exprRecorder{}, "db", updateSpec)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	out, err := x.Update(ctx, Updates(f.ssn.Set("987-65-4320"), f.card.Set(bson.D{{Key: "number", Value: "4111111111111111"}}), f.name.Set("Jane")))
	if err != nil {
		t.Fatal(err)
	}
	raw := mustMarshalD(t, out)
	if bytes.Contains(raw, []byte("987-65-4320")) || bytes.Contains(raw, []byte("4111")) || !bytes.Contains(raw, []byte("Jane")) || bytes.Count(raw, payload.Data) != 2 {
		t.Errorf("explicit update sends %s", bson.Raw(raw))
	}
	if _, err := x.Update(ctx, f.ssn.Unset()); err != nil {
		t.Errorf("unset of an encrypted field: %v", err)
	}
	// Descriptions the fill would refuse, made by hand: explicit mode
	// refuses them again, on its own.
	stale := &fieldRef{collection: "c", path: "ssn", kind: plainKind}
	inside := &fieldRef{collection: "c", path: "card.number", kind: plainKind}
	stale.self, inside.self = stale, inside // as newFieldRef would
	for want, u := range map[string]Update{
		"uses a field type for another kind than [equality]":                    update(opSet, stale, "987-65-4320"),
		"inside or above encrypted card":                                        update(opSet, inside, "4111"),
		"holds a BSON 32-bit integer, and the collection encrypts it as string": update(opSet, f.ssn.ref(), int32(5)),
	} {
		if out, err := x.Update(ctx, u); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Update(%v) = %v, %v; want an error saying %q", u, out, err, want)
		}
	}
}

func mustMarshalD(t *testing.T, d bson.D) []byte {
	t.Helper()
	raw, err := bson.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
