package migrate

import (
	"context"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestVerifyInMemory(t *testing.T) {
	source := patientSource(t, 40)
	m, target, _, _, _ := patientMigration(source)
	m.BatchSize = 7
	if _, err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	report, err := m.Verify(context.Background(), 0)
	if err != nil || !report.OK() || report.Checked != 40 || report.SourceCount != 40 || report.TargetCount != 40 {
		t.Fatalf("Verify after a clean copy = %+v, %v; want OK with 40 checked", report, err)
	}
	// The server's __safeContent__ is not a difference.
	docs := source.snapshot()
	withTags := append(bson.D{}, patientDoc(t, 0)...)
	withTags = append(withTags, bson.E{Key: "__safeContent__", Value: bson.A{bson.Binary{Data: []byte("tag")}}})
	target.put(mustRaw(t, withTags))

	// Now break three documents: a changed value, one left encrypted, one gone.
	target.put(mustRaw(t, set(patientDoc(t, 3), []string{"patient_record", "ssn"}, "000-00-0000")))
	target.put(mustRaw(t, set(patientDoc(t, 4), []string{"patient_record", "billing"}, bson.Binary{Subtype: 6, Data: []byte{9}})))
	target.mu.Lock()
	delete(target.docs, idKey(docs[5].Lookup("_id")))
	target.mu.Unlock()

	report, err = m.Verify(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		idText(docs[3].Lookup("_id")) + ": patient_record.ssn: the values differ (BSON string)",
		idText(docs[4].Lookup("_id")) + ": patient_record.billing: still encrypted in the target",
		idText(docs[5].Lookup("_id")) + ": not in the target",
	}
	if report.OK() || report.Missing != 1 || report.DifferenceCount != 3 || report.TargetCount != 39 {
		t.Errorf("Verify after damage = %+v; want 1 missing, 3 differences, 39 in the target", report)
	}
	for i, w := range want {
		if i >= len(report.Differences) || !strings.Contains(report.Differences[i].String(), w) {
			t.Errorf("difference %d = %v, want %q", i, report.Differences, w)
		}
	}
	for _, d := range report.Differences {
		if strings.Contains(d.String(), ssnOf(3)) || strings.Contains(d.String(), "000-00-0000") {
			t.Errorf("a difference shows a value: %v", d)
		}
	}

	// A sample reads only that many.
	report, err = m.Verify(context.Background(), 5)
	if err != nil || report.Checked != 5 {
		t.Errorf("Verify(5) = %+v, %v; want 5 checked", report, err)
	}
	if _, err := m.Verify(context.Background(), -1); err == nil {
		t.Error("Verify(-1) should be refused")
	}
}

// TestVerifyReportsUnfitDocumentsInMemory: a source document that could
// not be copied is a difference, not a silent skip.
func TestVerifyReportsUnfitDocumentsInMemory(t *testing.T) {
	source := newMemSource(mustRaw(t, patientDoc(t, 0)), mustRaw(t, set(patientDoc(t, 1), []string{"patient_record", "ssn"}, nil)))
	m, target, _, _, _ := patientMigration(source)
	target.put(mustRaw(t, patientDoc(t, 0)))
	report, err := m.Verify(context.Background(), 0)
	if err != nil || report.OK() || report.Unfit != 1 || len(report.Differences) != 1 || !strings.Contains(report.Differences[0].What, "does not fit the model") {
		t.Errorf("Verify with an unfit source document = %+v, %v", report, err)
	}
}
