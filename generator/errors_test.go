package generator

import (
	"go/token"
	"testing"
)

func TestParsePosition(t *testing.T) {
	tests := map[string]token.Position{
		"/a/b.go:12:5":  {Filename: "/a/b.go", Line: 12, Column: 5},
		"/a/b.go:12":    {Filename: "/a/b.go", Line: 12},
		"C:/x/b.go:3:4": {Filename: "C:/x/b.go", Line: 3, Column: 4},
		"":              {},
		"no position":   {Filename: "no position"},
		"/a/b.go:x:5":   {Filename: "/a/b.go:x", Line: 5},
	}
	for in, want := range tests {
		if got := parsePosition(in); got != want {
			t.Errorf("parsePosition(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestRelativePath(t *testing.T) {
	tests := []struct{ dir, path, want string }{
		{"/work/m", "/work/m/a/b.go", "a/b.go"},
		{"/work/m", "/work/other/b.go", "/work/other/b.go"},
		{"/work/m", "/work", "/work"},
		{"/work/m", "rel/b.go", "rel/b.go"},
		{"/work/m", "", ""},
	}
	for _, tt := range tests {
		if got := RelativePath(tt.dir, tt.path); got != tt.want {
			t.Errorf("RelativePath(%q, %q) = %q, want %q", tt.dir, tt.path, got, tt.want)
		}
	}
}
