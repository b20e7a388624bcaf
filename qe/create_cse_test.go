package qe_test

import (
	"context"
	"strings"
	"testing"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/internal/qetest"
	"github.com/qegen/qegen/qe"
)

// TestCreateCollectionGivesUpOnNamespaceExists: when the server keeps
// answering NamespaceExists (48) and the collection never shows up,
// CreateCollection compares once more and then fails, rather than retry
// forever. With the real libmongocrypt; no server (see package qetest).
func TestCreateCollectionGivesUpOnNamespaceExists(t *testing.T) {
	e := qetest.New(t, 8, 0, 0)
	e.Deployment.Fail("create", 48, 100)
	_, err := qe.CreateCollection(context.Background(), e.Plain.Database(qetest.Database), example.PatientSpec(), e.Keys)
	if err == nil || !strings.Contains(err.Error(), "creating encrypted collection medical_records.patients") {
		t.Errorf("CreateCollection = %v, want the server's error after one retry", err)
	}
	var creates int
	for _, c := range e.Deployment.Commands("create") {
		if c.Namespace == "medical_records.enxcol_.patients.esc" {
			creates++
		}
	}
	if creates != 2 {
		t.Errorf("the collection was created %d times, want 2 (once, then once more after NamespaceExists)", creates)
	}
}

// TestCreateCollectionShards: on a sharded cluster, a collection with a
// shard key is sharded by it once it is created, and its metadata
// collections never are; on a replica set nothing is sharded. With the
// real libmongocrypt; no server (see package qetest).
func TestCreateCollectionShards(t *testing.T) {
	ctx := context.Background()
	spec := example.PatientSpec()
	spec.ShardKey = []qe.ShardKeyField{{Path: "patient_id", Hashed: true}}
	for _, mongos := range []bool{true, false} {
		e := qetest.New(t, 8, 0, 0)
		e.Deployment.Mongos = mongos
		if _, err := qe.CreateCollection(ctx, e.Plain.Database(qetest.Database), spec, e.Keys); err != nil {
			t.Fatal(err)
		}
		sharded := e.Deployment.Commands("shardCollection")
		if !mongos {
			if len(sharded) != 0 {
				t.Errorf("a replica set got %d shardCollection commands", len(sharded))
			}
			continue
		}
		if len(sharded) != 1 {
			t.Fatalf("%d shardCollection commands, want 1", len(sharded))
		}
		cmd := sharded[0].Body
		if ns := cmd.Lookup("shardCollection").StringValue(); ns != "medical_records.patients" || cmd.Lookup("key", "patient_id").StringValue() != "hashed" {
			t.Errorf("shardCollection %s, want medical_records.patients by patient_id hashed", cmd)
		}
	}
	spec.ShardKey = []qe.ShardKeyField{{Path: "patient_record.ssn"}}
	e := qetest.New(t, 8, 0, 0)
	e.Deployment.Mongos = true
	if _, err := qe.CreateCollection(ctx, e.Plain.Database(qetest.Database), spec, e.Keys); err == nil || !strings.Contains(err.Error(), "encrypted patient_record.ssn") {
		t.Errorf("a shard key on an encrypted field = %v, want a refusal", err)
	}
}

// TestDropCollectionDropsMetadata: dropping drops the metadata
// collections with the collection.
func TestDropCollectionDropsMetadata(t *testing.T) {
	e := qetest.New(t, 8, 0, 0)
	ctx := context.Background()
	db := e.Plain.Database(qetest.Database)
	e.Create(t, example.PatientSpec())
	if err := qe.DropCollection(ctx, db, example.PatientSpec()); err != nil {
		t.Fatal(err)
	}
	var dropped []string
	for _, c := range e.Deployment.Commands("drop") {
		dropped = append(dropped, c.Namespace)
	}
	want := "medical_records.enxcol_.patients.esc medical_records.enxcol_.patients.ecoc medical_records.patients"
	if strings.Join(dropped, " ") != want {
		t.Errorf("dropped %q, want %q", dropped, want)
	}
}
