package migrate

import (
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Checkpoint is how far a migration got. It holds _id values and counts,
// never a document's other values: _id is never encrypted.
type Checkpoint struct {
	// Name identifies the migration; by default "<source> -> <target>".
	Name string `bson:"_id"`
	// Source and Target are the namespaces it was made for; a checkpoint
	// is never applied to another pair.
	Source string `bson:"source"`
	Target string `bson:"target"`
	// After is the _id of the last source document done (copied, or
	// found in the target); zero before the first. The next run reads the
	// documents after it.
	After bson.RawValue `bson:"after,omitempty"`
	// Copied counts the documents this migration inserted, Skipped those
	// it found in the target already, since it started (or restarted).
	Copied  int64 `bson:"copied"`
	Skipped int64 `bson:"skipped"`
	// Done is set when a run read the whole source and counted as many
	// documents as the source holds.
	Done    bool      `bson:"done"`
	Updated time.Time `bson:"updated"`
}

// Seen counts the source documents done: copied or skipped.
func (c Checkpoint) Seen() int64 { return c.Copied + c.Skipped }

func (c Checkpoint) String() string {
	after := "the start"
	if c.After.Type != 0 {
		after = "_id " + idText(c.After)
	}
	return fmt.Sprintf("%s: %d copied, %d already in the target, up to %s", c.Name, c.Copied, c.Skipped, after)
}
