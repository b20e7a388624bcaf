package offline_test

import (
	"context"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/internal/offline"
)

// TestFindInIDOrder: what a migration asks of its source, in pages.
func TestFindInIDOrder(t *testing.T) {
	ctx := context.Background()
	d := offline.New()
	client := d.TestClient(t)
	coll := client.Database("db").Collection("c")
	for _, id := range []int64{5, 1, 4, 2, 3} {
		d.Store("db.c", mustMarshal(t, bson.D{{Key: "_id", Value: id}}))
	}
	page := func(filter bson.D, limit int64) []int64 {
		t.Helper()
		cursor, err := coll.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(limit))
		if err != nil {
			t.Fatal(err)
		}
		var docs []struct {
			ID int64 `bson:"_id"`
		}
		if err := cursor.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, doc := range docs {
			ids = append(ids, doc.ID)
		}
		return ids
	}
	if got := page(bson.D{}, 2); len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Errorf("first page %v, want [1 2]", got)
	}
	// int32 2 compares with long _ids as the server compares numbers.
	if got := page(bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: int32(2)}}}}, 2); len(got) != 2 || got[0] != 3 || got[1] != 4 {
		t.Errorf("second page %v, want [3 4]", got)
	}
	if got := page(bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: "4"}}}}, 0); len(got) != 0 {
		t.Errorf("$gt with a string matched numbers: %v", got)
	}
	if got := page(bson.D{{Key: "_id", Value: bson.D{{Key: "$lte", Value: 2.5}}}}, 0); len(got) != 2 {
		t.Errorf("$lte 2.5 = %v, want [1 2]", got)
	}
	d.Store("db.c", mustMarshal(t, bson.D{{Key: "_id", Value: "six"}}))
	if _, err := coll.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}})); err == nil || !strings.Contains(err.Error(), "cannot sort by _id") {
		t.Errorf("sorting _ids of two types = %v, want a refusal rather than a guess", err)
	}
}

// TestFindSortedByKeysThenSkipped: what a repository's Find with Sort,
// Skip and Limit asks.
func TestFindSortedByKeysThenSkipped(t *testing.T) {
	ctx := context.Background()
	d := offline.New()
	client := d.TestClient(t)
	for i, doc := range []bson.D{
		{{Key: "name", Value: "b"}, {Key: "age", Value: 2}},
		{{Key: "name", Value: "a"}, {Key: "age", Value: 9}},
		{{Key: "name", Value: "b"}, {Key: "age", Value: 1}},
		{{Key: "name", Value: "c"}},
	} {
		d.Store("db.c", mustMarshal(t, append(bson.D{{Key: "_id", Value: i}}, doc...)))
	}
	opts := options.Find().SetSort(bson.D{{Key: "name", Value: -1}, {Key: "age", Value: 1}}).SetSkip(1).SetLimit(2)
	cursor, err := client.Database("db").Collection("c").Find(ctx, bson.D{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var docs []struct {
		ID int `bson:"_id"`
	}
	if err := cursor.All(ctx, &docs); err != nil {
		t.Fatal(err)
	}
	// name descending, then age ascending: c, b/1, b/2, a; skip one, take two.
	if len(docs) != 2 || docs[0].ID != 2 || docs[1].ID != 0 {
		t.Errorf("got _ids %v, want [2 0]", docs)
	}
}

func TestReplaceUpsertAndUniqueID(t *testing.T) {
	ctx := context.Background()
	d := offline.New()
	client := d.TestClient(t)
	coll := client.Database("db").Collection("c")
	upsert := options.Replace().SetUpsert(true)
	if res, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: "m"}}, bson.D{{Key: "n", Value: 1}}, upsert); err != nil || res.UpsertedCount != 1 {
		t.Fatalf("first upsert = %+v, %v", res, err)
	}
	if res, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: "m"}}, bson.D{{Key: "n", Value: 2}}, upsert); err != nil || res.MatchedCount != 1 || res.UpsertedCount != 0 {
		t.Fatalf("second upsert = %+v, %v", res, err)
	}
	docs := d.Documents("db.c")
	if len(docs) != 1 || docs[0].Lookup("_id").StringValue() != "m" || docs[0].Lookup("n").Int32() != 2 {
		t.Errorf("stored %v, want one document {_id: m, n: 2}", docs)
	}
	// Update operators still change nothing.
	if _, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "m"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: 3}}}}); err != nil || d.Documents("db.c")[0].Lookup("n").Int32() != 2 {
		t.Errorf("$set changed the document, or failed: %v", err)
	}
	_, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "m"}})
	if !mongo.IsDuplicateKeyError(err) || len(d.Documents("db.c")) != 1 {
		t.Errorf("a second _id m = %v, want a duplicate key error and nothing stored", err)
	}
}
