// Package schematest checks netstat-go's JSON documents against docs/json-schema.json
// with github.com/santhosh-tekuri/jsonschema/v6, a complete draft 2020-12 validator
// (formats asserted). Only tests import it.
package schematest

import (
	"bytes"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema is a compiled schema.
type Schema struct {
	s *jsonschema.Schema
}

// schemaURL names the schema inside the compiler; its own $id refers to it too.
const schemaURL = "file:///netstat-go/json-schema.json"

// Compile checks the draft 2020-12 schema data against the draft 2020-12
// metaschema and compiles it.
func Compile(data []byte) (*Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	meta, err := c.Compile("https://json-schema.org/draft/2020-12/schema")
	if err != nil {
		return nil, fmt.Errorf("the draft 2020-12 metaschema: %w", err)
	}
	if err := meta.Validate(doc); err != nil {
		return nil, fmt.Errorf("schema against the draft 2020-12 metaschema: %w", err)
	}
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("compile schema: %w", err)
	}
	return &Schema{s}, nil
}

// Validate checks one JSON document against the schema.
func (s *Schema) Validate(doc []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("document: %w", err)
	}
	if err := s.s.Validate(v); err != nil {
		return fmt.Errorf("document against the schema: %w", err)
	}
	return nil
}
