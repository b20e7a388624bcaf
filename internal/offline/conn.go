package offline

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/address"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/description"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/wiremessage"
)

// conn answers each OP_MSG written to it with the reply read next.
type conn struct {
	d     *Deployment
	reply []byte
}

func (c *conn) Write(_ context.Context, wm []byte) error {
	requestID, cmd, err := readOpMsg(wm)
	if err != nil {
		return err
	}
	reply, err := bson.Marshal(c.d.handle(cmd))
	if err != nil {
		return err
	}
	idx, dst := wiremessage.AppendHeaderStart(nil, wiremessage.NextRequestID(), requestID, wiremessage.OpMsg)
	dst = wiremessage.AppendMsgFlags(dst, 0)
	dst = wiremessage.AppendMsgSectionType(dst, wiremessage.SingleDocument)
	dst = append(dst, reply...)
	c.reply = bsoncore.UpdateLength(dst, idx, int32(len(dst[idx:])))
	return nil
}

func (c *conn) Read(context.Context) ([]byte, error) {
	if c.reply == nil {
		return nil, errors.New("offline: read without a command")
	}
	r := c.reply
	c.reply = nil
	return r, nil
}

func (c *conn) Close() error                    { return nil }
func (c *conn) Description() description.Server { return serverDescription }
func (c *conn) ID() string                      { return "offline" }
func (c *conn) ServerConnectionID() *int64      { id := int64(1); return &id }
func (c *conn) DriverConnectionID() int64       { return 1 }
func (c *conn) Address() address.Address        { return serverDescription.Addr }
func (c *conn) Stale() bool                     { return false }
func (c *conn) OIDCTokenGenID() uint64          { return 0 }
func (c *conn) SetOIDCTokenGenID(uint64)        {}

// readOpMsg returns the request id and the command of an OP_MSG, with
// document sequences (such as insert's documents) folded into the body as
// arrays, which is what they stand for.
func readOpMsg(wm []byte) (int32, bson.D, error) {
	_, requestID, _, opcode, rem, ok := wiremessage.ReadHeader(wm)
	if !ok || opcode != wiremessage.OpMsg {
		return 0, nil, fmt.Errorf("offline: not an OP_MSG (opcode %v)", opcode)
	}
	flags, rem, ok := wiremessage.ReadMsgFlags(rem)
	if !ok {
		return 0, nil, errors.New("offline: malformed OP_MSG flags")
	}
	if flags&wiremessage.ChecksumPresent != 0 {
		rem = rem[:len(rem)-4]
	}
	var body bson.D
	var sequences bson.D
	for len(rem) > 0 {
		var stype wiremessage.SectionType
		stype, rem, ok = wiremessage.ReadMsgSectionType(rem)
		if !ok {
			return 0, nil, errors.New("offline: malformed OP_MSG section")
		}
		switch stype {
		case wiremessage.SingleDocument:
			var doc bsoncore.Document
			if doc, rem, ok = wiremessage.ReadMsgSectionSingleDocument(rem); !ok {
				return 0, nil, errors.New("offline: malformed OP_MSG body")
			}
			if err := bson.Unmarshal(doc, &body); err != nil {
				return 0, nil, err
			}
		case wiremessage.DocumentSequence:
			var id string
			var docs []bsoncore.Document
			if id, docs, rem, ok = wiremessage.ReadMsgSectionDocumentSequence(rem); !ok {
				return 0, nil, errors.New("offline: malformed OP_MSG document sequence")
			}
			arr := bson.A{}
			for _, doc := range docs {
				// The driver reuses its buffer for the next message.
				arr = append(arr, bson.Raw(append([]byte(nil), doc...)))
			}
			sequences = append(sequences, bson.E{Key: id, Value: arr})
		default:
			return 0, nil, fmt.Errorf("offline: unknown OP_MSG section type %d", stype)
		}
	}
	return requestID, append(body, sequences...), nil
}
