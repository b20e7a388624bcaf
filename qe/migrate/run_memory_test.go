package migrate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/mongocrypt"

	"github.com/qegen/qegen/example"
)

func TestRunCopiesEveryDocumentInMemory(t *testing.T) {
	source := patientSource(t, 250)
	before := source.snapshot()
	m, target, repo, cps, _ := patientMigration(source)
	report, err := m.Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if repo.inserts != 250 || target.len() != 250 {
		t.Fatalf("%d inserts, %d documents in the target; want 250 of each, one insert per document", repo.inserts, target.len())
	}
	for _, doc := range before {
		got, _ := target.Find(context.Background(), []bson.RawValue{doc.Lookup("_id")})
		if len(got) != 1 || !bytes.Equal(got[0], doc) {
			t.Fatalf("document %s is stored as %v, want it as the source has it", doc.Lookup("_id"), got)
		}
	}
	cp := cps.saved["db.source -> db.target"]
	if !cp.Done || cp.Copied != 250 || cp.Skipped != 0 || !cp.After.Equal(before[249].Lookup("_id")) {
		t.Errorf("checkpoint %+v, want done with 250 copied up to the last _id", cp)
	}
	// One checkpoint per batch of 100, and one at the end.
	if cps.saves != 4 {
		t.Errorf("%d checkpoints saved, want 4 (after each of 3 batches, and at the end)", cps.saves)
	}
	if report.SourceCount != 250 || report.TargetCount != 250 || !report.Checkpoint.After.Equal(cp.After) || report.Checkpoint.Copied != cp.Copied || len(report.Changes) != 0 {
		t.Errorf("report %+v", report)
	}
	after := source.snapshot()
	for i := range before {
		if !bytes.Equal(before[i], after[i]) {
			t.Fatal("the source changed")
		}
	}
}

// TestRunResumesAfterInterruptionInMemory interrupts a run in the middle
// of a batch, as Ctrl-C does, and resumes it.
func TestRunResumesAfterInterruptionInMemory(t *testing.T) {
	source := patientSource(t, 250)
	m, target, repo, cps, _ := patientMigration(source)
	ctx, cancel := context.WithCancel(context.Background())
	repo.before = func(n int) error {
		if n == 130 {
			cancel()
			return context.Canceled // the driver gives up on the insert
		}
		return nil
	}
	_, err := m.Run(ctx)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "130 copied") {
		t.Fatalf("interrupted Run = %v, want context.Canceled and where it stopped", err)
	}
	cp := cps.saved[m.name()]
	if cp.Done || cp.Copied != 130 || !cp.After.Equal(bson.RawValue{Type: bson.TypeObjectID, Value: oidBytes(129)}) {
		t.Fatalf("checkpoint after the interruption %v, want 130 copied up to the 130th _id", cp)
	}
	repo.before = nil
	report, err := m.Run(context.Background())
	if err != nil {
		t.Fatalf("resumed Run: %v", err)
	}
	if target.len() != 250 || repo.inserts != 250 || repo.dups != 0 {
		t.Errorf("after resuming: %d documents, %d inserts, %d duplicates; want 250, 250, 0", target.len(), repo.inserts, repo.dups)
	}
	if c := report.Checkpoint; !c.Done || c.Copied != 250 || c.Skipped != 0 {
		t.Errorf("checkpoint after resuming %v", c)
	}
}

// TestRunResumesAfterLostCheckpointInMemory: a process that dies after
// inserting and before saving its checkpoint leaves documents the next
// run finds in the target; it skips them rather than copy them twice.
func TestRunResumesAfterLostCheckpointInMemory(t *testing.T) {
	source := patientSource(t, 250)
	m, target, repo, cps, _ := patientMigration(source)
	cps.failAfter = 1 // the save after the second batch, and every one after, fails
	if _, err := m.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "saving checkpoint") {
		t.Fatalf("Run with a failing checkpoint store = %v", err)
	}
	if target.len() != 200 || cps.saved[m.name()].Copied != 100 {
		t.Fatalf("target has %d, checkpoint says %d copied; want 200 and 100", target.len(), cps.saved[m.name()].Copied)
	}
	cps.failAfter = 0
	report, err := m.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if target.len() != 250 || repo.dups != 0 || repo.inserts != 250 {
		t.Errorf("%d documents, %d duplicate inserts tried, %d inserts; want 250, 0, 250", target.len(), repo.dups, repo.inserts)
	}
	if c := report.Checkpoint; c.Copied != 150 || c.Skipped != 100 || !c.Done {
		t.Errorf("checkpoint %v, want 150 copied and 100 found in the target", c)
	}
}

