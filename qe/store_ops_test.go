package qe

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"

	"github.com/qegen/qegen/internal/offline"
)

// person is a document of updateSpec's collection.
type person struct {
	ID    int32    `bson:"_id"`
	SSN   string   `bson:"ssn"`
	Card  bson.D   `bson:"card"`
	Name  string   `bson:"name"`
	Age   int32    `bson:"age"`
	Tags  []string `bson:"tags"`
	Alive bool     `bson:"alive"`
}

// storeOnOffline is a store in automatic mode over an in-memory
// deployment: these tests check what the store sends, not what a server
// or libmongocrypt accepts (the cse tier and the server tests do).
func storeOnOffline(t *testing.T) (*Store, *offline.Deployment, *mongo.Client) {
	t.Helper()
	d := offline.New(8, 0, 0)
	client := d.TestClient(t)
	s := NewStore(tok, client.Database("db").Collection("c"), updateSpec, (*person)(nil))
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s, d, client
}

// lastCommand is the last command named name.
func lastCommand(t *testing.T, d *offline.Deployment, name string) bson.Raw {
	t.Helper()
	cmds := d.Commands(name)
	if len(cmds) == 0 {
		t.Fatalf("no %s command was sent", name)
	}
	return cmds[len(cmds)-1].Body
}

func TestStoreOperations(t *testing.T) {
	ctx := context.Background()
	s, d, _ := storeOnOffline(t)
	f := newUpdateFields(t)
	for i, name := range []string{"Ann", "Bob", "Cy"} {
		if _, err := s.InsertOne(ctx, &person{ID: int32(i), Name: name, SSN: "x", Card: bson.D{}, Tags: []string{"t"}}); err != nil {
			t.Fatal(err)
		}
	}

	var got []person
	if err := s.Find(ctx, f.name.Gte("B"), &got, Sort(f.name.Desc(), f.age.Asc()), Limit(5), Skip(1), Include(f.name, f.ssn)); err != nil {
		t.Fatal(err)
	}
	find := lastCommand(t, d, "find")
	for key, want := range map[string]string{"sort": `{"name": {"$numberInt":"-1"},"age": {"$numberInt":"1"}}`, "limit": `{"$numberLong":"5"}`, "skip": `{"$numberLong":"1"}`, "projection": `{"name": {"$numberInt":"1"},"ssn": {"$numberInt":"1"}}`} {
		if v := find.Lookup(key); strings.ReplaceAll(v.String(), " ", "") != strings.ReplaceAll(want, " ", "") {
			t.Errorf("find %s = %s, want %s", key, v, want)
		}
	}
	if _, err := driverFind("c", []FindOption{Include(f.name), Exclude(f.age)}); err == nil {
		t.Error("a find that includes and excludes fields was accepted")
	}

	var streamed []string
	var p *person
	s.Stream(ctx, All(), nil, &p, func(err error) bool {
		if err != nil {
			t.Fatal(err)
		}
		streamed = append(streamed, p.Name)
		return len(streamed) < 2 // stop early: the cursor is closed
	})
	if strings.Join(streamed, ",") != "Ann,Bob" {
		t.Errorf("streamed %v, want the first two", streamed)
	}

	if ok, err := s.Exists(ctx, f.name.Eq("Bob")); err != nil || !ok {
		t.Errorf("Exists(Bob) = %v, %v", ok, err)
	}
	if ok, err := s.Exists(ctx, f.name.Eq("Zed")); err != nil || ok {
		t.Errorf("Exists(Zed) = %v, %v", ok, err)
	}

	if _, err := s.UpdateOne(ctx, f.name.Eq("Ann"), Updates(f.age.Inc(1), f.tags.Push("new")), Upsert()); err != nil {
		t.Fatal(err)
	}
	up := lastCommand(t, d, "update").Lookup("updates").Array().Index(0).Document()
	if up.Lookup("upsert").Boolean() != true || up.Lookup("multi").Type == bson.TypeBoolean && up.Lookup("multi").Boolean() {
		t.Errorf("update statement %s: want upsert and never multi", up)
	}
	if _, err := s.ReplaceOne(ctx, f.name.Eq("Bob"), &person{ID: 1, Name: "Bob", Card: bson.D{}, Alive: true}); err != nil {
		t.Fatal(err)
	}
	rep := lastCommand(t, d, "update").Lookup("updates").Array().Index(0).Document()
	if q, u := rep.Lookup("q").String(), rep.Lookup("u").Document(); !strings.Contains(q, `"Bob"`) || u.Lookup("alive").Type != bson.TypeBoolean || !u.Lookup("alive").Boolean() || u.Lookup("$set").Type != 0 {
		t.Errorf("replace statement %s: want the filter on Bob and the whole new document", rep)
	}

	var before person
	if err := s.FindOneAndUpdate(ctx, f.name.Eq("Bob"), f.name.Set("Robert"), &before); err != nil || before.Name != "Bob" {
		t.Errorf("FindOneAndUpdate returned %+v, %v; want Bob as he was", before, err)
	}
	fam := lastCommand(t, d, "findAndModify")
	if v := fam.Lookup("new"); v.Type == bson.TypeBoolean && v.Boolean() || fam.Lookup("fields").Type != 0 {
		t.Errorf("findAndModify %s: QE refuses new:true and fields", fam)
	}
	if err := s.FindOneAndReplace(ctx, f.name.Eq("Cy"), &person{ID: 2, Name: "Cyrus", Card: bson.D{}}, &before); err != nil || before.Name != "Cy" {
		t.Errorf("FindOneAndReplace returned %+v, %v", before, err)
	}
	if err := s.FindOneAndDelete(ctx, f.name.Eq("Ann"), &before); err != nil || before.Name != "Ann" {
		t.Errorf("FindOneAndDelete returned %+v, %v", before, err)
	}
	if res, err := s.DeleteMany(ctx, All()); err != nil || res == nil {
		t.Errorf("DeleteMany = %+v, %v", res, err)
	}
	if limit := lastCommand(t, d, "delete").Lookup("deletes").Array().Index(0).Document().Lookup("limit"); limit.AsInt64() != 0 {
		t.Errorf("DeleteMany sent limit %s, want 0 (one statement for every match)", limit)
	}
}

