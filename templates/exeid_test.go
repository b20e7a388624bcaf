package templates

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExecutableIDIsTheBuildID reads the build ID of this test binary as
// the go command does, so a checkout build's render cache changes exactly
// when the binary does.
func TestExecutableIDIsTheBuildID(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "tool", "buildid", exe).Output()
	if err != nil {
		t.Fatalf("go tool buildid: %v", err)
	}
	want := "buildid " + strings.TrimSpace(string(out))
	if got := executableID(); got != want {
		t.Errorf("executableID() = %q, want %q", got, want)
	}
}

func TestGoBuildID(t *testing.T) {
	const id = "wuKawt1MtbAIcPb1wFfV/OWoa72jPnl9R8-d6WMsF/5MkDYKMrmR-_Qa22_WXH/ycS2uTSsRxTKmitB-9Qt"
	elfNote := func(id string) []byte {
		n := len(id)
		note := []byte{4, 0, 0, 0, byte(n), byte(n >> 8), 0, 0, 4, 0, 0, 0, 'G', 'o', 0, 0}
		return append(note, id...)
	}
	for _, tc := range []struct {
		name string
		head []byte
		want string
	}{
		{"ELF note", append(append([]byte("\x7fELF padding"), elfNote(id)...), 0, 0), id},
		{"ELF note after a look-alike", append(append([]byte("\x7fELF\x09\x00\x00\x00\x04\x00\x00\x00Go\x00\x00"), elfNote(id)...), 0), id},
		{"text segment", []byte("MZ....\xff Go build ID: \"" + id + "\"\n \xff"), id},
		{"set by hand", []byte("MZ....\xff Go build ID: \"v1\"\n \xff"), ""},
		{"unterminated", []byte("MZ....\xff Go build ID: \"" + id), ""},
		{"ELF note cut short", elfNote(id)[:40], ""},
		{"none", []byte("#!/bin/sh\necho qegen\n"), ""},
	} {
		if got := goBuildID(tc.head); got != tc.want {
			t.Errorf("%s: goBuildID = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestBinaryIDHashesWithoutBuildID: a binary without a usable build ID is
// identified by its content, never by nothing.
func TestBinaryIDHashesWithoutBuildID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qegen")
	content := []byte("MZ....\xff Go build ID: \"v1\"\n \xff and the rest of a binary")
	if err := os.WriteFile(path, content, 0o755); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	if got, want := binaryID(path), "sha256 "+hex.EncodeToString(sum[:]); got != want {
		t.Errorf("binaryID = %q, want %q", got, want)
	}
	if got := binaryID(filepath.Join(t.TempDir(), "missing")); got != "" {
		t.Errorf("binaryID of a missing file = %q, want \"\"", got)
	}
}