func TestRunSkipsDocumentsAlreadyInTargetInMemory(t *testing.T) {
	source := patientSource(t, 30)
	m, target, repo, _, _ := patientMigration(source)
	for _, doc := range source.snapshot()[:10] {
		target.put(doc)
	}
	report, err := m.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if repo.inserts != 20 || repo.dups != 0 || report.Checkpoint.Skipped != 10 || report.Checkpoint.Copied != 20 {
		t.Errorf("%d inserts, %d duplicates tried, checkpoint %v; want 20 inserts and 10 skipped without trying", repo.inserts, repo.dups, report.Checkpoint)
	}
}

// TestRunDuplicateKeyInMemory: a document that appears in the target
// between the lookup and the insert is skipped; a duplicate key error
// on another index is an error.
func TestRunDuplicateKeyInMemory(t *testing.T) {
	source := patientSource(t, 3)
	m, target, repo, _, _ := patientMigration(source)
	first := source.snapshot()[0]
	target.put(first)
	target.hide = map[string]bool{idKey(first.Lookup("_id")): true}
	report, err := m.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if repo.dups != 1 || report.Checkpoint.Skipped != 1 || report.Checkpoint.Copied != 2 {
		t.Errorf("%d duplicates, checkpoint %v; want the raced document skipped", repo.dups, report.Checkpoint)
	}

	m, _, repo, _, _ = patientMigration(patientSource(t, 3))
	repo.before = func(int) error { return dupKey }
	_, err = m.Run(context.Background())
	var insertErr *InsertError
	if !errors.As(err, &insertErr) || insertErr.Codes[0] != 11000 || insertErr.ID != idText(bson.RawValue{Type: bson.TypeObjectID, Value: oidBytes(0)}) {
		t.Errorf("a duplicate key on another index = %v, want an *InsertError with code 11000 and the _id", err)
	}
}

func TestRunRefusesTargetThatDiffersInMemory(t *testing.T) {
	m, target, repo, cps, _ := patientMigration(patientSource(t, 5))
	other := example.PatientSpec().EncryptedFields
	other.Fields[0].Queries[0].Contention = 4
	target.created = &other
	_, err := m.Run(context.Background())
	var te *TargetError
	if !errors.As(err, &te) || te.Missing || !strings.Contains(err.Error(), "patient_record.ssn: queries[0].contention is 8 in the model, 4 in the collection") {
		t.Errorf("Run into a target with other encryptedFields = %v, want a *TargetError listing the difference", err)
	}
	target.created = nil
	if _, err := m.Run(context.Background()); !errors.As(err, &te) || !te.Missing || !strings.Contains(err.Error(), "create it first") {
		t.Errorf("Run into a missing target = %v", err)
	}
	if repo.inserts != 0 || cps.saves != 0 {
		t.Errorf("a refused run wrote %d documents and %d checkpoints", repo.inserts, cps.saves)
	}
}

func TestRunStopsBeforeUnfitDocumentInMemory(t *testing.T) {
	docs := make([]bson.Raw, 8)
	for i := range docs {
		d := patientDoc(t, i)
		if i == 5 {
			d = set(d, []string{"patient_record", "ssn"}, nil)
		}
		docs[i] = mustRaw(t, d)
	}
	source := newMemSource(docs...)
	m, target, _, cps, _ := patientMigration(source)
	m.BatchSize = 3
	_, err := m.Run(context.Background())
	var unfit *UnfitError
	if !errors.As(err, &unfit) || unfit.ID != idText(docs[5].Lookup("_id")) || len(unfit.Problems) != 1 || unfit.Problems[0].Path != "patient_record.ssn" ||
		!strings.Contains(err.Error(), "null cannot be encrypted") {
		t.Fatalf("Run over a null SSN = %v, want an *UnfitError naming the _id and the path", err)
	}
	if cp := cps.saved[m.name()]; target.len() != 5 || !cp.After.Equal(docs[4].Lookup("_id")) {
		t.Fatalf("%d copied, checkpoint at %v; want the 5 before it, and the checkpoint there", target.len(), cp.After)
	}
	// Fixed at the source, the next run goes on from there.
	source.docs[5] = mustRaw(t, patientDoc(t, 5))
	if report, err := m.Run(context.Background()); err != nil || target.len() != 8 || !report.Checkpoint.Done {
		t.Errorf("after the fix: %v, %d documents", err, target.len())
	}
}

