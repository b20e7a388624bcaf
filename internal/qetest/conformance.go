package qetest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/qegen/qegen/internal/offline"
	"github.com/qegen/qegen/qe"
	"github.com/qegen/qegen/schema"
)

// textPreviewRemoved is the libmongocrypt release that removed 8.2's text
// preview names (measured with 1.21.1; CHANGELOG 1.21.0).
var textPreviewRemoved = []int{1, 21, 0}

// CheckCollection proves with the linked libmongocrypt that explicit mode
// can use the collection, through the same code that runs in production:
// CreateCollection makes its data keys; EncryptedFieldsMap and
// Config.Connect give libmongocrypt its encryptedFieldsMap, which it must
// accept for an insert; every stored value is binData subtype 6 and
// decrypts back to itself; and every operator the typed filters offer on
// each field yields a query whose values are all payloads. For a
// collection made for 8.2's text preview on a libmongocrypt without those
// names, it checks instead that creating it fails with the versions.
func CheckCollection(t *testing.T, spec qe.CollectionSpec, server ...int) {
	t.Helper()
	e := New(t, server...)
	ctx := context.Background()
	fields := spec.EncryptedFields.Fields
	if usesTextPreview(fields) && !versionBefore(qe.LibmongocryptVersion(), textPreviewRemoved) {
		_, err := qe.CreateCollection(ctx, e.Plain.Database(Database), spec, e.Keys)
		if err == nil || !strings.Contains(err.Error(), "libmongocrypt "+qe.LibmongocryptVersion()) || !strings.Contains(err.Error(), "1.19.1 to 1.20.x") {
			t.Fatalf("CreateCollection for 8.2's text preview with libmongocrypt %s = %v, want an error naming the version found and the versions that work", qe.LibmongocryptVersion(), err)
		}
		return
	}
	e.Create(t, spec)
	checkCreated(t, e, spec, fields)
	coll := e.ExplicitClient(t, spec).Database(Database).Collection(spec.Name)
	x, err := qe.NewExplicit(qe.NewClientEncrypter(e.Encryption), Database, spec)
	if err != nil {
		t.Fatalf("NewExplicit: %v", err)
	}

	samples := make(map[string]sample, len(fields))
	doc := bson.D{}
	for _, f := range fields {
		s := sampleFor(f)
		samples[f.Path] = s
		doc = setPath(doc, strings.Split(f.Path, "."), s.value)
	}
	encrypted, err := x.Document(ctx, doc)
	if err != nil {
		t.Fatalf("encrypting a document: %v", err)
	}
	if _, err := coll.InsertOne(ctx, encrypted); err != nil {
		t.Fatalf("inserting through the explicit client: %v", err)
	}
	// libmongocrypt adds encryptionInformation, which the server needs
	// for indexed payloads, from the encryptedFieldsMap; unindexed
	// payloads need none.
	inserts := e.Deployment.Commands("insert")
	if indexed(fields) && inserts[len(inserts)-1].Body.Lookup("encryptionInformation").Type != bson.TypeEmbeddedDocument {
		t.Fatalf("libmongocrypt did not add encryptionInformation to the insert: it did not take the encryptedFieldsMap")
	}
	stored := e.Deployment.Documents(Namespace(spec))
	if len(stored) != 1 {
		t.Fatalf("%d documents stored, want 1", len(stored))
	}
	for _, f := range fields {
		checkCiphertext(t, e, stored[0], f.Path, samples[f.Path].value)
	}

	for _, f := range fields {
		for name, filter := range filtersFor(t, spec, f, samples[f.Path]) {
			t.Run(f.Path+"/"+name, func(t *testing.T) {
				checkQuery(t, e, coll, x, f, filter, samples[f.Path].value)
			})
		}
	}
}

// checkCreated checks that the collection was created once, after its
// metadata collections, with a key id per field.
func checkCreated(t *testing.T, e *Env, spec qe.CollectionSpec, fields []schema.Field) {
	t.Helper()
	creates := e.Deployment.Commands("create")
	var created []string
	for _, c := range creates {
		created = append(created, c.Namespace)
	}
	want := []string{Database + ".enxcol_." + spec.Name + ".esc", Database + ".enxcol_." + spec.Name + ".ecoc", Namespace(spec)}
	if strings.Join(created, " ") != strings.Join(want, " ") {
		t.Fatalf("created %q, want %q", created, want)
	}
	sent, err := creates[2].Body.LookupErr("encryptedFields", "fields")
	if err != nil {
		t.Fatalf("create sent no encryptedFields.fields: %v", err)
	}
	values, _ := sent.Array().Values()
	if len(values) != len(fields) {
		t.Fatalf("create sent %d fields, want %d", len(values), len(fields))
	}
	for _, v := range values {
		if subtype, _, ok := v.Document().Lookup("keyId").BinaryOK(); !ok || subtype != bson.TypeBinaryUUID {
			t.Errorf("create sent field %s without a UUID keyId", v.Document().Lookup("path"))
		}
	}
}

