package templates

import (
	"go/types"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/qegen/qegen/generator"
)

// checkRepositoryMethods type-checks the generated packages in dir and
// compares them with the model: each repository has exactly the common
// methods plus the query functions of its queryable fields, taking the
// field's type; XWhere has exactly the filterable fields, each of the qe
// type that offers only the comparisons the server supports on it.
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
	repo := pkg.Scope().Lookup(c.Names().Repository)
	if repo == nil {
		t.Errorf("%s: no %s", pkg.Path(), c.Names().Repository)
		return
	}
	want := map[string]string{}
	for _, m := range generator.RepositoryMethods {
		want[m] = "" // signature not checked
	}
	for _, field := range c.Fields {
		for _, name := range field.FinderNames() {
			param := types.TypeString(field.ValueType, nil)
			if field.Queries[0].Text != nil {
				param = "string"
			}
			want[name] = param
		}
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
		t.Errorf("%s methods:\nwant %s\ngot  %s", c.Names().Repository, describe(want), describe(got))
	}
}

func checkWhere(t *testing.T, pkg *types.Package, c *generator.Collection) {
	where := pkg.Scope().Lookup(c.Names().Where)
	if where == nil {
		t.Errorf("%s: no %s", pkg.Path(), c.Names().Where)
		return
	}
	st := where.Type().Underlying().(*types.Struct)
	got := map[string]string{}
	for i := range st.NumFields() {
		named := st.Field(i).Type().(*types.Named)
		got[st.Field(i).Name()] = named.Obj().Name()
	}
	want := map[string]string{}
	for _, f := range c.All {
		switch {
		case !f.Encrypted:
			want[f.GoName] = "PlainField"
		case f.Queryable("range"):
			want[f.GoName] = "RangeField"
		case f.Queryable("equality"):
			want[f.GoName] = "EqualityField"
		case len(f.Queries) == 2:
			want[f.GoName] = "PrefixSuffixField"
		case len(f.Queries) == 1:
			want[f.GoName] = map[generator.Kind]string{"prefix": "PrefixField", "suffix": "SuffixField", "substring": "SubstringField"}[f.Queries[0].Kind]
		}
	}
	if !equalMaps(want, got) {
		t.Errorf("%s fields:\nwant %s\ngot  %s", c.Names().Where, describe(want), describe(got))
	}
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
