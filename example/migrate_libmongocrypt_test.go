package example_test

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

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/internal/qetest"
	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/qe/migrate"
)

// The tests in this file migrate through the real libmongocrypt and the
// generated repositories in explicit mode, against the in-memory
// deployment of package qetest instead of a server: they prove what is
// encrypted and sent, not what a server accepts (migrate_server_test.go
// does). They skip without -tags cse.

// migration is a Migration over e's deployment, into the collection of
// spec through an explicit-mode repository, checkpointed next to it.
func migration[T any](t *testing.T, e *qetest.Env, source migrate.Source, spec qe.CollectionSpec,
	newRepo func(*mongo.Collection, ...qe.RepositoryOption) migrate.Repository[T], mapped ...qe.CollectionSpec) *migrate.Migration[T] {
	t.Helper()
	client := e.ExplicitClient(t, append([]qe.CollectionSpec{spec}, mapped...)...)
	coll := client.Database(qetest.Database).Collection(spec.Name)
	return &migrate.Migration[T]{
		Source:      source,
		Target:      migrate.NewCollectionTarget(coll, e.Keys.Vault),
		Repository:  newRepo(coll, qe.WithExplicitEncryption(qe.NewClientEncrypter(e.Encryption))),
		Spec:        spec,
		Checkpoints: migrate.NewCollectionCheckpoints(e.Plain.Database(qetest.Database).Collection("qegen_migrations")),
		BatchSize:   4,
		Rate:        migrate.Unlimited,
		ReadRate:    migrate.Unlimited,
	}
}

func patientRepo(c *mongo.Collection, o ...qe.RepositoryOption) migrate.Repository[example.Patient] {
	return example.NewPatientRepository(c, o...)
}

func appointmentRepo(c *mongo.Collection, o ...qe.RepositoryOption) migrate.Repository[example.Appointment] {
	return example.NewAppointmentRepository(c, o...)
}

// runInterrupted runs m, stopping it after n documents as Ctrl-C would,
// then, after the given steps, runs it again to the end.
func runInterrupted[T any](t *testing.T, m *migrate.Migration[T], n int64, between ...func()) *migrate.Report {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m.Progress = func(p migrate.Progress) {
		if p.Done == n {
			cancel()
		}
	}
	if _, err := m.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Run = %v, want context.Canceled", err)
	}
	m.Progress = nil
	for _, step := range between {
		step()
	}
	report, err := m.Run(context.Background())
	if err != nil {
		t.Fatalf("resumed Run: %v", err)
	}
	return report
}

// checkStoredEncrypted checks that the target stores, for each source
// document, ciphertext at every encrypted path that decrypts back to the
// source's value, and the other values as they are; and that every
// insert carried one document, in clear nowhere.
func checkStoredEncrypted(t *testing.T, e *qetest.Env, spec qe.CollectionSpec, source []bson.Raw) {
	t.Helper()
	stored := e.Deployment.Documents(qetest.Namespace(spec))
	if len(stored) != len(source) {
		t.Fatalf("%d documents in %s, want %d", len(stored), spec.Name, len(source))
	}
	byID := map[string]bson.Raw{}
	for _, doc := range stored {
		byID[doc.Lookup("_id").String()] = doc
	}
	encrypted := map[string]bool{}
	for _, f := range spec.EncryptedFields.Fields {
		encrypted[f.Path] = true
	}
	for _, src := range source {
		doc := byID[src.Lookup("_id").String()]
		if doc == nil {
			t.Fatalf("%s was not copied", src.Lookup("_id"))
		}
		elems, _ := src.Elements()
		for _, path := range leafPaths(elems, "", encrypted) {
			want, got := src.Lookup(strings.Split(path, ".")...), doc.Lookup(strings.Split(path, ".")...)
			if !encrypted[path] {
				if !want.Equal(got) {
					t.Errorf("%s: %s stored as %s, want it in clear as in the source", src.Lookup("_id"), path, got)
				}
				continue
			}
			subtype, data, ok := got.BinaryOK()
			if !ok || subtype != 6 {
				t.Errorf("%s: %s stored as %s, want ciphertext", src.Lookup("_id"), path, got.Type)
				continue
			}
			plain, err := e.Encryption.Decrypt(context.Background(), bson.Binary{Subtype: subtype, Data: data})
			if err != nil || !plain.Equal(want) {
				t.Errorf("%s: %s decrypts to another value (err %v)", src.Lookup("_id"), path, err)
			}
		}
	}
	for _, cmd := range e.Deployment.Commands("insert") {
		if cmd.Namespace != qetest.Namespace(spec) {
			continue
		}
		if docs, _ := cmd.Body.Lookup("documents").Array().Values(); len(docs) != 1 {
			t.Errorf("an insert carried %d documents; the server takes one per command", len(docs))
		}
	}
	assertNothingInClear(t, e, spec, migrationSecrets(len(source))...)
}

