package example_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/internal/qetest"
	"github.com/qegen/qegen/qe"
)

// recordingEncrypter stands in for libmongocrypt: it returns a fixed
// ciphertext and remembers how each value was to be encrypted.
type recordingEncrypter struct {
	calls []qe.EncryptOptions
}

var ciphertext = bson.Binary{Subtype: 6, Data: []byte("ciphertext")}

func (r *recordingEncrypter) Encrypt(_ context.Context, _ bson.RawValue, opts qe.EncryptOptions) (bson.Binary, error) {
	r.calls = append(r.calls, opts)
	return ciphertext, nil
}

// EncryptExpression replaces each bound of {$and: [{path: {op: v}}...]}.
func (r *recordingEncrypter) EncryptExpression(_ context.Context, expr bson.D, opts qe.EncryptOptions) (bson.D, error) {
	r.calls = append(r.calls, opts)
	var out bson.A
	for _, item := range expr[0].Value.(bson.A) {
		cond := item.(bson.D)
		op := cond[0].Value.(bson.D)[0]
		out = append(out, bson.D{{Key: cond[0].Key, Value: bson.D{{Key: op.Key, Value: ciphertext}}}})
	}
	return bson.D{{Key: "$and", Value: out}}, nil
}

// secrets are the plaintext values of encrypted paths used below; none of
// them may appear in anything explicit mode would send.
var secrets = []string{"987-65-4320", "4111111111111111", "Visa", "Jane Roe", "migraine", "jan", "roe", "grain"}

func assertNoPlaintext(t *testing.T, what string, doc any) {
	t.Helper()
	raw, err := bson.Marshal(doc)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for _, s := range secrets {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("%s sends the plaintext %q: %v", what, s, doc)
		}
	}
}

func TestExplicitDocumentsCarryOnlyCiphertext(t *testing.T) {
	ctx := context.Background()
	enc := &recordingEncrypter{}
	patients, err := qe.NewExplicit(enc, "medical_records", example.PatientSpec())
	if err != nil {
		t.Fatal(err)
	}
	amount := mustDecimal(t, "1500")
	doc, err := patients.Document(ctx, &example.Patient{
		PatientName: "John Doe", PatientID: 12345678,
		PatientRecord: example.PatientRecord{SSN: "987-65-4320", Billing: example.Billing{CCType: "Visa", CCNumber: "4111111111111111"}, BillAmount: amount},
	})
	if err != nil {
		t.Fatal(err)
	}
	assertNoPlaintext(t, "the patient document", doc)
	raw := mustMarshal(t, doc)
	qetest.CheckEncrypted(t, "the patient document", raw, "patient_record.ssn", "patient_record.billing")
	if name := bson.Raw(raw).Lookup("patient_name").StringValue(); name != "John Doe" {
		t.Errorf("patient_name = %q: unencrypted fields must pass through", name)
	}
	want := map[string]string{
		"medical_records.patients/patient_record.ssn":     "Indexed",
		"medical_records.patients/patient_record.billing": "Unindexed",
	}
	for _, c := range enc.calls {
		if want[c.KeyAltName] != c.Algorithm || c.QueryType != "" {
			t.Errorf("value for %s encrypted with %q/%q, want %q and no query type", c.KeyAltName, c.Algorithm, c.QueryType, want[c.KeyAltName])
		}
		delete(want, c.KeyAltName)
	}
	if len(want) > 0 {
		t.Errorf("never encrypted: %v", want)
	}

	enc.calls = nil
	appointments, err := qe.NewExplicit(enc, "medical_records", example.AppointmentSpec())
	if err != nil {
		t.Fatal(err)
	}
	fee := mustDecimal(t, "99.95")
	doc, err = appointments.Document(ctx, &example.Appointment{PatientID: 7, PatientName: "Jane Roe", Reason: "migraine", At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Fee: fee})
	if err != nil {
		t.Fatal(err)
	}
	assertNoPlaintext(t, "the appointment document", doc)
	algorithms := map[string]string{}
	for _, c := range enc.calls {
		algorithms[strings.TrimPrefix(c.KeyAltName, "medical_records.appointments/")] = c.Algorithm
	}
	wantAlgorithms := map[string]string{"patient_name": "String", "reason": "String", "at": "Range", "fee": "Range"}
	for path, alg := range wantAlgorithms {
		if algorithms[path] != alg {
			t.Errorf("%s encrypted with %q, want %q", path, algorithms[path], alg)
		}
	}
}

