// Package example is the medical-records model of the Django MongoDB Backend
// Queryable Encryption tutorial, in Go: patients whose SSN is encrypted and
// equality-queryable, and whose billing details are encrypted whole.
package example

import (
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

//go:generate go tool qegen

// Patient is one document of the patients collection.
//
//qegen:collection patients
type Patient struct {
	ID            bson.ObjectID `bson:"_id,omitempty"`
	PatientName   string        `bson:"patient_name"`
	PatientID     int64         `bson:"patient_id"`
	PatientRecord PatientRecord `bson:"patient_record"`
}

// String prints what the tutorial prints, and nothing that is encrypted.
func (p Patient) String() string {
	return fmt.Sprintf("%s (%d)", p.PatientName, p.PatientID)
}

// PatientRecord is a patient's medical record, embedded in Patient.
type PatientRecord struct {
	// SSN is encrypted; the server can still find a patient by it.
	SSN string `bson:"ssn" qe:"equality"`
	// Billing is encrypted as a whole document and cannot be queried.
	Billing    Billing         `bson:"billing" qe:"encrypt"`
	BillAmount bson.Decimal128 `bson:"bill_amount"`
}

// Billing holds a patient's payment card.
type Billing struct {
	CCType   string `bson:"cc_type"`
	CCNumber string `bson:"cc_number"`
}
