package templates

import (
	"go/types"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/qegen/qegen/generator"
	"github.com/qegen/qegen/internal/fieldtypes"
	"github.com/qegen/qegen/schema"
)

// checkRepositoryMethods type-checks the generated packages in dir and
// compares them with the model: each repository has exactly the common
// methods; XWhere has exactly the filterable fields, each of the qe type
// that offers only the comparisons the server supports on it.
func checkRepositoryMethods(t *testing.T, dir string, model *generator.Model) {
	t.Helper()
	pkgs, err := packages.Load(&packages.Config{Dir: dir, Mode: packages.NeedTypes | packages.NeedName}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*types.Package{}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Fatalf("%s: %v", p.PkgPath, p.Errors)
		}
		byPath[p.PkgPath] = p.Types
	}
	for _, f := range model.Files {
		pkg := byPath[f.PkgPath]
		for _, c := range f.Collections {
			checkMethods(t, pkg, c)
			checkWhere(t, pkg, c)
		}
	}
}

func checkMethods(t *testing.T, pkg *types.Package, c *generator.Collection) {
	repo := pkg.Scope().Lookup(c.Names.Repository)
	if repo == nil {
		t.Errorf("%s: no %s", pkg.Path(), c.Names.Repository)
		return
	}
	want := map[string]string{}
	for _, m := range generator.RepositoryMethods {
		want[m] = "" // signature not checked
	}
	got := map[string]string{}
	mset := types.NewMethodSet(types.NewPointer(repo.Type()))
	for i := range mset.Len() {
		fn := mset.At(i).Obj().(*types.Func)
		if !fn.Exported() {
			continue
		}
		got[fn.Name()] = ""
		if want[fn.Name()] == "" {
			continue
		}
		params := fn.Type().(*types.Signature).Params()
		got[fn.Name()] = types.TypeString(params.At(params.Len()-1).Type(), nil)
	}
	if !equalMaps(want, got) {
		t.Errorf("%s methods:\nwant %s\ngot  %s", c.Names.Repository, describe(want), describe(got))
	}
}

// checkWhere compares the generated filter fields with what the server
// can answer on each encrypted field, read from its encryptedFields.
func checkWhere(t *testing.T, pkg *types.Package, c *generator.Collection) {
	fields := pkg.Scope().Lookup(c.Names.Fields)
	if fields == nil {
		t.Errorf("%s: no %s", pkg.Path(), c.Names.Fields)
		return
	}
	st := fields.Type().Underlying().(*types.Struct)
	got := map[string]string{}
	for i := range st.NumFields() {
		var named *types.Named
		if ptr, ok := st.Field(i).Type().(*types.Pointer); ok {
			named, _ = types.Unalias(ptr.Elem()).(*types.Named)
		}
		if named == nil {
			t.Errorf("%s.%s is %s, want a pointer to a qe field type", c.Names.Fields, st.Field(i).Name(), st.Field(i).Type())
			continue
		}
		name := named.Obj().Name()
		if generic, ok := twinOf[name]; ok {
			name = generic
		}
		got[st.Field(i).Name()] = name
	}
	want := map[string]string{}
	if c.ImplicitID != "" {
		want[c.ImplicitID] = "OrderedField" // the ObjectID the driver assigns
	}
	for _, f := range c.Fields {
		switch s := f.Schema; {
		case f.Filter == "":
			// generated code cannot name the field's type
		case s == nil:
			want[f.GoName] = plainFieldType(f)
		case len(s.Queries) == 0:
			want[f.GoName] = "EncryptedField"
		case s.Has(schema.Range):
			want[f.GoName] = "RangeField"
		case s.Has(schema.Equality):
			want[f.GoName] = "EqualityField"
		case s.Has(schema.Prefix) && s.Has(schema.Suffix):
			want[f.GoName] = "PrefixSuffixField"
		case s.Has(schema.Prefix):
			want[f.GoName] = "PrefixField"
		case s.Has(schema.Suffix):
			want[f.GoName] = "SuffixField"
		case s.Has(schema.Substring):
			want[f.GoName] = "SubstringField"
		}
	}
	if !equalMaps(want, got) {
		t.Errorf("%s fields:\nwant %s\ngot  %s", c.Names.Fields, describe(want), describe(got))
	}
	for _, f := range c.Fields {
		if f.Twin == "" {
			continue
		}
		field, _, _ := types.LookupFieldOrMethod(fields.Type(), false, pkg, f.GoName)
		if v, ok := field.(*types.Var); !ok || types.TypeString(v.Type(), nil) != "*github.com/qegen/qegen/qe."+f.Twin {
			t.Errorf("%s.%s is %v, want *qe.%s", c.Names.Fields, f.GoName, field, f.Twin)
		}
	}
}

// twinOf maps each of qe's twins (EqualityString) to its generic type
// (EqualityField).
var twinOf = func() map[string]string {
	m := map[string]string{}
	for _, twins := range fieldtypes.All {
		for _, v := range twins.Values {
			m[fieldtypes.Name(twins.Generic, v)] = twins.Generic
		}
	}
	return m
}()

// plainFieldType is what a field stored in clear offers, by the BSON type
// the driver writes for it.
func plainFieldType(f *generator.Field) string {
	switch f.BSONType {
	case schema.String:
		t := f.Declared
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if b, ok := t.(*types.Basic); ok && b.Kind() == types.String {
			return "StringField"
		}
		return "OrderedField"
	case schema.Int, schema.Long, schema.Double, schema.Decimal:
		return "NumberField"
	case schema.Date, schema.ObjectID, schema.Timestamp:
		return "OrderedField"
	case schema.Array:
		return "ArrayField"
	}
	return "PlainField"
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func describe(m map[string]string) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, strings.TrimSpace(k+" "+v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

func sortedNames(m map[string][]byte) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
