package qe

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
)

// Every way a Go program commonly prints or serialises a value (fmt verbs
// on values and pointers, encoding/json, log/slog) shows a KMS provider by
// its String: the provider and its master key's location, never a
// credential. The methods are on values, so that pointers have them too.

func redactedFormat(f fmt.State, s string)  { io.WriteString(f, s) }
func redactedJSON(s string) ([]byte, error) { return json.Marshal(s) }
func redactedLog(s string) slog.Value       { return slog.StringValue(s) }

// Format implements fmt.Formatter for every verb.
func (k LocalKMS) Format(f fmt.State, _ rune) { redactedFormat(f, k.String()) }

// GoString keeps %#v from printing the key.
func (k LocalKMS) GoString() string { return k.String() }

// MarshalJSON writes the provider without its key.
func (k LocalKMS) MarshalJSON() ([]byte, error) { return redactedJSON(k.String()) }

// LogValue implements slog.LogValuer.
func (k LocalKMS) LogValue() slog.Value { return redactedLog(k.String()) }

// Format implements fmt.Formatter for every verb.
func (k AWSKMS) Format(f fmt.State, _ rune) { redactedFormat(f, k.String()) }

// GoString keeps %#v from printing the credentials.
func (k AWSKMS) GoString() string { return k.String() }

// MarshalJSON writes the provider without its credentials.
func (k AWSKMS) MarshalJSON() ([]byte, error) { return redactedJSON(k.String()) }

// LogValue implements slog.LogValuer.
func (k AWSKMS) LogValue() slog.Value { return redactedLog(k.String()) }

// Format implements fmt.Formatter for every verb.
func (k AzureKMS) Format(f fmt.State, _ rune) { redactedFormat(f, k.String()) }

// GoString keeps %#v from printing the credentials.
func (k AzureKMS) GoString() string { return k.String() }

// MarshalJSON writes the provider without its credentials.
func (k AzureKMS) MarshalJSON() ([]byte, error) { return redactedJSON(k.String()) }

// LogValue implements slog.LogValuer.
func (k AzureKMS) LogValue() slog.Value { return redactedLog(k.String()) }

// Format implements fmt.Formatter for every verb.
func (k GCPKMS) Format(f fmt.State, _ rune) { redactedFormat(f, k.String()) }

// GoString keeps %#v from printing the credentials.
func (k GCPKMS) GoString() string { return k.String() }

// MarshalJSON writes the provider without its credentials.
func (k GCPKMS) MarshalJSON() ([]byte, error) { return redactedJSON(k.String()) }

// LogValue implements slog.LogValuer.
func (k GCPKMS) LogValue() slog.Value { return redactedLog(k.String()) }

// Format implements fmt.Formatter for every verb.
func (k KMIPKMS) Format(f fmt.State, _ rune) { redactedFormat(f, k.String()) }

// GoString keeps %#v from printing the credentials.
func (k KMIPKMS) GoString() string { return k.String() }

// MarshalJSON writes the provider without its credentials.
func (k KMIPKMS) MarshalJSON() ([]byte, error) { return redactedJSON(k.String()) }

// LogValue implements slog.LogValuer.
func (k KMIPKMS) LogValue() slog.Value { return redactedLog(k.String()) }
