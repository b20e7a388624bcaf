// Migrate copies an existing collection into one of the example's
// encrypted collections (patients or appointments) with package
// qe/migrate: from plaintext, from a collection made by an older model,
// or from one made for MongoDB 8.2's text preview.
//
//	export MONGODB_URI='mongodb://localhost:27017/?replicaSet=rs0'
//	export QE_KEY_VAULT_NAMESPACE=medical_records.__keyVault QE_KMS_PROVIDER=local QE_LOCAL_KEY_FILE=local_master_key.bin
//	go run -tags cse ./example/migrate -from patients_plain -to patients -dry-run
//	go run -tags cse ./example/migrate -from patients_plain -to patients -verify all
//
// It reads the source with a client that does not encrypt, decrypting
// every encrypted value it finds with the key vault (so any of the three
// kinds of source works, without crypt_shared), creates the target with
// qe.CreateCollection if it is missing (refusing one that differs from
// the model), and writes through the generated repository in
// -mode explicit (any MongoDB) or auto (Enterprise or Atlas with
// crypt_shared). Progress is kept in the collection qegen_migrations: on
// Ctrl-C, or after any failure, run the same command again to resume.
// Progress goes to stderr (in place on a terminal), reports to stdout.
//
// Exit status: 0 done (and verified, with -verify), 1 stopped, refused or
// differences found, 2 usage.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the program, exit status included, so that tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	o, err := parseOptions(args, stderr)
	if err != nil {
		if err != errHelp {
			fmt.Fprintln(stderr, "migrate:", err)
		}
		return 2
	}
	if err := migrateExample(ctx, o, getenv, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "migrate:", err)
		return 1
	}
	return 0
}