// leafPaths lists the paths of a document's values, stopping at the
// encrypted ones.
func leafPaths(elems []bson.RawElement, at string, stop map[string]bool) []string {
	var out []string
	for _, e := range elems {
		path := e.Key()
		if at != "" {
			path = at + "." + path
		}
		if doc, ok := e.Value().DocumentOK(); ok && !stop[path] {
			inner, _ := doc.Elements()
			out = append(out, leafPaths(inner, path, stop)...)
			continue
		}
		out = append(out, path)
	}
	return out
}

// TestMigratePlaintextWithLibmongocrypt: case 1, a plaintext collection
// into the generated one, for both example models (range and text fields
// included), interrupted once and resumed.
func TestMigratePlaintextWithLibmongocrypt(t *testing.T) {
	t.Run("patients", func(t *testing.T) {
		e := qetest.New(t, 8, 0, 0)
		var docs []*example.Patient
		for i := range 10 {
			docs = append(docs, migrationPatient(i))
		}
		source := marshalAll(t, docs...)
		e.Deployment.Store(qetest.Database+".patients_plain", source...)
		src := migrate.NewCollectionSource(e.Plain.Database(qetest.Database).Collection("patients_plain"))
		spec := example.PatientSpec()

		e.Create(t, spec)
		m := migration(t, e, src, spec, patientRepo)
		dry, err := m.DryRun(context.Background())
		if err != nil || dry.Target != nil || dry.WouldCopy != 10 || dry.UnfitCount != 0 {
			t.Fatalf("DryRun = %+v, %v; want 10 to copy into a target that fits", dry, err)
		}
		report := runInterrupted(t, m, 6, func() {
			// As if the checkpoint were lost: the next run starts over, and
			// finds the first 6 in the target.
			e.Deployment.Clear(qetest.Database + ".qegen_migrations")
		})
		if c := report.Checkpoint; !c.Done || c.Copied != 4 || c.Skipped != 6 {
			t.Errorf("checkpoint %v, want 4 copied and the 6 copied before found in the target", c)
		}
		checkStoredEncrypted(t, e, spec, source)
		v, err := m.Verify(context.Background(), 0)
		if err != nil || !v.OK() || v.Checked != 10 {
			t.Errorf("Verify = %+v, %v; want the 10 documents read back decrypted and equal", v, err)
		}
		if got := e.Deployment.Documents(qetest.Database + ".patients_plain"); len(got) != len(source) || !bytes.Equal(got[3], source[3]) {
			t.Error("the source changed")
		}
	})
	t.Run("appointments", func(t *testing.T) {
		e := qetest.New(t, 9, 0, 0)
		var docs []*example.Appointment
		for i := range 9 {
			docs = append(docs, migrationAppointment(i))
		}
		source := marshalAll(t, docs...)
		e.Deployment.Store(qetest.Database+".appointments_plain", source...)
		spec := example.AppointmentSpec()
		e.Create(t, spec)
		m := migration(t, e, migrate.NewCollectionSource(e.Plain.Database(qetest.Database).Collection("appointments_plain")), spec, appointmentRepo)
		runInterrupted(t, m, 5)
		checkStoredEncrypted(t, e, spec, source)
		if v, err := m.Verify(context.Background(), 0); err != nil || !v.OK() {
			t.Errorf("Verify = %+v, %v", v, err)
		}
	})
}

// TestMigrateChangedModelWithLibmongocrypt: case 2, a collection made
// from an older model (another contention, other data keys) into the
// current one, read once through a client that decrypts replies and once
// through a plain client with DecryptWith.
func TestMigrateChangedModelWithLibmongocrypt(t *testing.T) {
	for _, reading := range []string{"decrypting client", "DecryptWith"} {
		t.Run(reading, func(t *testing.T) {
			ctx := context.Background()
			e := qetest.New(t, 8, 0, 0)
			old := renamed(example.PatientSpec(), "patients_v0")
			old.EncryptedFields.Fields[0].Queries[0].Contention = 2
			e.Create(t, old)
			// Fill the old collection as its application did. A generated
			// repository writes only the model's own collection, so the old
			// model's documents are encrypted with qe.Explicit.
			oldColl := e.ExplicitClient(t, old).Database(qetest.Database).Collection(old.Name)
			x, err := qe.NewExplicit(qe.NewClientEncrypter(e.Encryption), qetest.Database, old)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 7 {
				doc, err := x.Document(ctx, migrationPatient(i))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := oldColl.InsertOne(ctx, doc); err != nil {
					t.Fatal(err)
				}
			}
			stored := e.Deployment.Documents(qetest.Namespace(old))
			if v := stored[0].Lookup("patient_record", "ssn"); !qetest.IsCiphertext(v) {
				t.Fatalf("the old collection stores the SSN as %s", v.Type)
			}

			spec := example.PatientSpec()
			e.Create(t, spec)
			var src migrate.Source
			if reading == "DecryptWith" {
				src = migrate.NewCollectionSource(e.Plain.Database(qetest.Database).Collection(old.Name), migrate.DecryptWith(e.Encryption))
			} else {
				// The client that writes the target reads the source too.
				src = migrate.NewCollectionSource(e.ExplicitClient(t, spec, old).Database(qetest.Database).Collection(old.Name))
			}
			m := migration(t, e, src, spec, patientRepo, old)
			// A plain read of the old collection is refused, not copied.
			plainRead := *m
			plainRead.Source = migrate.NewCollectionSource(e.Plain.Database(qetest.Database).Collection(old.Name))
			dry, err := plainRead.DryRun(ctx)
			if err != nil || dry.UnfitCount != 7 || !strings.Contains(dry.Unfit[0].Error(), "still encrypted") {
				t.Fatalf("DryRun reading ciphertext = %+v, %v; want every document refused as still encrypted", dry, err)
			}

			runInterrupted(t, m, 3)
			var source []bson.Raw
			for i := range 7 {
				source = append(source, marshalAll(t, migrationPatient(i))...)
			}
			checkStoredEncrypted(t, e, spec, source)
			if v, err := m.Verify(ctx, 0); err != nil || !v.OK() {
				t.Errorf("Verify = %+v, %v", v, err)
			}
		})
	}
}

