package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// collectionsPerFile keeps synthetic files at a realistic size.
const collectionsPerFile = 10

// editedFile is the model file every edit changes.
const editedFile = "models000.go"

// writeSynthetic writes a package of n collection structs into dir: 20
// stored fields each (12 at the top, 8 in a nested struct), 7 of them
// encrypted with equality, range and encrypt-only kinds.
func writeSynthetic(dir string, n int) error {
	for file := 0; file*collectionsPerFile < n; file++ {
		var b strings.Builder
		b.WriteString("package models\n\n// revision 0\n\nimport (\n\t\"time\"\n\n\t\"go.mongodb.org/mongo-driver/v2/bson\"\n)\n")
		for i := file * collectionsPerFile; i < min(n, (file+1)*collectionsPerFile); i++ {
			fmt.Fprintf(&b, syntheticCollection, i)
		}
		name := filepath.Join(dir, fmt.Sprintf("models%03d.go", file))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

var (
	// plainKey is the document key of the first plain field of C0.
	plainKey = regexp.MustCompile(`bson:"s2[^"]*"`)
	// revision is a comment that changes nothing but the file's bytes.
	revision = regexp.MustCompile(`(?m)^// revision \d+$`)
)

// renameKey gives the first plain field of collection 0 a document key
// it never had before, as a user editing a model does: the generated code
// changes, what was generated before still compiles, and no build cache
// has seen the file.
func renameKey(pkgDir string, k int) error {
	return rewrite(filepath.Join(pkgDir, editedFile), plainKey, fmt.Sprintf(`bson:"s2e%d"`, k))
}

// touch changes a comment of the package, so that the go command builds
// the package again and nothing else.
func touch(pkgDir string, k int) error {
	return rewrite(filepath.Join(pkgDir, editedFile), revision, fmt.Sprintf("// revision %d", k))
}

func rewrite(path string, re *regexp.Regexp, repl string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	loc := re.FindIndex(src)
	if loc == nil {
		return fmt.Errorf("%s: nothing matches %s", path, re)
	}
	out := append(append(append([]byte(nil), src[:loc[0]]...), repl...), src[loc[1]:]...)
	return os.WriteFile(path, out, 0o644)
}

// syntheticCollection is one collection; %[1]d is its number.
const syntheticCollection = `
// C%[1]d is synthetic collection %[1]d.
//
//qegen:collection c%[1]d
type C%[1]d struct {
	ID     bson.ObjectID   ` + "`bson:\"_id,omitempty\"`" + `
	S1     string          ` + "`bson:\"s1\" qe:\"equality\"`" + `
	S2     string          ` + "`bson:\"s2\"`" + `
	N1     int64           ` + "`bson:\"n1\" qe:\"equality\"`" + `
	N2     int32           ` + "`bson:\"n2\" qe:\"range,min=0,max=1000\"`" + `
	N3     int64           ` + "`bson:\"n3\"`" + `
	T1     time.Time       ` + "`bson:\"t1\" qe:\"range,min=2000-01-01T00:00:00Z,max=2100-01-01T00:00:00Z\"`" + `
	T2     time.Time       ` + "`bson:\"t2\"`" + `
	B1     bool            ` + "`bson:\"b1\"`" + `
	F1     float64         ` + "`bson:\"f1\"`" + `
	D1     bson.Decimal128 ` + "`bson:\"d1\" qe:\"encrypt\"`" + `
	Tags   []string        ` + "`bson:\"tags,omitempty\"`" + `
	Nested C%[1]dNested     ` + "`bson:\"nested\"`" + `
}

// C%[1]dNested is embedded in C%[1]d.
type C%[1]dNested struct {
	A string    ` + "`bson:\"a\" qe:\"equality\"`" + `
	B string    ` + "`bson:\"b\"`" + `
	C int64     ` + "`bson:\"c\" qe:\"encrypt\"`" + `
	D int32     ` + "`bson:\"d\"`" + `
	E string    ` + "`bson:\"e\"`" + `
	F bool      ` + "`bson:\"f\"`" + `
	G time.Time ` + "`bson:\"g\"`" + `
	H string    ` + "`bson:\"h\"`" + `
}
`
