package migrate

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Difference is one way the target differs from the source: by _id and
// path, never by value.
type Difference struct {
	ID   string // the document's _id, as Extended JSON
	Path string // "" for the whole document
	What string
}

func (d Difference) String() string {
	if d.Path == "" {
		return fmt.Sprintf("_id %s: %s", d.ID, d.What)
	}
	return fmt.Sprintf("_id %s: %s: %s", d.ID, d.Path, d.What)
}

// VerifyReport is what Verify found.
type VerifyReport struct {
	SourceCount, TargetCount int64
	// Checked counts the source documents compared with the target;
	// Missing those of them the target lacks, Unfit those that do not fit
	// the model (and so were never copied).
	Checked, Missing, Unfit int64
	// Differences lists the first MaxListed differences; DifferenceCount
	// counts them all, missing and unfit documents included.
	Differences     []Difference
	DifferenceCount int64
}

// OK reports whether the collections hold as many documents and every
// document checked is in the target as the model stores it.
func (r *VerifyReport) OK() bool {
	return r.SourceCount == r.TargetCount && r.DifferenceCount == 0
}

func (r *VerifyReport) add(d Difference) {
	r.DifferenceCount++
	if len(r.Differences) < MaxListed {
		r.Differences = append(r.Differences, d)
	}
}

// Verify compares the collections' counts and reads documents back from
// the target, decrypted, comparing each with its source document as the
// model stores it (the target's __safeContent__ aside): sample documents
// chosen at random, or every document when sample is 0. It reports
// differences and fixes nothing.
func (m *Migration[T]) Verify(ctx context.Context, sample int) (*VerifyReport, error) {
	if err := m.validate(false); err != nil {
		return nil, err
	}
	if sample < 0 {
		return nil, fmt.Errorf("qe/migrate: Verify sample %d: use a number of documents, or 0 for all", sample)
	}
	if err := m.Target.Check(ctx, m.Spec); err != nil {
		return nil, err
	}
	r := &VerifyReport{}
	var err error
	if r.SourceCount, err = m.Source.Count(ctx); err != nil {
		return nil, fmt.Errorf("qe/migrate: counting %s: %w", m.Source.Namespace(), err)
	}
	if r.TargetCount, err = m.Target.Count(ctx); err != nil {
		return nil, fmt.Errorf("qe/migrate: counting %s: %w", m.Target.Namespace(), err)
	}
	v := &verifier[T]{m: m, r: r, lim: newLimiter(orDefault(m.ReadRate, DefaultReadRate), m.clockOrReal())}
	if sample > 0 {
		docs, err := m.Source.Sample(ctx, sample)
		if err != nil {
			return nil, fmt.Errorf("qe/migrate: sampling %s: %w", m.Source.Namespace(), err)
		}
		v.track = newTracker("verify", int64(len(docs)), 0, m.clockOrReal(), m.Progress)
		for start := 0; start < len(docs); start += m.batchSize() {
			if err := v.check(ctx, docs[start:min(start+m.batchSize(), len(docs))]); err != nil {
				return nil, err
			}
		}
	} else {
		v.track = newTracker("verify", r.SourceCount, 0, m.clockOrReal(), m.Progress)
		var after bson.RawValue
		for {
			batch, err := m.Source.Next(ctx, after, m.batchSize())
			if err != nil {
				return nil, fmt.Errorf("qe/migrate: reading %s: %w", m.Source.Namespace(), err)
			}
			if len(batch) == 0 {
				break
			}
			if err := v.check(ctx, batch); err != nil {
				return nil, err
			}
			after, _ = docID(batch[len(batch)-1])
		}
	}
	v.track.update(r.Checked, 0, 0, true)
	return r, nil
}

type verifier[T any] struct {
	m     *Migration[T]
	r     *VerifyReport
	lim   *limiter
	track *tracker
}

// check compares one batch of source documents with the target's.
func (v *verifier[T]) check(ctx context.Context, batch []bson.Raw) error {
	ids := make([]bson.RawValue, 0, len(batch))
	for _, doc := range batch {
		if id, err := docID(doc); err == nil {
			ids = append(ids, id)
		}
	}
	found, err := v.m.Target.Find(ctx, ids)
	if err != nil {
		return fmt.Errorf("qe/migrate: reading back from %s: %w", v.m.Target.Namespace(), err)
	}
	byID := make(map[string]bson.Raw, len(found))
	for _, doc := range found {
		if id, err := docID(doc); err == nil {
			byID[idKey(id)] = doc
		}
	}
	for _, doc := range batch {
		if err := v.lim.wait(ctx); err != nil {
			return err
		}
		v.r.Checked++
		v.compare(doc, byID)
		v.track.update(v.r.Checked, 0, 0, false)
	}
	return nil
}

func (v *verifier[T]) compare(doc bson.Raw, byID map[string]bson.Raw) {
	p, err := v.m.prepare(doc)
	var unfit *UnfitError
	if errors.As(err, &unfit) {
		v.r.Unfit++
		for _, problem := range unfit.Problems {
			v.r.add(Difference{ID: unfit.ID, Path: problem.Path, What: "does not fit the model, so it was not copied: " + problem.Reason})
		}
		return
	}
	got, ok := byID[idKey(p.id)]
	if !ok {
		v.r.Missing++
		v.r.add(Difference{ID: idText(p.id), What: "not in the target"})
		return
	}
	for _, d := range diffDocs(p.stored, got, safeContentOnly) {
		v.r.add(Difference{ID: idText(p.id), Path: d.path, What: d.describe(modelAndTarget)})
	}
}
