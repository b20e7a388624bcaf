package generator

// Limits of the server's text search preview (8.2, soft) and GA (9.0, hard).
const (
	substringMinQueryLength = 2
	substringMaxQueryLength = 10
	substringMaxLength      = 60
	maxTagsPerField         = 84000
	// The server keeps the worst-case tag storage of a document, at 128
	// bytes a tag, within 16 MiB.
	maxTagsPerDocument = 16 << 20 / 128
)

// textOptions checks the options of prefix, suffix and substring queries.
// caseSensitive and diacriticSensitive default to true, as documented, and
// are always written, because the server requires them.
func (b *builder) textOptions(tag *Tag, bsonType, typeName string, fail func(string, ...any)) *TextOptions {
	if bsonType != "string" {
		fail("%s queries need a string field, but %s is stored as %s: use equality or encrypt", kindNames(tag.Kinds), typeName, bsonType)
		return nil
	}
	opts := &TextOptions{CaseSensitive: true, DiacriticSensitive: true}
	if o := tag.Option("caseSensitive"); o != nil {
		opts.CaseSensitive = o.Bool
	}
	if o := tag.Option("diacriticSensitive"); o != nil {
		opts.DiacriticSensitive = o.Bool
	}
	minO, maxO := tag.Option("strMinQueryLength"), tag.Option("strMaxQueryLength")
	if minO == nil || maxO == nil {
		fail("%s queries need strMinQueryLength and strMaxQueryLength: add e.g. strMinQueryLength=2,strMaxQueryLength=10, the shortest and longest strings you will search for", kindNames(tag.Kinds))
		return nil
	}
	lengths := []*TagOption{minO, maxO}
	lenO := tag.Option("strMaxLength")
	if lenO != nil {
		lengths = append(lengths, lenO)
	}
	for _, o := range lengths {
		if o.Int < 1 || o.Int > 1<<31-1 {
			fail("%s=%d: it must be 1 or more", o.Name, o.Int)
			return nil
		}
	}
	opts.StrMinQueryLength, opts.StrMaxQueryLength = int32(minO.Int), int32(maxO.Int)
	if minO.Int > maxO.Int {
		fail("strMinQueryLength=%d is above strMaxQueryLength=%d", minO.Int, maxO.Int)
		return nil
	}
	tags := int64(0)
	if tag.Has(KindSubstring) {
		if lenO == nil {
			fail("substring queries need strMaxLength, the longest value the field will hold: add e.g. strMaxLength=60")
			return nil
		}
		n := int32(lenO.Int)
		opts.StrMaxLength = &n
		switch {
		case maxO.Int > lenO.Int:
			fail("strMaxQueryLength=%d is above strMaxLength=%d", maxO.Int, lenO.Int)
			return nil
		case minO.Int < substringMinQueryLength || maxO.Int > substringMaxQueryLength || lenO.Int > substringMaxLength:
			fail("substring queries are limited to strMinQueryLength >= %d, strMaxQueryLength <= %d and strMaxLength <= %d (fixed in 9.0, a cluster parameter in 8.2)", substringMinQueryLength, substringMaxQueryLength, substringMaxLength)
			return nil
		}
		for j := minO.Int; j <= maxO.Int; j++ {
			tags += lenO.Int - j + 1
		}
	}
	for _, k := range tag.Kinds {
		if k == KindPrefix || k == KindSuffix {
			tags += maxO.Int - minO.Int + 1
		}
	}
	opts.Tags = tags + 1 // and one for the exact value
	if opts.Tags > maxTagsPerField {
		fail("these lengths let one value produce %d search tags, above the server's limit of %d per field: narrow strMinQueryLength..strMaxQueryLength", opts.Tags, maxTagsPerField)
		return nil
	}
	return opts
}

// checkTagStorage applies the server's limit on the search tags of all text
// fields of one document together.
func (b *builder) checkTagStorage(c *Collection) {
	total := int64(0)
	for _, f := range c.Fields {
		if len(f.Queries) > 0 && f.Queries[0].Text != nil {
			total += f.Queries[0].Text.Tags
			if total > maxTagsPerDocument {
				b.errs.add(f.Pos, "with this field, one document's text fields can produce %d search tags, above the server's limit of %d (16 MiB of tags): narrow the query lengths of its text fields", total, maxTagsPerDocument)
				return
			}
		}
	}
}