// TestMigrateRefusesOtherTargetWithLibmongocrypt: a target made from
// another model is refused before anything is written.
func TestMigrateRefusesOtherTargetWithLibmongocrypt(t *testing.T) {
	e := qetest.New(t, 8, 0, 0)
	e.Deployment.Store(qetest.Database+".patients_plain", marshalAll(t, migrationPatient(0))...)
	other := example.PatientSpec()
	other.EncryptedFields.Fields[0].Queries[0].Contention = 2
	e.Create(t, other)
	m := migration(t, e, migrate.NewCollectionSource(e.Plain.Database(qetest.Database).Collection("patients_plain")), example.PatientSpec(), patientRepo)
	_, err := m.Run(context.Background())
	var te *migrate.TargetError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "contention is 8 in the model, 2 in the collection") {
		t.Errorf("Run into a target of another model = %v", err)
	}
	if n := len(e.Deployment.Documents(qetest.Namespace(other))); n != 0 {
		t.Errorf("%d documents written into the refused target", n)
	}
}

// TestMigrateTextPreviewWithLibmongocrypt: case 3, a collection made for
// 8.2's text preview into one with the released names. Writing the
// source needs a libmongocrypt that still knows the preview names.
func TestMigrateTextPreviewWithLibmongocrypt(t *testing.T) {
	qetest.Skip(t)
	version := qe.LibmongocryptVersion()
	if !strings.HasPrefix(version, "1.19.") && !strings.HasPrefix(version, "1.20.") || version == "1.19.0" {
		t.Skipf("libmongocrypt %s cannot encrypt 8.2's text preview names (1.19.1 to 1.20.x can), so no source can be made here", version)
	}
	ctx := context.Background()
	e := qetest.New(t, 9, 0, 0)
	old := textPreview(example.AppointmentSpec(), "appointments_82")
	e.Create(t, old)
	x, err := qe.NewExplicit(qe.NewClientEncrypter(e.Encryption), qetest.Database, old)
	if err != nil {
		t.Fatal(err)
	}
	var source []bson.Raw
	for i := range 6 {
		doc, err := x.Document(ctx, migrationAppointment(i))
		if err != nil {
			t.Fatal(err)
		}
		e.Deployment.Store(qetest.Namespace(old), doc)
		source = append(source, marshalAll(t, migrationAppointment(i))...)
	}
	spec := example.AppointmentSpec()
	e.Create(t, spec)
	m := migration(t, e, migrate.NewCollectionSource(e.Plain.Database(qetest.Database).Collection(old.Name), migrate.DecryptWith(e.Encryption)), spec, appointmentRepo)
	runInterrupted(t, m, 2)
	checkStoredEncrypted(t, e, spec, source)
}

// sabotaged moves each appointment before the collection's range after
// the migration checked it, as a rule qegen does not know would.
type sabotaged struct {
	migrate.Repository[example.Appointment]
}

var before2000 = time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)

func (s sabotaged) InsertOne(ctx context.Context, a *example.Appointment) (*mongo.InsertOneResult, error) {
	a.At = before2000
	return s.Repository.InsertOne(ctx, a)
}

// TestMigrateHidesLibmongocryptMessagesWithLibmongocrypt: libmongocrypt's
// refusal quotes the value; the migration's error must not.
func TestMigrateHidesLibmongocryptMessagesWithLibmongocrypt(t *testing.T) {
	e := qetest.New(t, 9, 0, 0)
	e.Deployment.Store(qetest.Database+".appointments_plain", marshalAll(t, migrationAppointment(0))...)
	spec := example.AppointmentSpec()
	e.Create(t, spec)
	m := migration(t, e, migrate.NewCollectionSource(e.Plain.Database(qetest.Database).Collection("appointments_plain")), spec, appointmentRepo)
	m.Repository = sabotaged{m.Repository}
	_, err := m.Run(context.Background())
	var ie *migrate.InsertError
	value := fmt.Sprint(before2000.UnixMilli())
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "libmongocrypt refused") || strings.Contains(err.Error(), value) {
		t.Errorf("Run = %v, want an *InsertError that names libmongocrypt's refusal without the value %s", err, value)
	}
	if n := len(e.Deployment.Documents(qetest.Namespace(spec))); n != 0 {
		t.Errorf("%d documents stored", n)
	}
}
