package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/qegen/qegen/example"
	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/qe/migrate"
)

// target is one of the example's models, as generated code offers it.
type target[T any] struct {
	spec func() qe.CollectionSpec
	repo func(*mongo.Collection, ...qe.RepositoryOption) migrate.Repository[T]
}

var (
	patients = target[example.Patient]{example.PatientSpec,
		func(c *mongo.Collection, o ...qe.RepositoryOption) migrate.Repository[example.Patient] {
			return example.NewPatientRepository(c, o...)
		}}
	appointments = target[example.Appointment]{example.AppointmentSpec,
		func(c *mongo.Collection, o ...qe.RepositoryOption) migrate.Repository[example.Appointment] {
			return example.NewAppointmentRepository(c, o...)
		}}
)

// conn is what every phase uses: a plain client, the key vault, and the
// configuration.
type conn struct {
	clientOptions func() *options.ClientOptions // for each new client
	cfg           qe.Config
	plain         *mongo.Client
	ce            *mongo.ClientEncryption
	keys          qe.Keys
}

func migrateExample(ctx context.Context, o settings, getenv func(string) string, stdout, stderr io.Writer) error {
	uri := getenv("MONGODB_URI")
	if uri == "" {
		return errors.New("set MONGODB_URI to the MongoDB deployment (7.0+ replica set)")
	}
	return migrateWith(ctx, o, func() *options.ClientOptions { return options.Client().ApplyURI(uri) }, stdout, stderr)
}

// migrateWith connects with clientOptions, which tests point elsewhere.
func migrateWith(ctx context.Context, o settings, clientOptions func() *options.ClientOptions, stdout, stderr io.Writer) error {
	if qe.LibmongocryptVersion() == "" {
		return qe.ErrNoLibmongocrypt
	}
	cfg, err := qe.ConfigFromEnv()
	if err != nil {
		return err
	}
	c := &conn{clientOptions: clientOptions, cfg: cfg}
	if c.plain, err = mongo.Connect(clientOptions()); err != nil {
		return err
	}
	defer c.plain.Disconnect(context.WithoutCancel(ctx))
	if c.ce, err = cfg.NewClientEncryption(c.plain); err != nil {
		return err
	}
	c.keys = cfg.Keys(c.ce, c.plain)
	if o.to == "patients" {
		return runPhases(ctx, o, c, patients, stdout, stderr)
	}
	return runPhases(ctx, o, c, appointments, stdout, stderr)
}

// runPhases runs the dry run, or creates the target, copies and verifies.
func runPhases[T any](ctx context.Context, o settings, c *conn, t target[T], stdout, stderr io.Writer) error {
	db := c.plain.Database(o.database)
	spec := t.spec()
	m := &migrate.Migration[T]{
		Source:      migrate.NewCollectionSource(db.Collection(o.from), migrate.DecryptWith(c.ce)),
		Spec:        spec,
		Checkpoints: migrate.NewCollectionCheckpoints(db.Collection("qegen_migrations")),
		Name:        o.name,
		BatchSize:   o.batch,
		Rate:        o.rate,
		ReadRate:    o.readRate,
		Restart:     o.restart,
		Progress:    migrate.NewDisplay(stderr).Update,
	}
	if o.dryRun {
		// Nothing is created or written: the target is read with the plain
		// client, and the repository is never called.
		m.Target = migrate.NewCollectionTarget(db.Collection(spec.Name), c.keys.Vault, migrate.DecryptWith(c.ce))
		m.Repository = t.repo(db.Collection(spec.Name))
		report, err := m.DryRun(ctx)
		if err != nil {
			return err
		}
		printDryRun(stdout, report)
		if report.UnfitCount > 0 {
			return fmt.Errorf("%d documents do not fit the model: fix them at the source, or migrate with a Convert", report.UnfitCount)
		}
		return nil
	}

	if _, err := qe.CreateCollection(ctx, db, spec, c.keys); err != nil {
		return err
	}
	fieldsMap, err := qe.EncryptedFieldsMap(ctx, c.keys.Vault, o.database, spec)
	if err != nil {
		return err
	}
	mode, repoOpts := qe.AutomaticMode, []qe.RepositoryOption(nil)
	if o.mode == "explicit" {
		mode, repoOpts = qe.ExplicitMode, []qe.RepositoryOption{qe.WithExplicitEncryption(qe.NewClientEncrypter(c.ce))}
	}
	encrypting, err := c.cfg.Connect(c.clientOptions(), mode, fieldsMap)
	if err != nil {
		return err
	}
	defer encrypting.Disconnect(context.WithoutCancel(ctx))
	coll := encrypting.Database(o.database).Collection(spec.Name)
	m.Target = migrate.NewCollectionTarget(coll, c.keys.Vault)
	m.Repository = t.repo(coll, repoOpts...)

	report, err := m.Run(ctx)
	if report != nil {
		printRun(stdout, report)
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted; the checkpoint is saved: run the same command again to resume (%w)", err)
	}
	if err != nil {
		return err
	}
	if o.verify < 0 {
		return nil
	}
	v, err := m.Verify(ctx, o.verify)
	if err != nil {
		return err
	}
	printVerify(stdout, v)
	if !v.OK() {
		return errors.New("verification found differences: keep the source, and do not switch the application over")
	}
	return nil
}
