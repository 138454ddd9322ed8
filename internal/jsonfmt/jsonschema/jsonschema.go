// Package jsonschema validates JSON documents against a JSON Schema (draft 2020-12)
// that uses only the keywords netstat-go's schema needs. Compile rejects any other
// keyword, so a schema this package accepts means to a full validator exactly what it
// means here.
//
// Supported: the annotations $schema, $id, $comment, title and description; $defs and
// $ref to a JSON pointer within the document; type, enum, const; properties, required,
// additionalProperties, dependentRequired; items, minItems, maxItems; minimum,
// maximum; allOf, anyOf, oneOf. Numbers are compared exactly (uint64 counters near
// 2^64 included).
package jsonschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// Schema is a compiled schema.
type Schema struct {
	root any
}

// keywords are the keywords Compile accepts, with whether their value holds schemas:
// "one" a schema, "list" an array of schemas, "map" an object of schemas.
var keywords = map[string]string{
	"$schema": "", "$id": "", "$comment": "", "title": "", "description": "",
	"$defs": "map", "$ref": "", "type": "", "enum": "", "const": "",
	"properties": "map", "required": "", "additionalProperties": "one",
	"dependentRequired": "", "items": "one", "minItems": "", "maxItems": "",
	"minimum": "", "maximum": "", "allOf": "list", "anyOf": "list", "oneOf": "list",
}

// Compile parses a schema and checks that it uses only supported keywords and that
// every $ref resolves.
func Compile(data []byte) (*Schema, error) {
	root, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	s := &Schema{root: root}
	if err := s.check(root, "#"); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Schema) check(node any, at string) error {
	switch n := node.(type) {
	case bool:
		return nil
	case map[string]any:
		for k, v := range n {
			kind, ok := keywords[k]
			if !ok {
				return fmt.Errorf("schema %s: unsupported keyword %q", at, k)
			}
			where := at + "/" + k
			switch kind {
			case "one":
				if err := s.check(v, where); err != nil {
					return err
				}
			case "list":
				list, ok := v.([]any)
				if !ok {
					return fmt.Errorf("schema %s: want an array", where)
				}
				for i, sub := range list {
					if err := s.check(sub, where+"/"+strconv.Itoa(i)); err != nil {
						return err
					}
				}
			case "map":
				m, ok := v.(map[string]any)
				if !ok {
					return fmt.Errorf("schema %s: want an object", where)
				}
				for name, sub := range m {
					if err := s.check(sub, where+"/"+name); err != nil {
						return err
					}
				}
			}
		}
		if ref, ok := n["$ref"]; ok {
			r, ok := ref.(string)
			if !ok {
				return fmt.Errorf("schema %s/$ref: want a string", at)
			}
			if _, err := s.resolve(r); err != nil {
				return fmt.Errorf("schema %s: %w", at, err)
			}
		}
		return nil
	}
	return fmt.Errorf("schema %s: a schema must be an object or a boolean", at)
}

// resolve follows a "#/a/b" reference within the schema document.
func (s *Schema) resolve(ref string) (any, error) {
	if ref != "#" && !strings.HasPrefix(ref, "#/") {
		return nil, fmt.Errorf("unsupported $ref %q (only #/... pointers)", ref)
	}
	node := s.root
	if ref == "#" {
		return node, nil
	}
	for _, tok := range strings.Split(ref[2:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := node.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q does not resolve", ref)
		}
		if node, ok = m[tok]; !ok {
			return nil, fmt.Errorf("$ref %q does not resolve", ref)
		}
	}
	return node, nil
}

