package schematest

import (
	"os"
	"strings"
	"testing"
)

// TestProjectSchema checks docs/json-schema.json against the draft 2020-12 metaschema
// and that it compiles.
func TestProjectSchema(t *testing.T) {
	data, err := os.ReadFile("../../../docs/json-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(data); err != nil {
		t.Fatal(err)
	}
}

func TestCompileRejects(t *testing.T) {
	for name, schema := range map[string]string{
		"not JSON":             `{`,
		"type not a type":      `{"type": "integer-ish"}`,
		"minimum not a number": `{"minimum": "3"}`,
		"bad $ref":             `{"$ref": "#/$defs/missing"}`,
		"required not strings": `{"required": [1]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Compile([]byte(schema)); err == nil {
				t.Error("Compile succeeded, want an error")
			}
		})
	}
}

func TestValidate(t *testing.T) {
	s, err := Compile([]byte(`{
	  "$schema": "https://json-schema.org/draft/2020-12/schema",
	  "type": "object",
	  "required": ["kind", "n"],
	  "properties": {
	    "kind": {"const": "x"},
	    "n": {"type": "integer", "minimum": 0},
	    "at": {"type": "string", "format": "date-time"}
	  },
	  "additionalProperties": false
	}`))
	if err != nil {
		t.Fatal(err)
	}
	for doc, ok := range map[string]bool{
		`{"kind":"x","n":3}`:                             true,
		`{"kind":"x","n":3,"at":"2026-12-06T23:00:00Z"}`: true,
		`{"kind":"x","n":3,"at":"yesterday"}`:            false,
		`{"kind":"y","n":3}`:                             false,
		`{"kind":"x","n":-1}`:                            false,
		`{"kind":"x","n":1.5}`:                           false,
		`{"kind":"x"}`:                                   false,
		`{"kind":"x","n":1,"extra":true}`:                false,
		`{"kind":"x","n":1`:                              false,
	} {
		err := s.Validate([]byte(doc))
		if (err == nil) != ok {
			t.Errorf("Validate(%s) = %v, want ok %v", doc, err, ok)
		}
		if err != nil && !strings.Contains(err.Error(), "document") {
			t.Errorf("error %q does not say what failed", err)
		}
	}
}
