package main

import (
	"fmt"
	"io"

	"github.com/qegen/qegen/qe/migrate"
)

// The reports name _ids, paths and counts; no value of a document.

func printDryRun(w io.Writer, r *migrate.DryRunReport) {
	if r.Target != nil {
		fmt.Fprintf(w, "target: %v\n", r.Target)
	}
	fmt.Fprintf(w, "read %d documents: %d would be copied, %d are in the target already, %d do not fit the model\n",
		r.Scanned, r.WouldCopy, r.InTarget, r.UnfitCount)
	for _, u := range r.Unfit {
		fmt.Fprintf(w, "  _id %s:\n", u.ID)
		for _, p := range u.Problems {
			fmt.Fprintf(w, "    %s\n", p)
		}
	}
	if n := r.UnfitCount - int64(len(r.Unfit)); n > 0 {
		fmt.Fprintf(w, "  and %d more\n", n)
	}
	printChanges(w, r.Changes)
}

func printChanges(w io.Writer, changes []migrate.Change) {
	if len(changes) == 0 {
		return
	}
	fmt.Fprintln(w, "conversions (no value is lost):")
	for _, c := range changes {
		fmt.Fprintf(w, "  %s: %s: %d documents\n", c.Path, c.What, c.Documents)
	}
}

func printRun(w io.Writer, r *migrate.Report) {
	fmt.Fprintln(w, r.Checkpoint)
	if r.SourceCount >= 0 {
		fmt.Fprintf(w, "source holds %d documents, target %d\n", r.SourceCount, r.TargetCount)
	}
	printChanges(w, r.Changes)
}

func printVerify(w io.Writer, r *migrate.VerifyReport) {
	fmt.Fprintf(w, "verify: source %d documents, target %d; %d compared, %d missing, %d did not fit, %d differences\n",
		r.SourceCount, r.TargetCount, r.Checked, r.Missing, r.Unfit, r.DifferenceCount)
	for _, d := range r.Differences {
		fmt.Fprintf(w, "  %s\n", d)
	}
	if n := r.DifferenceCount - int64(len(r.Differences)); n > 0 {
		fmt.Fprintf(w, "  and %d more\n", n)
	}
}
