package migrate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Report is what Run did.
type Report struct {
	// Checkpoint is the migration's state as last saved.
	Checkpoint Checkpoint
	// SourceCount and TargetCount are the collections' counts when the
	// run read the source to its end; -1 when it stopped before.
	SourceCount, TargetCount int64
	// Changes are the conversions this run made and accepted, by path.
	Changes []Change
}

// IncompleteError means the run read the whole source but did not
// account for every document it holds now.
type IncompleteError struct {
	Source      string
	Seen, Count int64
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("qe/migrate: read %s to its end and did %d documents, and it holds %d now: documents were added or removed while it ran "+
		"(is an application still writing to it?), or added behind the position read (an _id below the last one copied, or of another BSON type). "+
		"Stop the writes and run again; if the counts still differ, run again with Restart, which reads from the start and skips what is copied",
		e.Source, e.Seen, e.Count)
}

// checkpointTimeout bounds the save that follows an interruption, which
// must not depend on the cancelled context.
const checkpointTimeout = 30 * time.Second

// Run copies every source document after the checkpoint into the target,
// one insert each, through the Repository. It first checks that the
// target exists with the model's encryptedFields, and refuses otherwise.
// It saves a checkpoint after each batch, and when it stops for any
// reason (an error, a document that does not fit, ctx cancelled), so a
// later Run resumes there; documents the target holds already are
// skipped. At the end it compares the number of documents done with the
// source's count (see IncompleteError).
func (m *Migration[T]) Run(ctx context.Context) (*Report, error) {
	if err := m.validate(true); err != nil {
		return nil, err
	}
	if err := m.Target.Check(ctx, m.Spec); err != nil {
		return nil, err
	}
	cp, total, err := m.start(ctx)
	if err != nil {
		return nil, err
	}
	c := &copier[T]{
		m: m, cp: cp, changes: changeCounter{},
		report:  &Report{SourceCount: -1, TargetCount: -1},
		limiter: newLimiter(orDefault(m.Rate, DefaultRate), m.clockOrReal()),
		track:   newTracker("copy", total, cp.Seen(), m.clockOrReal(), m.Progress),
	}
	return c.copy(ctx)
}

// start returns the checkpoint to resume from and the source's count.
func (m *Migration[T]) start(ctx context.Context) (Checkpoint, int64, error) {
	cp, err := m.startingPoint(ctx)
	if err != nil {
		return Checkpoint{}, 0, err
	}
	total, err := m.Source.Count(ctx)
	if err != nil {
		return Checkpoint{}, 0, fmt.Errorf("qe/migrate: counting %s: %w", m.Source.Namespace(), err)
	}
	return cp, total, nil
}

// startingPoint is the checkpoint to resume from, or a fresh one.
func (m *Migration[T]) startingPoint(ctx context.Context) (Checkpoint, error) {
	fresh := Checkpoint{Name: m.name(), Source: m.Source.Namespace(), Target: m.Target.Namespace()}
	if m.Checkpoints == nil {
		return fresh, nil
	}
	cp, found, err := m.Checkpoints.Load(ctx, fresh.Name)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("qe/migrate: loading checkpoint %q: %w", fresh.Name, err)
	}
	if !found {
		return fresh, nil
	}
	if cp.Source != fresh.Source || cp.Target != fresh.Target {
		return Checkpoint{}, fmt.Errorf("qe/migrate: checkpoint %q was made for %s -> %s, not %s -> %s: give this migration another Name",
			fresh.Name, cp.Source, cp.Target, fresh.Source, fresh.Target)
	}
	if m.Restart {
		return fresh, nil
	}
	cp.Done = false
	return cp, nil
}

// copier is one run of a migration.
type copier[T any] struct {
	m       *Migration[T]
	cp      Checkpoint
	report  *Report
	changes changeCounter
	limiter *limiter
	track   *tracker
}

func (c *copier[T]) copy(ctx context.Context) (*Report, error) {
	for {
		batch, err := c.m.Source.Next(ctx, c.cp.After, c.m.batchSize())
		if err != nil {
			return c.stop(ctx, fmt.Errorf("qe/migrate: reading %s: %w", c.m.Source.Namespace(), err))
		}
		if len(batch) == 0 {
			return c.end(ctx)
		}
		before := c.cp.After
		if err := c.copyBatch(ctx, batch); err != nil {
			return c.stop(ctx, err)
		}
		if c.cp.After.Equal(before) {
			return c.stop(ctx, fmt.Errorf("qe/migrate: %s returned documents at or before the checkpoint: the source must return them in ascending _id order", c.m.Source.Namespace()))
		}
		if err := c.save(ctx); err != nil {
			return c.stop(ctx, err)
		}
	}
}

