package example

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Appointment is one visit of a patient. It goes beyond the tutorial with
// range and text queries on encrypted fields, which MongoDB serves from 8.0
// (range) and 9.0 (text), hence the server directive. (8.2 served text
// queries as a preview under other names, which libmongocrypt 1.21 and
// later refuse.)
//
//qegen:collection appointments
//qegen:server 9.0
type Appointment struct {
	ID        bson.ObjectID `bson:"_id,omitempty"`
	PatientID int64         `bson:"patient_id"`
	// PatientName is searchable by prefix and by suffix, ignoring case.
	PatientName string `bson:"patient_name" qe:"prefix,suffix,strMinQueryLength=2,strMaxQueryLength=20,caseSensitive=false,diacriticSensitive=false"`
	// Reason is searchable by any part of 3 to 10 characters.
	Reason string `bson:"reason" qe:"substring,strMinQueryLength=3,strMaxQueryLength=10,strMaxLength=60,caseSensitive=false"`
	// At is queryable by date range, to the millisecond.
	At time.Time `bson:"at" qe:"range,min=2000-01-01T00:00:00Z,max=2100-01-01T00:00:00Z"`
	// Fee is queryable by amount, to the cent.
	Fee bson.Decimal128 `bson:"fee" qe:"range,min=0,max=100000.00,precision=2"`
}
