package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLocalKeyCreatedPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	first, err := localKey(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %v, want 0600", perm)
	}
	again, err := localKey(path)
	if err != nil || string(again.Key) != string(first.Key) {
		t.Errorf("second run did not reuse the key: %v", err)
	}
}

func TestRunNeedsURI(t *testing.T) {
	t.Setenv("MONGODB_URI", "")
	if err := run("auto", "unused", ""); err == nil || !strings.Contains(err.Error(), "MONGODB_URI") {
		t.Errorf("run without MONGODB_URI = %v", err)
	}
	t.Setenv("MONGODB_URI", "mongodb://127.0.0.1:1")
	if err := run("sideways", "unused", ""); err == nil || !strings.Contains(err.Error(), `-mode "sideways"`) {
		t.Errorf("run with a bad mode = %v", err)
	}
}