// copyBatch inserts the documents the target does not hold, in order.
func (c *copier[T]) copyBatch(ctx context.Context, batch []bson.Raw) error {
	ids := make([]bson.RawValue, len(batch))
	for i, doc := range batch {
		id, err := docID(doc)
		if err != nil {
			return fmt.Errorf("qe/migrate: %s returned a document without _id", c.m.Source.Namespace())
		}
		ids[i] = id
	}
	inTarget, err := c.existing(ctx, ids)
	if err != nil {
		return err
	}
	for i, doc := range batch {
		if err := ctx.Err(); err != nil {
			return c.interrupted(err)
		}
		if inTarget[idKey(ids[i])] {
			c.done(ids[i], false)
			continue
		}
		p, err := c.m.prepare(doc)
		if err != nil {
			return err
		}
		if err := c.limiter.wait(ctx); err != nil {
			return c.interrupted(err)
		}
		copied, err := c.insert(ctx, p)
		if err != nil {
			return err
		}
		if copied {
			c.changes.add(p.changes)
		}
		c.done(p.id, copied)
	}
	return nil
}

// insert sends one document. A duplicate key error on its _id means the
// target got it since the lookup (a retried insert, another run): it is
// skipped, not copied twice.
func (c *copier[T]) insert(ctx context.Context, p prepared[T]) (copied bool, err error) {
	_, err = c.m.Repository.InsertOne(ctx, p.doc)
	if err == nil {
		return true, nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		// Whether it arrived is unknown; the next run looks it up.
		return false, c.interrupted(ctxErr)
	}
	if mongo.IsDuplicateKeyError(err) {
		found, lookErr := c.existing(ctx, []bson.RawValue{p.id})
		if lookErr != nil {
			return false, lookErr
		}
		if found[idKey(p.id)] {
			return false, nil
		}
	}
	return false, insertError(idText(p.id), err)
}

func (c *copier[T]) existing(ctx context.Context, ids []bson.RawValue) (map[string]bool, error) {
	found, err := c.m.Target.Existing(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("qe/migrate: looking up documents in %s: %w", c.m.Target.Namespace(), err)
	}
	out := make(map[string]bool, len(found))
	for _, id := range found {
		out[idKey(id)] = true
	}
	return out, nil
}

func (c *copier[T]) done(id bson.RawValue, copied bool) {
	if copied {
		c.cp.Copied++
	} else {
		c.cp.Skipped++
	}
	c.cp.After = id
	c.track.update(c.cp.Seen(), c.cp.Copied, c.cp.Skipped, false)
}

func (c *copier[T]) interrupted(err error) error {
	return fmt.Errorf("qe/migrate: stopped after %s: %w", c.cp, err)
}

func (c *copier[T]) save(ctx context.Context) error {
	c.cp.Updated = c.m.clockOrReal().Now().UTC()
	if err := c.m.Checkpoints.Save(ctx, c.cp); err != nil {
		return fmt.Errorf("qe/migrate: saving checkpoint %q: %w", c.cp.Name, err)
	}
	c.report.Checkpoint = c.cp
	return nil
}

// stop saves the checkpoint, whatever ctx's state, and returns cause.
func (c *copier[T]) stop(ctx context.Context, cause error) (*Report, error) {
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), checkpointTimeout)
	defer cancel()
	saveErr := c.save(saveCtx)
	c.report.Changes = c.changes.list()
	c.track.update(c.cp.Seen(), c.cp.Copied, c.cp.Skipped, true)
	return c.report, errors.Join(cause, saveErr)
}

// end checks the counts once the source is read to its end.
func (c *copier[T]) end(ctx context.Context) (*Report, error) {
	count, err := c.m.Source.Count(ctx)
	if err != nil {
		return c.stop(ctx, fmt.Errorf("qe/migrate: counting %s: %w", c.m.Source.Namespace(), err))
	}
	targetCount, err := c.m.Target.Count(ctx)
	if err != nil {
		return c.stop(ctx, fmt.Errorf("qe/migrate: counting %s: %w", c.m.Target.Namespace(), err))
	}
	c.report.SourceCount, c.report.TargetCount = count, targetCount
	c.cp.Done = count == c.cp.Seen()
	if !c.cp.Done {
		return c.stop(ctx, &IncompleteError{Source: c.m.Source.Namespace(), Seen: c.cp.Seen(), Count: count})
	}
	return c.stop(ctx, nil)
}
