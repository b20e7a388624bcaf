package qe

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/qegen/qegen/schema"
)

// serverInfo is what decides whether a deployment can hold a collection.
type serverInfo struct {
	Version []int  // major, minor, patch from buildInfo
	SetName string // replica set name from hello, "" when not in one
	Msg     string // "isdbgrid" on mongos
}

// CheckServer fails with a clear message unless the deployment behind
// client can hold encrypted collections: a replica set or a sharded
// cluster running at least minVersion (7.0 when zero) and, when maxVersion
// is set, older than it.
func CheckServer(ctx context.Context, client *mongo.Client, minVersion, maxVersion schema.Release) error {
	_, err := checkServer(ctx, client, minVersion, maxVersion)
	return err
}

// checkServer is CheckServer, also saying what the deployment is.
func checkServer(ctx context.Context, client *mongo.Client, minVersion, maxVersion schema.Release) (serverInfo, error) {
	admin := client.Database("admin")
	var hello struct {
		SetName string `bson:"setName"`
		Msg     string `bson:"msg"`
	}
	if err := admin.RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello); err != nil {
		return serverInfo{}, fmt.Errorf("qe: asking the server what it is: %w", err)
	}
	var build struct {
		VersionArray []int `bson:"versionArray"`
	}
	if err := admin.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&build); err != nil {
		return serverInfo{}, fmt.Errorf("qe: asking the server for its version: %w", err)
	}
	info := serverInfo{Version: build.VersionArray, SetName: hello.SetName, Msg: hello.Msg}
	return info, info.check(minVersion, maxVersion)
}

// sharded reports whether the deployment is a sharded cluster (mongos).
func (info serverInfo) sharded() bool { return info.Msg == "isdbgrid" }

func (info serverInfo) check(minVersion, maxVersion schema.Release) error {
	if minVersion.IsZero() {
		minVersion = schema.Release70
	}
	if len(info.Version) < 2 {
		return fmt.Errorf("qe: the server did not say its version (buildInfo.versionArray is %v)", info.Version)
	}
	have := schema.Release{Major: info.Version[0], Minor: info.Version[1]}
	if !have.AtLeast(minVersion) {
		return fmt.Errorf("qe: the server runs MongoDB %s, and this collection needs %s or later (Queryable Encryption needs 7.0; range queries 8.0; text queries 8.2 as a preview, 9.0)", have, minVersion)
	}
	if !maxVersion.IsZero() && have.AtLeast(maxVersion) {
		return fmt.Errorf("qe: the server runs MongoDB %s, and this collection was generated for releases before %s (8.2's preview names for text queries were removed in 9.0): regenerate with qegen -server 9.0", have, maxVersion)
	}
	if info.SetName == "" && info.Msg != "isdbgrid" {
		return fmt.Errorf("qe: the server is a standalone mongod: Queryable Encryption needs a replica set or a sharded cluster (a one-member replica set is enough for development)")
	}
	return nil
}
