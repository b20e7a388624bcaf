package migrate

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// DryRunReport is what Run would do, found without writing anything.
type DryRunReport struct {
	// Target is nil when the target exists with the model's
	// encryptedFields, else the *TargetError Run would stop with.
	Target error
	// Scanned counts the source documents read: those Run would read
	// next, from the checkpoint when there is one.
	Scanned int64
	// WouldCopy counts those Run would insert, InTarget those the target
	// holds already (Run skips them; 0 when the target does not exist).
	WouldCopy, InTarget int64
	// Unfit lists the first MaxListed documents that do not fit the model,
	// UnfitCount counts them all. Run stops at the first one.
	Unfit      []*UnfitError
	UnfitCount int64
	// Changes are the conversions Run would make and accept, by path.
	Changes []Change
}

// DryRun reads the source as Run would, from the checkpoint when there is
// one, and reports what Run would copy and every document that would not
// fit; it writes nothing, to the source, the target or the checkpoints,
// and needs no target: it says when the target is missing or differs.
func (m *Migration[T]) DryRun(ctx context.Context) (*DryRunReport, error) {
	if err := m.validate(false); err != nil {
		return nil, err
	}
	report := &DryRunReport{}
	var targetErr *TargetError
	switch err := m.Target.Check(ctx, m.Spec); {
	case errors.As(err, &targetErr):
		report.Target = targetErr
	case err != nil:
		return nil, err
	}
	cp, total, err := m.start(ctx)
	if err != nil {
		return nil, err
	}
	// Resuming, only the documents after the checkpoint are read; the
	// total says so.
	track := newTracker("dry run", total-cp.Seen(), 0, m.clockOrReal(), m.Progress)
	lim := newLimiter(orDefault(m.ReadRate, DefaultReadRate), m.clockOrReal())
	changes := changeCounter{}
	after := cp.After
	for {
		batch, err := m.Source.Next(ctx, after, m.batchSize())
		if err != nil {
			return nil, fmt.Errorf("qe/migrate: reading %s: %w", m.Source.Namespace(), err)
		}
		if len(batch) == 0 {
			break
		}
		inTarget, err := m.dryRunLookup(ctx, report, batch)
		if err != nil {
			return nil, err
		}
		for _, doc := range batch {
			if err := lim.wait(ctx); err != nil {
				return nil, err
			}
			report.Scanned++
			id, _ := docID(doc)
			after = id
			p, err := m.prepare(doc)
			var unfit *UnfitError
			switch {
			case errors.As(err, &unfit):
				report.UnfitCount++
				if len(report.Unfit) < MaxListed {
					report.Unfit = append(report.Unfit, unfit)
				}
			case inTarget[idKey(id)]:
				report.InTarget++
			default:
				report.WouldCopy++
				changes.add(p.changes)
			}
			track.update(report.Scanned, 0, 0, false)
		}
	}
	report.Changes = changes.list()
	track.update(report.Scanned, 0, 0, true)
	return report, nil
}

// dryRunLookup finds which of the batch the target holds, when it can.
func (m *Migration[T]) dryRunLookup(ctx context.Context, report *DryRunReport, batch []bson.Raw) (map[string]bool, error) {
	if report.Target != nil {
		return nil, nil
	}
	ids := make([]bson.RawValue, 0, len(batch))
	for _, doc := range batch {
		if id, err := docID(doc); err == nil {
			ids = append(ids, id)
		}
	}
	found, err := m.Target.Existing(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("qe/migrate: looking up documents in %s: %w", m.Target.Namespace(), err)
	}
	out := make(map[string]bool, len(found))
	for _, id := range found {
		out[idKey(id)] = true
	}
	return out, nil
}
