package migrate

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/example"
)

// unfitPatients are source documents that do not fit the patients model,
// each with the path and the words the report must name.
func unfitPatients(t *testing.T) []struct {
	doc        bson.D
	path, want string
} {
	p := func(i int) bson.D { return patientDoc(t, i) }
	ssn := []string{"patient_record", "ssn"}
	return []struct {
		doc        bson.D
		path, want string
	}{
		{set(p(100), ssn, nil), "patient_record.ssn", "null cannot be encrypted"},
		{set(p(101), ssn, int32(7)), "patient_record.ssn", "BSON 32-bit integer, and the model encrypts string"},
		{set(p(102), []string{"patient_record"}, bson.A{bson.D{{Key: "ssn", Value: ssnOf(102)}}}), "patient_record.ssn", "inside the array patient_record"},
		{set(p(103), []string{"patient_record", "billing"}, "4111 1111"), "patient_record.billing", "BSON string, and the model encrypts object"},
		{set(p(104), []string{"legacy_notes"}, "x"), "legacy_notes", "in the source, not in the model"},
		{set(p(105), []string{"patient_id"}, 5.5), "patient_id", "BSON double does not decode"},
		{set(p(106), []string{"patient_name"}, nil), "patient_name", "BSON null in the source, string in the model"},
		{set(p(107), []string{"_id"}, "p-107"), "_id", "BSON string does not decode"},
		{set(p(108), ssn, bson.Binary{Subtype: 6, Data: []byte{1, 2, 3}}), "patient_record.ssn", "still encrypted"},
	}
}

func TestDryRunReportsWithoutWritingInMemory(t *testing.T) {
	var docs []bson.Raw
	for i := range 5 {
		docs = append(docs, mustRaw(t, patientDoc(t, i)))
	}
	// Changes that lose nothing are reported, and fit.
	docs = append(docs,
		mustRaw(t, set(patientDoc(t, 5), []string{"patient_id"}, 1005.0)),
		mustRaw(t, set(patientDoc(t, 6), []string{"patient_id"}, int32(1006))),
	)
	unfit := unfitPatients(t)
	for _, u := range unfit {
		docs = append(docs, mustRaw(t, u.doc))
	}
	source := newMemSource(docs...)
	m, target, repo, cps, _ := patientMigration(source)
	target.put(docs[0])

	report, err := m.DryRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if report.Target != nil || report.Scanned != int64(len(docs)) || report.InTarget != 1 || report.WouldCopy != 6 || report.UnfitCount != int64(len(unfit)) {
		t.Errorf("report: target %v, scanned %d, in target %d, would copy %d, unfit %d; want nil, %d, 1, 6, %d",
			report.Target, report.Scanned, report.InTarget, report.WouldCopy, report.UnfitCount, len(docs), len(unfit))
	}
	byID := map[string]*UnfitError{}
	for _, u := range report.Unfit {
		byID[u.ID] = u
	}
	for _, u := range unfit {
		id := idText(mustRaw(t, u.doc).Lookup("_id"))
		got := byID[id]
		if got == nil || !hasProblem(got, u.path, u.want) {
			t.Errorf("document %s: reported %v, want %s: ...%s...", id, got, u.path, u.want)
		}
	}
	for _, u := range report.Unfit {
		for i := range 110 {
			if strings.Contains(u.Error(), ssnOf(i)) {
				t.Errorf("a report shows the SSN %s: %v", ssnOf(i), u)
			}
		}
	}
	wantChanges := []Change{
		{Path: "patient_id", What: "the same number, BSON 32-bit integer in the source, 64-bit integer in the model", Documents: 1},
		{Path: "patient_id", What: "the same number, BSON double in the source, 64-bit integer in the model", Documents: 1},
	}
	if len(report.Changes) != 2 || report.Changes[0] != wantChanges[0] || report.Changes[1] != wantChanges[1] {
		t.Errorf("changes %+v, want %+v", report.Changes, wantChanges)
	}
	if repo.inserts != 0 || cps.saves != 0 || target.len() != 1 {
		t.Errorf("a dry run wrote: %d inserts, %d checkpoints", repo.inserts, cps.saves)
	}

	// Before the target exists, it says so and reads the source all the same.
	target.created = nil
	report, err = m.DryRun(context.Background())
	var te *TargetError
	if err != nil || !errors.As(report.Target, &te) || !te.Missing || report.Scanned != int64(len(docs)) || report.InTarget != 0 {
		t.Errorf("dry run without a target = %+v, %v", report, err)
	}
}

