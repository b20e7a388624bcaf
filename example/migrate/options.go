package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/qegen/qegen/qe/migrate"
)

// settings are the command line, checked.
type settings struct {
	from, to, database, name string
	mode                     string // "explicit" or "auto"
	dryRun, restart          bool
	verify                   int // -1 none, 0 all, n a sample of n
	batch                    int
	rate, readRate           float64
}

var errHelp = errors.New("help requested")

func parseOptions(args []string, stderr io.Writer) (settings, error) {
	o := settings{verify: -1}
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.from, "from", "", "source collection (required)")
	fs.StringVar(&o.to, "to", "", "target: patients or appointments, the example's encrypted collections (required)")
	fs.StringVar(&o.database, "db", "medical_records", "database of both collections")
	fs.StringVar(&o.name, "name", "", "checkpoint name (default \"<source> -> <target>\")")
	fs.StringVar(&o.mode, "mode", "explicit", "explicit (qegen encrypts; any MongoDB) or auto (crypt_shared; Enterprise or Atlas)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "report what would be copied and what does not fit; write nothing")
	fs.BoolVar(&o.restart, "restart", false, "read the source from the start again (what the target holds is still skipped)")
	verify := fs.String("verify", "", "after copying, read back \"all\" documents or a sample of N, decrypted, and compare")
	fs.IntVar(&o.batch, "batch", migrate.DefaultBatchSize, "documents read per query and per checkpoint")
	rate := fs.String("rate", fmt.Sprint(migrate.DefaultRate), "most documents inserted per second, or \"inf\"")
	readRate := fs.String("read-rate", fmt.Sprint(migrate.DefaultReadRate), "most documents read per second by -dry-run and -verify, or \"inf\"")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, errHelp
		}
		return o, err
	}
	var errs []error
	if fs.NArg() > 0 {
		errs = append(errs, fmt.Errorf("unexpected arguments %q", fs.Args()))
	}
	if o.from == "" {
		errs = append(errs, errors.New("-from is required: the collection to copy"))
	}
	if o.to != "patients" && o.to != "appointments" {
		errs = append(errs, fmt.Errorf("-to %q: use patients or appointments", o.to))
	}
	if o.from == o.to && o.from != "" {
		errs = append(errs, fmt.Errorf("-from and -to are both %s: copy into a new collection (encrypted collections cannot change in place)", o.from))
	}
	if o.mode != "explicit" && o.mode != "auto" {
		errs = append(errs, fmt.Errorf("-mode %q: use explicit or auto", o.mode))
	}
	if o.batch < 1 {
		errs = append(errs, fmt.Errorf("-batch %d: use 1 or more", o.batch))
	}
	var err error
	if o.rate, err = parseRate("-rate", *rate); err != nil {
		errs = append(errs, err)
	}
	if o.readRate, err = parseRate("-read-rate", *readRate); err != nil {
		errs = append(errs, err)
	}
	switch *verify {
	case "":
	case "all":
		o.verify = 0
	default:
		n, err := strconv.Atoi(*verify)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("-verify %q: use all, or a number of documents to sample", *verify))
		}
		o.verify = n
	}
	if o.dryRun && (o.verify >= 0 || o.restart) {
		errs = append(errs, errors.New("-dry-run reads only: it takes neither -verify nor -restart"))
	}
	return o, errors.Join(errs...)
}

// parseRate reads documents per second: a positive number, or inf.
func parseRate(flagName, s string) (float64, error) {
	r, err := strconv.ParseFloat(s, 64)
	if err != nil || r <= 0 || math.IsNaN(r) {
		return 0, fmt.Errorf("%s %q: use documents per second, or inf", flagName, s)
	}
	return r, nil
}