func TestExplicitFiltersCarryOnlyCiphertext(t *testing.T) {
	ctx := context.Background()
	enc := &recordingEncrypter{}
	patients, err := qe.NewExplicit(enc, "medical_records", example.PatientSpec())
	if err != nil {
		t.Fatal(err)
	}
	appointments, err := qe.NewExplicit(enc, "medical_records", example.AppointmentSpec())
	if err != nil {
		t.Fatal(err)
	}
	p, a := example.PatientWhere(), example.AppointmentWhere()
	day := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)

	patientFilters := map[string]qe.Filter{
		"eq":          p.PatientRecordSSN.Eq("987-65-4320"),
		"ne":          p.PatientRecordSSN.Ne("987-65-4320"),
		"in":          p.PatientRecordSSN.In("987-65-4320", "4111111111111111"),
		"nin":         p.PatientRecordSSN.Nin("987-65-4320"),
		"not":         qe.Not(p.PatientRecordSSN.Eq("987-65-4320")),
		"and with id": qe.And(p.PatientRecordSSN.Eq("987-65-4320"), p.PatientID.Gt(5)),
		"or":          qe.Or(p.PatientRecordSSN.Eq("987-65-4320"), p.PatientName.Eq("Visa")),
	}
	for name, f := range patientFilters {
		out, err := patients.Filter(ctx, f)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if name == "or" {
			// "Visa" compared with an unencrypted field stays as it is.
			if !strings.Contains(string(mustMarshal(t, out)), "Visa") {
				t.Errorf("or: the unencrypted comparison was changed: %v", out)
			}
			continue
		}
		assertNoPlaintext(t, "filter "+name, out)
	}

	appointmentFilters := map[string]qe.Filter{
		"starts with": a.PatientName.StartsWith("jan"),
		"ends with":   a.PatientName.EndsWith("roe"),
		"contains":    a.Reason.Contains("grain"),
		"between":     a.At.Between(day, day.Add(24*time.Hour)),
		"gt":          a.At.Gt(day),
		"range eq":    a.At.Eq(day),
		"range in":    a.At.In(day, day.Add(time.Hour)),
		"range ne":    a.At.Ne(day),
		"range not":   qe.Not(a.At.Lt(day)),
		"mixed":       qe.And(a.At.Gte(day), a.PatientName.StartsWith("jan"), a.PatientID.Eq(7)),
	}
	for name, f := range appointmentFilters {
		enc.calls = nil
		out, err := appointments.Filter(ctx, f)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		assertNoPlaintext(t, "filter "+name, out)
		if containsDate(t, out, day) {
			t.Errorf("%s sends the plaintext date: %v", name, out)
		}
		for _, c := range enc.calls {
			if c.QueryType == "" {
				t.Errorf("%s: a query value was encrypted without a query type (%+v)", name, c)
			}
		}
	}
}

func mustDecimal(t *testing.T, s string) bson.Decimal128 {
	t.Helper()
	d, err := bson.ParseDecimal128(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustMarshal(t testing.TB, d any) []byte {
	t.Helper()
	raw, err := bson.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// containsDate reports whether d holds t's 8-byte BSON date encoding.
func containsDate(tb testing.TB, d bson.D, t time.Time) bool {
	_, want, err := bson.MarshalValue(bson.NewDateTimeFromTime(t))
	if err != nil {
		tb.Fatal(err)
	}
	return bytes.Contains(mustMarshal(tb, d), want)
}