// checkCiphertext checks that path holds a payload that decrypts to want.
func checkCiphertext(t *testing.T, e *Env, doc bson.Raw, path string, want any) {
	t.Helper()
	v := doc.Lookup(strings.Split(path, ".")...)
	subtype, data, ok := v.BinaryOK()
	if !ok || subtype != 6 {
		t.Errorf("%s is stored as %s, want binData subtype 6", path, v.Type)
		return
	}
	plain, err := e.Encryption.Decrypt(context.Background(), bson.Binary{Subtype: subtype, Data: data})
	if err != nil {
		t.Errorf("decrypting %s: %v", path, err)
		return
	}
	if !sameValue(plain, want) {
		t.Errorf("%s decrypts to %s, want %v", path, plain, want)
	}
}

// checkQuery encrypts filter for explicit mode, sends it through the
// client, and checks what reached the wire and what came back.
func checkQuery(t *testing.T, e *Env, coll *mongo.Collection, x *qe.Explicit, f schema.Field, filter qe.Filter, want any) {
	ctx := context.Background()
	sent, err := x.Filter(ctx, filter)
	if err != nil {
		t.Fatalf("encrypting %v: %v", filter, err)
	}
	before := len(finds(e, coll.Database().Name()+"."+coll.Name()))
	var got []bson.Raw
	cursor, err := coll.Find(ctx, sent)
	if err == nil {
		err = cursor.All(ctx, &got)
	}
	if err != nil {
		t.Fatalf("find %v: %v", filter, err)
	}
	sentFinds := finds(e, coll.Database().Name()+"."+coll.Name())
	if len(sentFinds) != before+1 {
		t.Fatalf("%d find commands reached the deployment, want 1", len(sentFinds)-before)
	}
	cmd := sentFinds[len(sentFinds)-1].Body
	if hasPayload(cmd.Lookup("filter")) && cmd.Lookup("encryptionInformation").Type != bson.TypeEmbeddedDocument {
		t.Errorf("libmongocrypt did not add encryptionInformation to a find with payloads")
	}
	if leak := firstPlainValue(cmd.Lookup("filter"), ""); leak != "" {
		t.Errorf("the find for %v sent %s unencrypted", filter, leak)
	}
	// The deployment cannot evaluate payloads; whatever it returns must
	// come back decrypted.
	for _, doc := range got {
		if v := doc.Lookup(strings.Split(f.Path, ".")...); !sameValue(v, want) {
			t.Errorf("found %s = %s, want it decrypted to %v", f.Path, v, want)
		}
	}
}

func indexed(fields []schema.Field) bool {
	for _, f := range fields {
		if len(f.Queries) > 0 {
			return true
		}
	}
	return false
}

// finds are the find commands sent to namespace.
func finds(e *Env, namespace string) []offline.Command {
	var out []offline.Command
	for _, c := range e.Deployment.Commands("find") {
		if c.Namespace == namespace {
			out = append(out, c)
		}
	}
	return out
}

// hasPayload reports whether v holds an encrypted payload.
func hasPayload(v bson.RawValue) bool {
	switch v.Type {
	case bson.TypeEmbeddedDocument, bson.TypeArray:
		values, _ := bson.Raw(v.Value).Elements()
		for _, e := range values {
			if hasPayload(e.Value()) {
				return true
			}
		}
	case bson.TypeBinary:
		return IsCiphertext(v)
	}
	return false
}

// firstPlainValue describes the first value in a filter that is neither a
// payload (binData subtype 6) nor one that is plain by design: the
// argument of $exists and the "$path" input of a text search.
func firstPlainValue(v bson.RawValue, key string) string {
	switch v.Type {
	case bson.TypeEmbeddedDocument, bson.TypeArray:
		elems, _ := bson.Raw(v.Value).Elements()
		for _, e := range elems {
			k := e.Key()
			if v.Type == bson.TypeArray {
				k = key
			}
			if leak := firstPlainValue(e.Value(), k); leak != "" {
				return leak
			}
		}
		return ""
	case bson.TypeBinary:
		if subtype, _, _ := v.BinaryOK(); subtype == 6 {
			return ""
		}
	case bson.TypeBoolean:
		if key == "$exists" {
			return ""
		}
	case bson.TypeString:
		if key == "input" && strings.HasPrefix(v.StringValue(), "$") {
			return ""
		}
	}
	return fmt.Sprintf("%s: %s", key, v)
}

// sameValue compares a decrypted value with the Go value it came from.
func sameValue(got bson.RawValue, want any) bool {
	t, data, err := bson.MarshalValue(want)
	return err == nil && got.Type == t && bytes.Equal(got.Value, data)
}

// setPath sets the value at a dotted path in doc, creating documents on
// the way.
func setPath(doc bson.D, keys []string, value any) bson.D {
	for i, e := range doc {
		if e.Key == keys[0] {
			if len(keys) > 1 {
				inner, _ := e.Value.(bson.D)
				doc[i].Value = setPath(inner, keys[1:], value)
			}
			return doc
		}
	}
	if len(keys) == 1 {
		return append(doc, bson.E{Key: keys[0], Value: value})
	}
	return append(doc, bson.E{Key: keys[0], Value: setPath(bson.D{}, keys[1:], value)})
}

// versionBefore reports whether libmongocrypt version v is older than r.
func versionBefore(v string, r []int) bool {
	for i, part := range strings.SplitN(v, ".", 3) {
		var n int
		fmt.Sscanf(part, "%d", &n)
		if i >= len(r) || n != r[i] {
			return i < len(r) && n < r[i]
		}
	}
	return false
}
