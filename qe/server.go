package qe

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// minWireVersion is MongoDB 7.0, the first server with Queryable Encryption v2.
const minWireVersion = 21

// serverInfo is the part of the hello reply that decides QE support.
type serverInfo struct {
	MaxWireVersion int32  `bson:"maxWireVersion"`
	SetName        string `bson:"setName"`
	Msg            string `bson:"msg"` // "isdbgrid" on mongos
}

// CheckServer fails with a clear message unless the deployment behind
// client can hold encrypted collections: MongoDB 7.0 or later, on a replica
// set or a sharded cluster.
func CheckServer(ctx context.Context, client *mongo.Client) error {
	var info serverInfo
	if err := client.Database("admin").RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&info); err != nil {
		return fmt.Errorf("qe: asking the server for its version: %w", err)
	}
	return info.check()
}

func (info serverInfo) check() error {
	if info.MaxWireVersion < minWireVersion {
		return fmt.Errorf("qe: the server is older than MongoDB 7.0 (wire version %d, need %d): Queryable Encryption needs 7.0 or later", info.MaxWireVersion, minWireVersion)
	}
	if info.SetName == "" && info.Msg != "isdbgrid" {
		return fmt.Errorf("qe: the server is a standalone mongod: Queryable Encryption needs a replica set or a sharded cluster (a one-member replica set is enough for development)")
	}
	return nil
}
