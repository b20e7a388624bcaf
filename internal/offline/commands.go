package offline

import (
	"bytes"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// handle records cmd and answers it.
func (d *Deployment) handle(cmd bson.D) bson.D {
	if len(cmd) == 0 {
		return commandError("empty command")
	}
	name := cmd[0].Key
	db, _ := lookup(cmd, "$db").(string)
	coll, _ := cmd[0].Value.(string)
	ns := db + "." + coll
	raw, err := bson.Marshal(cmd)
	if err != nil {
		return commandError("%v", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.commands = append(d.commands, Command{Name: name, Namespace: ns, Body: raw})
	if f, ok := d.failures[name]; ok && f.times > 0 {
		f.times--
		d.failures[name] = f
		return bson.D{{Key: "ok", Value: 0}, {Key: "code", Value: f.code}, {Key: "errmsg", Value: "offline deployment: failing " + name + " as asked"}}
	}

	switch name {
	case "hello", "isMaster", "ismaster":
		if d.Mongos {
			return bson.D{{Key: "isWritablePrimary", Value: true}, {Key: "msg", Value: "isdbgrid"},
				{Key: "maxWireVersion", Value: serverDescription.WireVersion.Max}, {Key: "ok", Value: 1}}
		}
		return bson.D{{Key: "isWritablePrimary", Value: true}, {Key: "setName", Value: serverDescription.SetName},
			{Key: "maxWireVersion", Value: serverDescription.WireVersion.Max}, {Key: "ok", Value: 1}}
	case "buildInfo", "buildinfo":
		parts := make([]string, len(d.Version))
		for i, v := range d.Version {
			parts[i] = fmt.Sprint(v)
		}
		return bson.D{{Key: "version", Value: strings.Join(parts, ".")}, {Key: "versionArray", Value: d.Version}, {Key: "ok", Value: 1}}
	case "ping", "endSessions", "killCursors", "createIndexes", "dropIndexes", "compactStructuredEncryptionData", "cleanupStructuredEncryptionData",
		"commitTransaction", "abortTransaction", "shardCollection", "enableSharding":
		return ok()
	case "create":
		opts, _ := bson.Marshal(cmd[1:])
		d.coll(ns).options = opts
		return ok()
	case "drop":
		delete(d.collections, ns)
		return ok()
	case "listCollections":
		return d.listCollections(db, cmd)
	case "insert":
		return d.insert(ns, cmd)
	case "find":
		return d.find(ns, cmd)
	case "aggregate":
		return d.aggregate(ns, cmd)
	case "delete":
		return d.delete(ns, cmd)
	case "update":
		return d.update(ns, cmd)
	case "findAndModify":
		return d.findAndModify(ns, cmd)
	}
	return commandError("unsupported command %q", name)
}

func ok(extra ...bson.E) bson.D { return append(bson.D{{Key: "ok", Value: 1}}, extra...) }

func cursor(ns string, docs []bson.Raw) bson.D {
	batch := bson.A{}
	for _, doc := range docs {
		batch = append(batch, doc)
	}
	return ok(bson.E{Key: "cursor", Value: bson.D{{Key: "id", Value: int64(0)}, {Key: "ns", Value: ns}, {Key: "firstBatch", Value: batch}}})
}

func (d *Deployment) listCollections(db string, cmd bson.D) bson.D {
	var filter bson.Raw
	if f, isDoc := lookup(cmd, "filter").(bson.D); isDoc {
		filter, _ = bson.Marshal(f)
	}
	var specs []bson.Raw
	for ns, c := range d.collections {
		name, found := strings.CutPrefix(ns, db+".")
		if !found || c.options == nil {
			continue
		}
		spec, _ := bson.Marshal(bson.D{{Key: "name", Value: name}, {Key: "type", Value: "collection"}, {Key: "options", Value: c.options}})
		if match, _ := matches(spec, filter); match {
			specs = append(specs, spec)
		}
	}
	return cursor(db+".$cmd.listCollections", specs)
}

// insert stores the documents in order and, as the server's unique _id
// index does, refuses one whose _id is stored already (and those after it).
func (d *Deployment) insert(ns string, cmd bson.D) bson.D {
	docs, _ := lookup(cmd, "documents").(bson.A)
	c := d.coll(ns)
	for i, doc := range docs {
		raw, err := toRaw(doc)
		if err != nil {
			return commandError("insert: %v", err)
		}
		if id := raw.Lookup("_id"); id.Type != 0 && c.holds(id) {
			return ok(bson.E{Key: "n", Value: i}, bson.E{Key: "writeErrors", Value: bson.A{bson.D{
				{Key: "index", Value: int32(i)}, {Key: "code", Value: int32(11000)},
				{Key: "errmsg", Value: "offline deployment: E11000 duplicate key error collection: " + ns + " index: _id_"},
			}}})
		}
		c.docs = append(c.docs, raw)
	}
	return ok(bson.E{Key: "n", Value: len(docs)})
}

// holds reports whether a document with this _id is stored.
func (c *collection) holds(id bson.RawValue) bool {
	for _, doc := range c.docs {
		if doc.Lookup("_id").Equal(id) {
			return true
		}
	}
	return false
}

// selected returns the indexes of the documents of ns that filter matches,
// at most limit of them when limit > 0.
func (d *Deployment) selected(ns string, filter any, limit int64) ([]int, error) {
	f, err := toRaw(filter)
	if err != nil {
		return nil, err
	}
	var out []int
	for i, doc := range d.coll(ns).docs {
		match, err := matches(doc, f)
		if err != nil {
			return nil, err
		}
		if match {
			out = append(out, i)
			if limit > 0 && int64(len(out)) == limit {
				break
			}
		}
	}
	return out, nil
}

// find answers with the matching documents in one batch, in stored order
// or sorted by top-level keys, then skipped and limited.
func (d *Deployment) find(ns string, cmd bson.D) bson.D {
	limit, _ := asInt(lookup(cmd, "limit"))
	skip, _ := asInt(lookup(cmd, "skip"))
	sortBy, _ := lookup(cmd, "sort").(bson.D)
	selectLimit := limit
	if len(sortBy) > 0 || skip > 0 {
		selectLimit = 0 // sort and skip first, then limit
	}
	idx, err := d.selected(ns, lookup(cmd, "filter"), selectLimit)
	if err != nil {
		return commandError("find: %v", err)
	}
	docs := make([]bson.Raw, len(idx))
	for i, j := range idx {
		docs[i] = d.coll(ns).docs[j]
	}
	if len(sortBy) > 0 && !sortByKeys(docs, sortBy) {
		keys := make([]string, len(sortBy))
		for i, k := range sortBy {
			keys[i] = k.Key
		}
		return commandError("find: cannot sort by %s: values of several types, or of a type it does not order", strings.Join(keys, ", "))
	}
	docs = docs[min(skip, int64(len(docs))):]
	if limit > 0 && int64(len(docs)) > limit {
		docs = docs[:limit]
	}
	if d.FirstBatch > 0 && len(docs) > d.FirstBatch {
		batch := bson.A{}
		for _, doc := range docs[:d.FirstBatch] {
			batch = append(batch, doc)
		}
		return ok(bson.E{Key: "cursor", Value: bson.D{{Key: "id", Value: int64(1)}, {Key: "ns", Value: ns}, {Key: "firstBatch", Value: batch}}})
	}
	return cursor(ns, docs)
}

// aggregate answers the pipeline CountDocuments sends:
// [{$match: f}, ({$skip}, {$limit},) {$group: {_id: 1, n: {$sum: 1}}}].
func (d *Deployment) aggregate(ns string, cmd bson.D) bson.D {
	pipeline, _ := lookup(cmd, "pipeline").(bson.A)
	var filter any
	for _, stage := range pipeline {
		s, _ := stage.(bson.D)
		if len(s) != 1 {
			return commandError("aggregate: unsupported stage %v", stage)
		}
		switch s[0].Key {
		case "$match":
			filter = s[0].Value
		case "$group":
		default:
			return commandError("aggregate: unsupported stage %s", s[0].Key)
		}
	}
	idx, err := d.selected(ns, filter, 0)
	if err != nil {
		return commandError("aggregate: %v", err)
	}
	if len(idx) == 0 {
		return cursor(ns, nil)
	}
	n, _ := bson.Marshal(bson.D{{Key: "_id", Value: 1}, {Key: "n", Value: int32(len(idx))}})
	return cursor(ns, []bson.Raw{n})
}

func (d *Deployment) delete(ns string, cmd bson.D) bson.D {
	deletes, _ := lookup(cmd, "deletes").(bson.A)
	removed := 0
	for _, del := range deletes {
		spec := asD(del)
		limit, _ := asInt(lookup(spec, "limit"))
		idx, err := d.selected(ns, lookup(spec, "q"), limit)
		if err != nil {
			return commandError("delete: %v", err)
		}
		c := d.coll(ns)
		for i := len(idx) - 1; i >= 0; i-- {
			c.docs = append(c.docs[:idx[i]], c.docs[idx[i]+1:]...)
		}
		removed += len(idx)
	}
	return ok(bson.E{Key: "n", Value: removed})
}

// update counts the documents each statement matches and changes none
// (tests look at what was sent), except that a replacement document
// replaces the one matched, or with upsert is inserted (see replace.go).
func (d *Deployment) update(ns string, cmd bson.D) bson.D {
	updates, _ := lookup(cmd, "updates").(bson.A)
	n := 0
	var upserted bson.A
	for i, u := range updates {
		spec := asD(u)
		limit := int64(1)
		if multi, _ := lookup(spec, "multi").(bool); multi {
			limit = 0
		}
		idx, err := d.selected(ns, lookup(spec, "q"), limit)
		if err != nil {
			return commandError("update: %v", err)
		}
		n += len(idx)
		id, err := d.replace(ns, spec, idx)
		if err != nil {
			return commandError("update: %v", err)
		}
		if id != nil {
			upserted = append(upserted, bson.D{{Key: "index", Value: int32(i)}, {Key: "_id", Value: id}})
		}
	}
	reply := ok(bson.E{Key: "n", Value: n + len(upserted)}, bson.E{Key: "nModified", Value: n})
	if len(upserted) > 0 {
		reply = append(reply, bson.E{Key: "upserted", Value: upserted})
	}
	return reply
}

// findAndModify returns the document before the change and changes none.
func (d *Deployment) findAndModify(ns string, cmd bson.D) bson.D {
	idx, err := d.selected(ns, lookup(cmd, "query"), 1)
	if err != nil {
		return commandError("findAndModify: %v", err)
	}
	if len(idx) == 0 {
		return ok(bson.E{Key: "value", Value: nil})
	}
	return ok(bson.E{Key: "value", Value: d.coll(ns).docs[idx[0]]})
}

func lookup(d bson.D, key string) any {
	for _, e := range d {
		if e.Key == key {
			return e.Value
		}
	}
	return nil
}

// asD reads a statement, which arrives as bson.D in the command body or
// as bson.Raw in a document sequence.
func asD(v any) bson.D {
	switch v := v.(type) {
	case bson.D:
		return v
	case bson.Raw:
		var d bson.D
		if bson.Unmarshal(v, &d) == nil {
			return d
		}
	}
	return nil
}

func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case float64:
		return int64(n), true
	}
	return 0, false
}

func toRaw(v any) (bson.Raw, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case bson.Raw:
		return v, nil
	}
	return bson.Marshal(v)
}

