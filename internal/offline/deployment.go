// Package offline lets tests drive the real MongoDB Go driver, and through
// it the real libmongocrypt, without a MongoDB server.
//
// A Deployment is plugged into a client with the driver's "deployment"
// option (see Deployment.Client). It answers the commands the driver sends from
// memory and records each one as it reached the wire, that is after
// libmongocrypt has encrypted it. It is NOT a MongoDB server: it evaluates
// only simple filters (the key vault lookups that libmongocrypt and
// package qe make, equality, $in, $exists, and $gt/$gte/$lt/$lte on plain
// values of one type), sorts a find by its keys, applies replacements but
// no update operators, treats every condition on an encrypted payload as
// matching, and validates nothing the server would (encryptedFields,
// payloads, indexes, unique _id). Tests
// built on it prove what the driver and libmongocrypt produce and accept;
// only a real server proves that the server accepts it.
package offline

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/address"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/description"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/mnet"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/xoptions"
)

// Deployment is an in-memory stand-in for a one-member replica set.
type Deployment struct {
	// Version is what buildInfo reports, e.g. []int{8, 2, 0}.
	Version []int
	// Mongos makes hello answer as a mongos of a sharded cluster does.
	Mongos bool
	// FirstBatch, when set, makes a find that matches more documents
	// answer with only that many and an open cursor, for tests of a
	// cursor that fails midway (Fail("getMore", ...)): there is no
	// getMore to fetch the rest.
	FirstBatch int

	mu          sync.Mutex
	collections map[string]*collection // by namespace
	commands    []Command
	failures    map[string]failure // by command name
}

// failure is an error reply a command gets, a number of times.
type failure struct {
	code  int32
	times int
}

// Command is one command as the deployment received it.
type Command struct {
	Name      string // the command's first key, e.g. "insert"
	Namespace string // database.collection, or database. for database commands
	Body      bson.Raw
}

type collection struct {
	options bson.Raw // as given to create
	docs    []bson.Raw
}

// New returns an empty deployment that reports MongoDB version.
func New(version ...int) *Deployment {
	if len(version) == 0 {
		version = []int{8, 2, 0}
	}
	return &Deployment{Version: version, collections: map[string]*collection{}}
}

// Client returns a client without encryption whose commands go to d.
func (d *Deployment) Client() (*mongo.Client, error) {
	return mongo.Connect(d.ClientOptions())
}

// TestClient is Client for a test: a failure ends it, and the client is
// disconnected when it is done.
func (d *Deployment) TestClient(t testing.TB) *mongo.Client {
	t.Helper()
	client, err := d.Client()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Disconnect(context.Background()) })
	return client
}

// ClientOptions are client options whose commands go to d; add
// auto-encryption options and connect with them.
func (d *Deployment) ClientOptions() *options.ClientOptions {
	opts := options.Client()
	// Only fails for a value that is not a driver.Deployment.
	_ = xoptions.SetInternalClientOptions(opts, "deployment", d)
	return opts
}

// Commands returns the commands received so far named name ("" for all).
func (d *Deployment) Commands(name string) []Command {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []Command
	for _, c := range d.commands {
		if name == "" || c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// Fail makes the next times commands named name fail with the server
// error code, as a server would answer them.
func (d *Deployment) Fail(name string, code int32, times int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.failures == nil {
		d.failures = map[string]failure{}
	}
	d.failures[name] = failure{code: code, times: times}
}

// Documents returns the documents stored in namespace, as stored.
func (d *Deployment) Documents(namespace string) []bson.Raw {
	d.mu.Lock()
	defer d.mu.Unlock()
	if c := d.collections[namespace]; c != nil {
		return append([]bson.Raw(nil), c.docs...)
	}
	return nil
}

// Store puts documents into namespace as they are, e.g. to be found.
func (d *Deployment) Store(namespace string, docs ...bson.Raw) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.coll(namespace).docs = append(d.coll(namespace).docs, docs...)
}

// Clear forgets the documents of namespace.
func (d *Deployment) Clear(namespace string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.collections, namespace)
}

func (d *Deployment) coll(ns string) *collection {
	c := d.collections[ns]
	if c == nil {
		c = &collection{}
		d.collections[ns] = c
	}
	return c
}

var sessionTimeoutMinutes int64 = 30

// description is a replica set primary speaking the driver's newest wire
// version (server 8.2 is 27; the driver knows up to 29 in v2.10).
var serverDescription = description.Server{
	Addr:                  address.Address("offline:27017"),
	CanonicalAddr:         address.Address("offline:27017"),
	Kind:                  description.ServerKindRSPrimary,
	MaxDocumentSize:       16 << 20,
	MaxMessageSize:        48000000,
	MaxBatchCount:         100000,
	SessionTimeoutMinutes: &sessionTimeoutMinutes,
	SetName:               "offline",
	WireVersion:           &description.VersionRange{Min: 0, Max: 27},
}

// SelectServer implements driver.Deployment.
func (d *Deployment) SelectServer(context.Context, description.ServerSelector) (driver.Server, error) {
	return d, nil
}

// Kind implements driver.Deployment.
func (d *Deployment) Kind() description.TopologyKind {
	return description.TopologyKindReplicaSetWithPrimary
}

// GetServerSelectionTimeout implements driver.Deployment.
func (d *Deployment) GetServerSelectionTimeout() time.Duration { return 0 }

// Connection implements driver.Server: every call gets its own connection,
// since the driver looks up keys on one while a command waits on another.
func (d *Deployment) Connection(context.Context) (*mnet.Connection, error) {
	return mnet.NewConnection(&conn{d: d}), nil
}

// RTTMonitor implements driver.Server.
func (d *Deployment) RTTMonitor() driver.RTTMonitor { return rtt{} }

// Connect implements driver.Connector.
func (d *Deployment) Connect() error { return nil }

// Disconnect implements driver.Disconnector.
func (d *Deployment) Disconnect(context.Context) error { return nil }

// Subscribe implements driver.Subscriber, so that the client uses sessions
// as it would with a replica set.
func (d *Deployment) Subscribe() (*driver.Subscription, error) {
	updates := make(chan description.Topology, 1)
	updates <- description.Topology{SessionTimeoutMinutes: &sessionTimeoutMinutes}
	return &driver.Subscription{Updates: updates}, nil
}

// Unsubscribe implements driver.Subscriber.
func (d *Deployment) Unsubscribe(*driver.Subscription) error { return nil }

type rtt struct{}

func (rtt) EWMA() time.Duration { return 0 }
func (rtt) Min() time.Duration  { return 0 }
func (rtt) Stats() string       { return "offline" }

// commandError is the reply to a command the deployment cannot answer.
func commandError(format string, args ...any) bson.D {
	return bson.D{{Key: "ok", Value: 0}, {Key: "code", Value: 59}, {Key: "codeName", Value: "CommandNotFound"},
		{Key: "errmsg", Value: "offline deployment: " + fmt.Sprintf(format, args...)}}
}
