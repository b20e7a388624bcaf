package templates

import (
	"go/types"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/qegen/qegen/generator"
)

// queryPrefixes are the functions generated per equality-queryable field.
var queryPrefixes = []string{"FindBy", "FindOneBy", "CountBy", "DeleteOneBy"}

// baseMethods every repository has, whatever its fields.
var baseMethods = []string{"Collection", "DeleteByID", "FindByID", "InsertMany", "InsertOne", "ReplaceByID"}

// checkRepositoryMethods type-checks the generated packages in dir and
// compares each repository's method set with the model: one set of query
// functions per equality field, taking the field's type, and nothing else.
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
			repo := pkg.Scope().Lookup(c.Names().Repository)
			if repo == nil {
				t.Errorf("%s: no %sRepository", f.PkgPath, c.GoName)
				continue
			}
			want := map[string]string{}
			for _, m := range baseMethods {
				want[m] = ""
			}
			for _, field := range c.Fields {
				if !field.Queryable("equality") {
					continue
				}
				for _, prefix := range queryPrefixes {
					want[prefix+field.GoName] = types.TypeString(field.ValueType, nil)
				}
			}
			got := map[string]string{}
			mset := types.NewMethodSet(types.NewPointer(repo.Type()))
			for i := range mset.Len() {
				fn := mset.At(i).Obj().(*types.Func)
				sig := fn.Type().(*types.Signature)
				got[fn.Name()] = ""
				if _, isBase := want[fn.Name()]; isBase && want[fn.Name()] == "" {
					continue
				}
				if sig.Params().Len() == 2 {
					got[fn.Name()] = types.TypeString(sig.Params().At(1).Type(), nil)
				}
			}
			if !equalMaps(want, got) {
				t.Errorf("%sRepository methods:\nwant %s\ngot  %s", c.GoName, describe(want), describe(got))
			}
		}
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