// matches evaluates the filters the driver and libmongocrypt send for key
// lookups ({_id: x}, {keyAltNames: {$in: [...]}}, $or, $and, $exists) and
// plain equality. A condition it cannot evaluate, such as a comparison
// with an encrypted payload or an $expr, counts as matching: ciphertext
// cannot be compared without the server's tokens.
func matches(doc, filter bson.Raw) (bool, error) {
	if len(filter) == 0 {
		return true, nil
	}
	elems, err := filter.Elements()
	if err != nil {
		return false, err
	}
	for _, e := range elems {
		key, v := e.Key(), e.Value()
		var match bool
		switch key {
		case "$or", "$and", "$nor":
			list, err := v.Array().Values()
			if err != nil {
				return false, err
			}
			some, all := false, true
			for _, item := range list {
				m, err := matches(doc, item.Document())
				if err != nil {
					return false, err
				}
				some, all = some || m, all && m
			}
			match = map[string]bool{"$or": some, "$and": all, "$nor": !some}[key]
		case "$expr":
			match = true
		default:
			match, err = matchField(doc.Lookup(strings.Split(key, ".")...), v)
			if err != nil {
				return false, err
			}
		}
		if !match {
			return false, nil
		}
	}
	return true, nil
}

func matchField(have, cond bson.RawValue) (bool, error) {
	if isPayload(cond) {
		return true, nil
	}
	ops, isDoc := cond.DocumentOK()
	if !isDoc {
		return equal(have, cond), nil
	}
	elems, err := ops.Elements()
	if err != nil || len(elems) == 0 || !strings.HasPrefix(elems[0].Key(), "$") {
		return equal(have, cond), nil
	}
	for _, op := range elems {
		v := op.Value()
		var match bool
		switch op.Key() {
		case "$eq":
			match = isPayload(v) || equal(have, v)
		case "$ne":
			match = isPayload(v) || !equal(have, v)
		case "$in", "$nin":
			values, err := v.Array().Values()
			if err != nil {
				return false, err
			}
			for _, item := range values {
				match = match || isPayload(item) || equal(have, item)
			}
			if op.Key() == "$nin" {
				match = !match
			}
		case "$exists":
			match = (have.Type != 0) == v.Boolean()
		case "$gt", "$gte", "$lt", "$lte":
			match = isPayload(v) || compareOp(op.Key(), have, v)
		default:
			match = true // $gt, $not, ... on encrypted payloads: cannot tell
		}
		if !match {
			return false, nil
		}
	}
	return true, nil
}

// isPayload reports whether v is an encrypted value (binData subtype 6).
func isPayload(v bson.RawValue) bool {
	subtype, _, ok := v.BinaryOK()
	return ok && subtype == 6
}

// equal compares like the server for scalars, and matches an array
// element as the server does for {array: value}.
func equal(have, want bson.RawValue) bool {
	if have.Type == bson.TypeArray && want.Type != bson.TypeArray {
		values, _ := have.Array().Values()
		for _, item := range values {
			if equal(item, want) {
				return true
			}
		}
		return false
	}
	return have.Type == want.Type && bytes.Equal(have.Value, want.Value)
}