// TestRunNoticesDocumentsBehindTheScanInMemory: a document added below
// the position read is not copied, and the count says so.
func TestRunNoticesDocumentsBehindTheScanInMemory(t *testing.T) {
	source := patientSource(t, 20)
	m, target, _, _, _ := patientMigration(source)
	m.BatchSize = 5
	added := false
	m.Progress = func(p Progress) {
		if p.Done == 10 && !added {
			added = true
			low := bson.ObjectID{1} // below every _id read so far
			source.add(mustRaw(t, set(patientDoc(t, 99), []string{"_id"}, low)))
		}
	}
	_, err := m.Run(context.Background())
	var incomplete *IncompleteError
	if !errors.As(err, &incomplete) || incomplete.Seen != 20 || incomplete.Count != 21 {
		t.Fatalf("Run with a document added behind it = %v, want an *IncompleteError (20 done, 21 in the source)", err)
	}
	m.Restart = true
	report, err := m.Run(context.Background())
	if err != nil || target.len() != 21 || report.Checkpoint.Copied != 1 || report.Checkpoint.Skipped != 20 {
		t.Errorf("Run with Restart = %v, %d documents, checkpoint %v; want the one document copied and 20 skipped", err, target.len(), report.Checkpoint)
	}
}

// TestRunHidesLibmongocryptMessagesInMemory: libmongocrypt's messages
// quote the value they refuse; what Run returns must not.
func TestRunHidesLibmongocryptMessagesInMemory(t *testing.T) {
	const secret = "915148800000"
	for name, refusal := range map[string]error{
		"automatic": mongo.MongocryptError{Code: 1, Message: "Value must be greater than or equal to the minimum value, value: " + secret},
		"explicit":  fmt.Errorf("qe: encrypting at: %w", mongocrypt.Error{Code: 1, Message: "value: " + secret}),
		"validation": mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 121, Message: "Document failed validation",
			Details: bson.Raw(mustRaw(t, bson.D{{Key: "consideredValue", Value: secret}}))}}},
	} {
		m, _, repo, _, _ := patientMigration(patientSource(t, 2))
		repo.before = func(int) error { return refusal }
		_, err := m.Run(context.Background())
		var ie *InsertError
		if !errors.As(err, &ie) || strings.Contains(err.Error(), secret) {
			t.Errorf("%s: Run = %v, want an *InsertError without the value", name, err)
		}
		if name != "validation" && (!strings.Contains(err.Error(), "libmongocrypt refused") || ie.Codes[0] != 1) {
			t.Errorf("%s: %v, want libmongocrypt's refusal and its code", name, err)
		}
	}
}

func TestRunPacesInsertsInMemory(t *testing.T) {
	m, _, _, _, clock := patientMigration(patientSource(t, 21))
	m.Rate = 10
	if _, err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// 21 inserts at 10 a second: 20 intervals of 100 ms.
	if clock.slept != 2*time.Second {
		t.Errorf("slept %v for 21 inserts at 10/s, want 2s", clock.slept)
	}
	m, _, _, _, clock = patientMigration(patientSource(t, 21))
	m.Rate = 0 // the default
	if _, err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := 20 * time.Second / DefaultRate; clock.slept != want {
		t.Errorf("slept %v at the default rate, want %v", clock.slept, want)
	}
}

func TestCheckpointOfAnotherPairInMemory(t *testing.T) {
	m, _, repo, cps, _ := patientMigration(patientSource(t, 3))
	cps.saved[m.name()] = Checkpoint{Name: m.name(), Source: "db.elsewhere", Target: "db.target"}
	if _, err := m.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "was made for db.elsewhere -> db.target") || repo.inserts != 0 {
		t.Errorf("Run with another pair's checkpoint = %v, %d inserts", err, repo.inserts)
	}
}

func TestValidateInMemory(t *testing.T) {
	m := &Migration[example.Patient]{BatchSize: -1, Rate: -1}
	_, err := m.Run(context.Background())
	for _, want := range []string{"no Source", "no Target", "no Repository", "no Checkpoints", "no Spec", "BatchSize -1", "Rate -1"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Run with nothing set = %v, want it to say %q", err, want)
		}
	}
	if _, err := m.DryRun(context.Background()); err == nil || strings.Contains(err.Error(), "no Checkpoints") {
		t.Errorf("DryRun needs no checkpoints: %v", err)
	}

}

func oidBytes(i int) []byte { id := oid(i); return id[:] }
