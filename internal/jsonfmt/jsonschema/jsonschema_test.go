package jsonschema

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	const schema = `{
	  "$schema": "https://json-schema.org/draft/2020-12/schema",
	  "$defs": {
	    "u64": {"type": "integer", "minimum": 0, "maximum": 18446744073709551615},
	    "item": {"type": "object", "properties": {"a": {"$ref": "#/$defs/u64"}, "b": {"type": ["string", "null"]}},
	             "required": ["a"], "additionalProperties": false, "dependentRequired": {"b": ["a"]}},
	    "k": {"oneOf": [{"type": "object", "properties": {"kind": {"const": "x"}}, "required": ["kind"]},
	                    {"type": "object", "properties": {"kind": {"enum": ["y", "z"]}}, "required": ["kind"]}]}
	  },
	  "type": "object",
	  "properties": {
	    "items": {"type": "array", "items": {"$ref": "#/$defs/item"}, "minItems": 1, "maxItems": 2},
	    "k": {"$ref": "#/$defs/k"},
	    "any": {"anyOf": [{"type": "string"}, {"type": "boolean"}]},
	    "all": {"allOf": [{"type": "integer"}, {"minimum": 3}]},
	    "free": {"type": "object", "additionalProperties": {"type": "integer"}}
	  },
	  "additionalProperties": false
	}`
	s, err := Compile([]byte(schema))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, doc string
		problems  []string // substrings, one per expected problem; none: valid
	}{
		{"valid", `{"items":[{"a":0,"b":null},{"a":18446744073709551615}],"k":{"kind":"y"},"any":true,"all":3,"free":{"x":1}}`, nil},
		{"uint64 overflow", `{"items":[{"a":18446744073709551616}]}`, []string{"/items/0/a: 18446744073709551616 is above the maximum"}},
		{"negative", `{"items":[{"a":-1}]}`, []string{"below the minimum"}},
		{"not integer", `{"items":[{"a":1.5}]}`, []string{"/items/0/a: type number"}},
		{"integral float", `{"items":[{"a":2.0}]}`, nil},
		{"missing", `{"items":[{"b":"x"}]}`, []string{`field "b" needs field "a"`, `missing required field "a"`}},
		{"extra", `{"items":[{"a":1,"c":2}]}`, []string{`unexpected field "c"`}},
		{"top extra", `{"x":1}`, []string{`/: unexpected field "x"`}},
		{"wrong type", `{"items":{}}`, []string{"/items: type object, want array"}},
		{"too few", `{"items":[]}`, []string{"0 items, want at least 1"}},
		{"too many", `{"items":[{"a":1},{"a":1},{"a":1}]}`, []string{"3 items, want at most 2"}},
		{"oneOf none", `{"k":{"kind":"w"}}`, []string{"matches 0 of oneOf"}},
		{"anyOf none", `{"any":1}`, []string{"matches none of anyOf"}},
		{"allOf", `{"all":2}`, []string{"below the minimum 3"}},
		{"additional schema", `{"free":{"x":"1"}}`, []string{"/free/x: type string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Validate([]byte(tt.doc))
			if len(tt.problems) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			if len(ve.Problems) != len(tt.problems) {
				t.Fatalf("problems = %q, want %d", ve.Problems, len(tt.problems))
			}
			for i, want := range tt.problems {
				if !strings.Contains(ve.Problems[i], want) {
					t.Errorf("problem %d = %q, want it to contain %q", i, ve.Problems[i], want)
				}
			}
		})
	}
}

func TestCompileRejects(t *testing.T) {
	for name, schema := range map[string]string{
		"unknown keyword": `{"pattern": "^a"}`,
		"nested unknown":  `{"properties": {"a": {"format": "ipv4"}}}`,
		"bad ref":         `{"$ref": "#/$defs/none"}`,
		"remote ref":      `{"$ref": "other.json"}`,
		"not a schema":    `{"items": 3}`,
		"trailing":        `{} {}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Compile([]byte(schema)); err == nil {
				t.Error("Compile succeeded, want an error")
			}
		})
	}
}

func TestValidateBadJSON(t *testing.T) {
	s, err := Compile([]byte(`true`))
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{``, `{`, `{} x`, `{"a":1,}`} {
		if err := s.Validate([]byte(doc)); err == nil {
			t.Errorf("Validate(%q) = nil, want a decoding error", doc)
		}
	}
}

// TestProjectSchemaCompiles checks that docs/json-schema.json uses only what this
// package implements.
func TestProjectSchemaCompiles(t *testing.T) {
	data, err := os.ReadFile("../../../docs/json-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(data); err != nil {
		t.Fatal(err)
	}
}