func hasProblem(u *UnfitError, path, want string) bool {
	for _, p := range u.Problems {
		if p.Path == path && strings.Contains(p.Reason, want) {
			return true
		}
	}
	return false
}

// TestDryRunAppointmentsInMemory: what libmongocrypt would refuse in
// range and text fields is found before anything is sent.
func TestDryRunAppointmentsInMemory(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	fee, _ := bson.ParseDecimal128("120.50")
	doc := func(i int) bson.D {
		return bson.D{{Key: "_id", Value: oid(i)}, {Key: "patient_id", Value: int64(i)}, {Key: "patient_name", Value: "Jane Roe"},
			{Key: "reason", Value: "annual checkup"}, {Key: "at", Value: bson.NewDateTimeFromTime(at)}, {Key: "fee", Value: fee}}
	}
	tooMuch, _ := bson.ParseDecimal128("100000.01")
	nan, _ := bson.ParseDecimal128("NaN")
	inf, _ := bson.ParseDecimal128("-Infinity")
	cases := []struct {
		doc        bson.D
		path, want string
	}{
		{set(doc(1), []string{"at"}, bson.NewDateTimeFromTime(time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC))), "at", "below the min"},
		{set(doc(2), []string{"fee"}, tooMuch), "fee", "above the max"},
		{set(doc(3), []string{"fee"}, nan), "fee", "not a finite number"},
		{set(doc(4), []string{"reason"}, strings.Repeat("x", 61)), "reason", "longer than the 60 characters"},
		{set(doc(5), []string{"patient_name"}, "Jo\xffhn"), "patient_name", "not valid UTF-8"},
		{set(doc(6), []string{"fee"}, inf), "fee", "not a finite number"},
		// libmongocrypt counts code points before it folds diacritics.
		{set(doc(7), []string{"reason"}, strings.Repeat("e\u0301", 31)), "reason", "longer than the 60 characters"},
		{set(doc(8), []string{"fee"}, 1.5), "fee", "BSON double does not decode"},
	}
	docs := []bson.Raw{mustRaw(t, doc(0)), mustRaw(t, set(doc(9), []string{"reason"}, strings.Repeat("é", 60)))}
	for _, c := range cases {
		docs = append(docs, mustRaw(t, c.doc))
	}
	spec := example.AppointmentSpec()
	target := newMemTarget(spec)
	m := &Migration[example.Appointment]{Source: newMemSource(docs...), Target: target, Repository: &memRepo[example.Appointment]{target: target},
		Spec: spec, ReadRate: Unlimited, clock: newFakeClock()}
	report, err := m.DryRun(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if report.WouldCopy != 2 || report.UnfitCount != int64(len(cases)) {
		t.Errorf("would copy %d, unfit %d; want 2 and %d: %v", report.WouldCopy, report.UnfitCount, len(cases), report.Unfit)
	}
	for i, c := range cases {
		if i >= len(report.Unfit) || !hasProblem(report.Unfit[i], c.path, c.want) {
			t.Errorf("case %d: reported %v, want %s: ...%s...", i, report.Unfit, c.path, c.want)
		}
	}
}

// TestDryRunStartsAtTheCheckpointInMemory: after a partial run, the dry
// run describes what the next run would read.
func TestDryRunStartsAtTheCheckpointInMemory(t *testing.T) {
	m, _, repo, _, _ := patientMigration(patientSource(t, 10))
	repo.before = func(n int) error {
		if n == 4 {
			return context.Canceled
		}
		return nil
	}
	if _, err := m.Run(context.Background()); err == nil {
		t.Fatal("want the run to stop")
	}
	report, err := m.DryRun(context.Background())
	if err != nil || report.Scanned != 6 || report.WouldCopy != 6 {
		t.Errorf("dry run after 4 copied = %+v, %v; want 6 to read and copy", report, err)
	}
}
