package qe

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// serverInfo is what decides whether a deployment can hold a collection.
type serverInfo struct {
	Version []int  // major, minor, patch from buildInfo
	SetName string // replica set name from hello, "" when not in one
	Msg     string // "isdbgrid" on mongos
}

// CheckServer fails with a clear message unless the deployment behind
// client can hold encrypted collections: a replica set or a sharded cluster
// running at least minVersion ("7.0", "8.0", ...) and, when maxVersion is
// not empty, older than maxVersion.
func CheckServer(ctx context.Context, client *mongo.Client, minVersion, maxVersion string) error {
	admin := client.Database("admin")
	var hello struct {
		SetName string `bson:"setName"`
		Msg     string `bson:"msg"`
	}
	if err := admin.RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello); err != nil {
		return fmt.Errorf("qe: asking the server what it is: %w", err)
	}
	var build struct {
		VersionArray []int `bson:"versionArray"`
	}
	if err := admin.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&build); err != nil {
		return fmt.Errorf("qe: asking the server for its version: %w", err)
	}
	return serverInfo{Version: build.VersionArray, SetName: hello.SetName, Msg: hello.Msg}.check(minVersion, maxVersion)
}

func (info serverInfo) check(minVersion, maxVersion string) error {
	if minVersion == "" {
		minVersion = "7.0"
	}
	lowest, err := parseVersion(minVersion)
	if err != nil {
		return err
	}
	have := "unknown"
	if len(info.Version) >= 2 {
		have = fmt.Sprintf("%d.%d", info.Version[0], info.Version[1])
	}
	if compareVersion(info.Version, lowest) < 0 {
		return fmt.Errorf("qe: the server runs MongoDB %s, and this collection needs %s or later (Queryable Encryption needs 7.0; range queries 8.0; text queries 8.2)", have, minVersion)
	}
	if maxVersion != "" {
		highest, err := parseVersion(maxVersion)
		if err != nil {
			return err
		}
		if compareVersion(info.Version, highest) >= 0 {
			return fmt.Errorf("qe: the server runs MongoDB %s, and this collection was generated for releases before %s (8.2's preview names for text queries were removed in 9.0): regenerate with qegen -server 9.0", have, maxVersion)
		}
	}
	if info.SetName == "" && info.Msg != "isdbgrid" {
		return fmt.Errorf("qe: the server is a standalone mongod: Queryable Encryption needs a replica set or a sharded cluster (a one-member replica set is enough for development)")
	}
	return nil
}

func parseVersion(v string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(v, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, fmt.Errorf("qe: bad server version %q", v)
		}
		out = append(out, n)
	}
	return out, nil
}

// compareVersion compares two versions part by part; missing parts are 0.
func compareVersion(a, b []int) int {
	for i := range max(len(a), len(b)) {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