// TestStoreReadsFromThePrimary: whatever the collection's read preference,
// the store's reads go to the primary; QE does not support secondaries.
func TestStoreReadsFromThePrimary(t *testing.T) {
	ctx := context.Background()
	d := offline.New(8, 0, 0)
	client := d.TestClient(t)
	secondary := client.Database("db").Collection("c", options.Collection().SetReadPreference(readpref.Secondary()))
	if _, err := secondary.Find(ctx, bson.D{}); err != nil {
		t.Fatal(err)
	}
	if rp := lastCommand(t, d, "find").Lookup("$readPreference", "mode"); rp.StringValue() != "secondary" {
		t.Fatalf("the driver did not say secondary (%s): this test cannot tell", rp)
	}
	var got []person
	if err := NewStore(tok, secondary, updateSpec, (*person)(nil)).Find(ctx, All(), &got); err != nil {
		t.Fatal(err)
	}
	if rp := lastCommand(t, d, "find").Lookup("$readPreference", "mode"); rp.Type != 0 && rp.StringValue() != "primary" {
		t.Errorf("the store read with $readPreference %s", rp)
	}
}

// TestStoreInTransaction: repository calls take the session from the
// context, so they run inside session.WithTransaction.
func TestStoreInTransaction(t *testing.T) {
	ctx := context.Background()
	s, d, client := storeOnOffline(t)
	f := newUpdateFields(t)
	session, err := client.StartSession()
	if err != nil {
		t.Fatal(err)
	}
	defer session.EndSession(ctx)
	_, err = session.WithTransaction(ctx, func(tx context.Context) (any, error) {
		if _, err := s.InsertOne(tx, &person{ID: 9, Name: "Tx", Card: bson.D{}}); err != nil {
			return nil, err
		}
		return s.UpdateOne(tx, f.name.Eq("Tx"), f.age.Inc(1))
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"insert", "update"} {
		cmd := lastCommand(t, d, name)
		if cmd.Lookup("txnNumber").Type == 0 || cmd.Lookup("autocommit").Type != bson.TypeBoolean {
			t.Errorf("%s ran outside the transaction: %s", name, cmd)
		}
	}
	if len(d.Commands("commitTransaction")) != 1 {
		t.Error("the transaction was not committed")
	}
}

// TestStoreWithholdsUndecodableEncryptedValues: a value read back that
// does not fit the model quotes itself in the driver's message ("31337
// overflows ..." or the string it could not take); for an encrypted path,
// read back decrypted, the store keeps the path and drops the message.
func TestStoreWithholdsUndecodableEncryptedValues(t *testing.T) {
	ctx := context.Background()
	s, d, _ := storeOnOffline(t)
	doc := func(id int32, key string) bson.Raw {
		raw, err := bson.Marshal(bson.D{{Key: "_id", Value: id}, {Key: key, Value: bson.D{{Key: "secret", Value: "31337"}}}})
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	d.Store("db.c", doc(1, "ssn"), doc(2, "name"))

	id := fieldOf[*OrderedField[int32]](t, updateSpec, "_id")
	var p *person
	err := s.FindOne(ctx, id.Eq(1), &p)
	var w *WithheldError
	if !errors.As(err, &w) || w.Path != "ssn" || strings.Contains(fmt.Sprintf("%+v", err), "31337") {
		t.Errorf("decoding encrypted ssn = %v, want a *WithheldError at ssn without the value", err)
	}
	err = s.FindOne(ctx, id.Eq(2), &p)
	if errors.As(err, &w) || !strings.Contains(fmt.Sprint(err), "name") {
		t.Errorf("decoding plain name = %v, want the driver's message, which names the field", err)
	}
	var all []person
	if err := s.Find(ctx, All(), &all); !errors.As(err, &w) {
		t.Errorf("Find over both = %v, want the encrypted one's error withheld", err)
	}
}

// TestCursorFailingMidway: when the cursor fails after some documents,
// Stream reports the failure without the last document again, and Find
// returns no partial result.
func TestCursorFailingMidway(t *testing.T) {
	ctx := context.Background()
	s, d, _ := storeOnOffline(t)
	for i, name := range []string{"Ann", "Bob"} {
		if _, err := s.InsertOne(ctx, &person{ID: int32(i), Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	d.FirstBatch = 1
	d.Fail("getMore", 6, 2)
	var p *person
	var got []string
	s.Stream(ctx, All(), nil, &p, func(err error) bool {
		switch {
		case err == nil && p != nil:
			got = append(got, p.Name)
		case err != nil && p == nil:
			got = append(got, "error")
		default:
			got = append(got, fmt.Sprintf("doc %v with error %v", p, err))
		}
		return true
	})
	if strings.Join(got, ",") != "Ann,error" {
		t.Errorf("streamed %v, want Ann then the error alone", got)
	}
	var all []person
	if err := s.Find(ctx, All(), &all); err == nil || all != nil {
		t.Errorf("Find = %v, %v; want the error and nothing else", all, err)
	}
}

// TestImplicitID: a model that declares no _id is found again by the
// ObjectID the driver assigned on insert, through the filter field
// generated for it (a *OrderedObjectID at _id).
func TestImplicitID(t *testing.T) {
	ctx := context.Background()
	client := offline.New(8, 0, 0).TestClient(t)
	type ticket struct {
		SSN  string `bson:"ssn"`
		Card bson.D `bson:"card"`
		Name string `bson:"name"`
	}
	s := NewStore(tok, client.Database("db").Collection("c"), updateSpec, (*ticket)(nil))
	var ids []bson.ObjectID
	for _, name := range []string{"Ann", "Bob"} {
		res, err := s.InsertOne(ctx, &ticket{SSN: "x", Card: bson.D{}, Name: name})
		if err != nil {
			t.Fatal(err)
		}
		id, ok := res.InsertedID.(bson.ObjectID)
		if !ok {
			t.Fatalf("InsertedID = %T, want the bson.ObjectID the driver assigns", res.InsertedID)
		}
		ids = append(ids, id)
	}
	id := fieldOf[*OrderedObjectID](t, updateSpec, "_id")
	var got *ticket
	if err := s.FindOne(ctx, id.Eq(ids[1]), &got); err != nil || got.Name != "Bob" {
		t.Errorf("FindOne(_id of Bob) = %+v, %v", got, err)
	}
}