// decode parses one JSON value with numbers kept exact, rejecting trailing data.
func decode(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data[d.InputOffset():])) > 0 {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

// ValidationError lists where a document breaks the schema.
type ValidationError struct {
	Problems []string // "<instance pointer>: <message>", sorted
}

func (e *ValidationError) Error() string {
	const show = 10
	p := e.Problems
	more := ""
	if len(p) > show {
		more = fmt.Sprintf("\n(and %d more)", len(p)-show)
		p = p[:show]
	}
	return "document does not match the schema:\n" + strings.Join(p, "\n") + more
}

// Validate checks one JSON document against the schema. It returns a decoding error,
// a *ValidationError, or nil.
func (s *Schema) Validate(doc []byte) error {
	v, err := decode(doc)
	if err != nil {
		return err
	}
	var probs []string
	s.validate(s.root, v, "", &probs)
	if len(probs) == 0 {
		return nil
	}
	sort.Strings(probs)
	return &ValidationError{Problems: probs}
}

func (s *Schema) validate(schema, v any, at string, probs *[]string) {
	fail := func(format string, args ...any) {
		loc := at
		if loc == "" {
			loc = "/"
		}
		*probs = append(*probs, loc+": "+fmt.Sprintf(format, args...))
	}
	switch sc := schema.(type) {
	case bool:
		if !sc {
			fail("no value is allowed here")
		}
		return
	case map[string]any:
		if ref, ok := sc["$ref"].(string); ok {
			target, _ := s.resolve(ref) // checked by Compile
			s.validate(target, v, at, probs)
		}
		if t, ok := sc["type"]; ok && !typeMatches(t, v) {
			fail("type %s, want %v", typeName(v), t)
			return
		}
		if c, ok := sc["const"]; ok && !equal(c, v) {
			fail("value %s, want %s", short(v), short(c))
		}
		if e, ok := sc["enum"].([]any); ok {
			found := false
			for _, x := range e {
				found = found || equal(x, v)
			}
			if !found {
				fail("value %s is not one of the enum", short(v))
			}
		}
		if n, ok := v.(json.Number); ok {
			if m, ok := sc["minimum"].(json.Number); ok && compare(n, m) < 0 {
				fail("%s is below the minimum %s", n, m)
			}
			if m, ok := sc["maximum"].(json.Number); ok && compare(n, m) > 0 {
				fail("%s is above the maximum %s", n, m)
			}
		}
		if obj, ok := v.(map[string]any); ok {
			s.validateObject(sc, obj, at, probs, fail)
		}
		if arr, ok := v.([]any); ok {
			if m, ok := sc["minItems"].(json.Number); ok && compare(json.Number(strconv.Itoa(len(arr))), m) < 0 {
				fail("%d items, want at least %s", len(arr), m)
			}
			if m, ok := sc["maxItems"].(json.Number); ok && compare(json.Number(strconv.Itoa(len(arr))), m) > 0 {
				fail("%d items, want at most %s", len(arr), m)
			}
			if items, ok := sc["items"]; ok {
				for i, x := range arr {
					s.validate(items, x, at+"/"+strconv.Itoa(i), probs)
				}
			}
		}
		if list, ok := sc["allOf"].([]any); ok {
			for _, sub := range list {
				s.validate(sub, v, at, probs)
			}
		}
		if list, ok := sc["anyOf"].([]any); ok && s.matching(list, v, at) == 0 {
			fail("matches none of anyOf")
		}
		if list, ok := sc["oneOf"].([]any); ok {
			if n := s.matching(list, v, at); n != 1 {
				fail("matches %d of oneOf's %d schemas, want exactly one%s", n, len(list), s.closest(list, v, at))
			}
		}
	}
}

func (s *Schema) validateObject(sc map[string]any, obj map[string]any, at string, probs *[]string, fail func(string, ...any)) {
	if req, ok := sc["required"].([]any); ok {
		for _, r := range req {
			if name, _ := r.(string); name != "" {
				if _, ok := obj[name]; !ok {
					fail("missing required field %q", name)
				}
			}
		}
	}
	if dep, ok := sc["dependentRequired"].(map[string]any); ok {
		for name, list := range dep {
			if _, ok := obj[name]; !ok {
				continue
			}
			others, _ := list.([]any)
			for _, o := range others {
				if other, _ := o.(string); other != "" {
					if _, ok := obj[other]; !ok {
						fail("field %q needs field %q", name, other)
					}
				}
			}
		}
	}
	props, _ := sc["properties"].(map[string]any)
	additional, hasAdditional := sc["additionalProperties"]
	for _, name := range sortedKeys(obj) {
		where := at + "/" + strings.ReplaceAll(strings.ReplaceAll(name, "~", "~0"), "/", "~1")
		if p, ok := props[name]; ok {
			s.validate(p, obj[name], where, probs)
			continue
		}
		if hasAdditional {
			if b, ok := additional.(bool); ok && !b {
				fail("unexpected field %q", name)
				continue
			}
			s.validate(additional, obj[name], where, probs)
		}
	}
}

// matching counts the schemas of list that v satisfies.
func (s *Schema) matching(list []any, v any, at string) int {
	n := 0
	for _, sub := range list {
		var p []string
		s.validate(sub, v, at, &p)
		if len(p) == 0 {
			n++
		}
	}
	return n
}

// closest describes the problems of the oneOf branch v comes nearest to, to make a
// failed oneOf readable.
func (s *Schema) closest(list []any, v any, at string) string {
	var best []string
	for _, sub := range list {
		var p []string
		s.validate(sub, v, at, &p)
		if len(p) > 0 && (best == nil || len(p) < len(best)) {
			best = p
		}
	}
	if best == nil {
		return ""
	}
	sort.Strings(best)
	if len(best) > 3 {
		best = best[:3]
	}
	return " (nearest branch: " + strings.Join(best, "; ") + ")"
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func typeMatches(t, v any) bool {
	switch t := t.(type) {
	case string:
		return isType(t, v)
	case []any:
		for _, x := range t {
			if name, _ := x.(string); isType(name, v) {
				return true
			}
		}
	}
	return false
}

func isType(name string, v any) bool {
	switch name {
	case "null":
		return v == nil
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		r, ok := new(big.Rat).SetString(string(n))
		return ok && r.IsInt()
	}
	return false
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// compare compares two JSON numbers exactly.
func compare(a, b json.Number) int {
	x, ok1 := new(big.Rat).SetString(string(a))
	y, ok2 := new(big.Rat).SetString(string(b))
	if !ok1 || !ok2 {
		return strings.Compare(string(a), string(b))
	}
	return x.Cmp(y)
}

// equal is JSON equality: numbers by value, objects by members, arrays in order.
func equal(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		return ok && compare(x, y) == 0
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !equal(xv, yv) {
				return false
			}
		}
		return true
	}
	return a == b
}

func short(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}
