/*
Copyright 2026 The Accord Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

// Package edit changes portfolio YAML files in place without touching
// anything it does not change: comments, key order, quoting, flow or block
// style, blank lines and every other byte of the file stay as they were.
//
// It edits the text, not a re-serialised tree. go.yaml.in/yaml/v3 parses
// each document into nodes that carry the line and column of every key,
// value and list item; an edit inserts new text at those positions (a
// list item after the last one, a key after a mapping's last key, a
// document at the end) or replaces one scalar's characters. Libraries
// that round-trip comments by re-encoding the whole tree (kyaml, goccy's
// go-yaml) still re-indent lists, re-quote strings and reflow folded text,
// so a one-line change would show as a many-line diff to the reviewer.
package edit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// File is one YAML file being edited.
type File struct {
	// Path is where the file was read from and will be written to.
	Path string
	src  []byte
	// orig is the content as read, for Changed.
	orig []byte
}

// Open reads a file for editing.
func Open(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return New(path, b), nil
}

// New edits content held in memory (path names it in messages).
func New(path string, content []byte) *File {
	return &File{Path: path, src: bytes.Clone(content), orig: bytes.Clone(content)}
}

// Bytes is the file's content with the edits made so far.
func (f *File) Bytes() []byte { return f.src }

// Changed reports whether any edit changed the content.
func (f *File) Changed() bool { return !bytes.Equal(f.src, f.orig) }

// Write writes the edited content back to Path, keeping the file's mode.
func (f *File) Write() error {
	mode := os.FileMode(0o644)
	if info, err := os.Stat(f.Path); err == nil {
		mode = info.Mode().Perm()
	}
	return os.WriteFile(f.Path, f.src, mode)
}

// Object names a document by kind and metadata.name (and
// metadata.namespace when not empty).
type Object struct {
	Kind, Namespace, Name string
}

func (o Object) String() string { return o.Kind + "/" + o.Name }

// ErrNotFound is returned when the file holds no such object or field.
var ErrNotFound = errors.New("not found")

// Path addresses a node inside a document: a string is a mapping key, an
// int a list index.
type Path []any

func (p Path) String() string {
	var b strings.Builder
	for i, e := range p {
		switch v := e.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", v)
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, v)
		}
	}
	return b.String()
}

// Has reports whether the file holds obj.
func (f *File) Has(obj Object) bool {
	_, err := f.document(obj)
	return err == nil
}

// documents parses every document of the file.
func (f *File) documents() ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(f.src))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		if len(n.Content) == 1 && n.Content[0].Kind == yaml.MappingNode {
			docs = append(docs, n.Content[0])
		}
	}
}

// document finds the mapping of obj's document.
func (f *File) document(obj Object) (*yaml.Node, error) {
	docs, err := f.documents()
	if err != nil {
		return nil, err
	}
	var found *yaml.Node
	for _, d := range docs {
		kind := lookup(d, Path{"kind"})
		name := lookup(d, Path{"metadata", "name"})
		if kind == nil || name == nil || kind.Value != obj.Kind || name.Value != obj.Name {
			continue
		}
		if obj.Namespace != "" {
			if ns := lookup(d, Path{"metadata", "namespace"}); ns != nil && ns.Value != obj.Namespace {
				continue
			}
		}
		if found != nil {
			return nil, fmt.Errorf("%s: %s is defined twice", f.Path, obj)
		}
		found = d
	}
	if found == nil {
		return nil, fmt.Errorf("%s: %s: %w", f.Path, obj, ErrNotFound)
	}
	return found, nil
}

// lookup walks path from n and returns the node there, or nil.
func lookup(n *yaml.Node, path Path) *yaml.Node {
	for _, e := range path {
		switch v := e.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return nil
			}
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == v {
					next = n.Content[i+1]
				}
			}
			if next == nil {
				return nil
			}
			n = next
		case int:
			if n.Kind != yaml.SequenceNode || v < 0 || v >= len(n.Content) {
				return nil
			}
			n = n.Content[v]
		default:
			return nil
		}
	}
	return n
}

// Lookup returns the scalar value at path in obj's document, and whether
// it exists.
func (f *File) Lookup(obj Object, path Path) (string, bool) {
	d, err := f.document(obj)
	if err != nil {
		return "", false
	}
	n := lookup(d, path)
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", false
	}
	return n.Value, true
}

// Len is the number of items of the list at path (0 when absent).
func (f *File) Len(obj Object, path Path) int {
	d, err := f.document(obj)
	if err != nil {
		return 0
	}
	n := lookup(d, path)
	if n == nil || n.Kind != yaml.SequenceNode {
		return 0
	}
	return len(n.Content)
}

// Append adds item at the end of the list at path in obj's document,
// creating the list (as the mapping's last key) when it is absent. The new
// item is written in the style of the list's last item (a one-line flow
// mapping such as `- {value: "17.2", ...}` or a block mapping) unless it
// holds nested mappings, which are always written as a block.
func (f *File) Append(obj Object, path Path, item *yaml.Node) error {
	if len(path) == 0 {
		return errors.New("append: empty path")
	}
	d, err := f.document(obj)
	if err != nil {
		return err
	}
	list := lookup(d, path)
	if list == nil {
		parent := lookup(d, path[:len(path)-1])
		key, ok := path[len(path)-1].(string)
		if parent == nil || parent.Kind != yaml.MappingNode || !ok {
			return fmt.Errorf("%s: %s has no %s: %w", f.Path, obj, path[:len(path)-1], ErrNotFound)
		}
		seq := &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{item}}
		return f.addKey(parent, key, seq)
	}
	if list.Kind != yaml.SequenceNode {
		return fmt.Errorf("%s: %s %s is not a list", f.Path, obj, path)
	}
	if len(list.Content) == 0 || list.Style&yaml.FlowStyle != 0 {
		return fmt.Errorf("%s:%d: %s %s is written as a flow list ([...]); write it as a block list (one \"- \" item per line) so that items can be added", f.Path, list.Line, obj, path)
	}
	last := list.Content[len(list.Content)-1]
	dashLine, dashCol, err := f.dash(last)
	if err != nil {
		return err
	}
	end := f.blockEnd(dashLine, dashCol)
	flow := last.Kind == yaml.MappingNode && last.Style&yaml.FlowStyle != 0 && flat(item)
	text, err := renderItem(item, dashCol, flow)
	if err != nil {
		return err
	}
	f.insertAfterLine(end, text)
	return nil
}

// Set sets key to value in the mapping at path of obj's document:
// replacing the scalar when the key exists, adding the key otherwise (at
// the end of a flow mapping's braces, or as the block mapping's last key).
func (f *File) Set(obj Object, path Path, key string, value *yaml.Node) error {
	d, err := f.document(obj)
	if err != nil {
		return err
	}
	m := lookup(d, path)
	if m == nil || m.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: %s has no mapping %s: %w", f.Path, obj, path, ErrNotFound)
	}
	if old := lookup(m, Path{key}); old != nil {
		if old.Kind != yaml.ScalarNode || value.Kind != yaml.ScalarNode {
			return fmt.Errorf("%s:%d: %s %s.%s: only a single value can be replaced", f.Path, old.Line, obj, path, key)
		}
		return f.replaceScalar(old, value, m.Style&yaml.FlowStyle != 0)
	}
	return f.addKey(m, key, value)
}

// AppendDocument adds a document at the end of the file, after a "---"
// separator when the file has documents already.
func (f *File) AppendDocument(doc *yaml.Node) error {
	text, err := encode(doc, 0)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.Write(f.src)
	if len(bytes.TrimSpace(f.src)) > 0 {
		if !bytes.HasSuffix(f.src, []byte("\n")) {
			b.WriteByte('\n')
		}
		b.WriteString("---\n")
	}
	b.WriteString(text)
	f.src = b.Bytes()
	return nil
}

// addKey adds key: value at the end of mapping m.
func (f *File) addKey(m *yaml.Node, key string, value *yaml.Node) error {
	if m.Style&yaml.FlowStyle != 0 {
		if value.Kind != yaml.ScalarNode {
			return fmt.Errorf("%s:%d: cannot add %s to a flow mapping ({...}); write the mapping as a block", f.Path, m.Line, key)
		}
		open := f.offset(m.Line, m.Column)
		closing, err := f.matchingBrace(open)
		if err != nil {
			return err
		}
		v, err := flowScalar(key, value)
		if err != nil {
			return err
		}
		sep := ", "
		if len(m.Content) == 0 {
			sep = ""
		}
		// Keep the space before "}" where the mapping has one: "{a: 1 }".
		at := closing
		for at > open+1 && f.src[at-1] == ' ' {
			at--
		}
		f.splice(at, at, sep+v)
		return nil
	}
	if len(m.Content) == 0 {
		return fmt.Errorf("%s:%d: cannot add %s to an empty mapping", f.Path, m.Line, key)
	}
	lastKey := m.Content[len(m.Content)-2]
	col := lastKey.Column - 1
	end := f.blockEnd(lastKey.Line, col)
	entry := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{Str(key), value}}
	text, err := encode(entry, col)
	if err != nil {
		return err
	}
	f.insertAfterLine(end, text)
	return nil
}

// flat reports whether a mapping holds only scalars, so that it can be
// written on one line.
func flat(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			return false
		}
	}
	return true
}

// renderItem writes a list item with its dash at column dashCol (0-based).
func renderItem(item *yaml.Node, dashCol int, flow bool) (string, error) {
	item = clone(item)
	if flow {
		item.Style |= yaml.FlowStyle
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{item}}
	return encode(seq, dashCol)
}

// encode renders n as block YAML indented by indent spaces, two spaces a
// level, lists indented under their key as in the samples.
func encode(n *yaml.Node, indent int) (string, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	if indent == 0 {
		return b.String(), nil
	}
	pad := strings.Repeat(" ", indent)
	lines := strings.SplitAfter(b.String(), "\n")
	var out strings.Builder
	for _, l := range lines {
		if l == "" {
			continue
		}
		if l != "\n" {
			out.WriteString(pad)
		}
		out.WriteString(l)
	}
	return out.String(), nil
}

// flowScalar renders "key: value" as it would appear inside a flow
// mapping, quoted where the flow context needs it.
func flowScalar(key string, value *yaml.Node) (string, error) {
	m := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle, Content: []*yaml.Node{Str(key), value}}
	s, err := encode(m, 0)
	if err != nil {
		return "", err
	}
	s = strings.TrimSpace(s)
	return strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}"), nil
}

func clone(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = nil
	for _, x := range n.Content {
		c.Content = append(c.Content, clone(x))
	}
	return &c
}

// Str is a string scalar (quoted on output when it would read as another
// type, e.g. "2026-09-30" or "17.2").
func Str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// Int is an integer scalar.
func Int(i int64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(i, 10)}
}

// Map is a mapping of keys and values given in pairs; pairs whose value is
// nil are left out, so optional fields can be passed unconditionally.
func Map(pairs ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(pairs); i += 2 {
		v, _ := pairs[i+1].(*yaml.Node)
		if v == nil {
			continue
		}
		m.Content = append(m.Content, Str(pairs[i].(string)), v)
	}
	return m
}

// Flow marks a mapping or list to be written on one line: {a: 1, b: 2}.
func Flow(n *yaml.Node) *yaml.Node { n.Style |= yaml.FlowStyle; return n }

// Seq is a block list of the given items.
func Seq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Content: items}
}

// Folded is a string written as a folded block (">-") when it is long, as
// the samples write notes; short strings stay on the key's line.
func Folded(s string) *yaml.Node {
	n := Str(s)
	if len(s) > 60 && !strings.Contains(s, "\n") {
		n.Style = yaml.FoldedStyle
	}
	return n
}

// --- positions and text surgery ---

// lineStart is the byte offset where 1-based line starts, or len(src)
// past the end.
func (f *File) lineStart(line int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(f.src[off:], '\n')
		if i < 0 {
			return len(f.src)
		}
		off += i + 1
	}
	return off
}

// line returns the text of a 1-based line without its newline, and false
// past the end of the file.
func (f *File) line(line int) (string, bool) {
	start := f.lineStart(line)
	if start >= len(f.src) {
		return "", false
	}
	end := bytes.IndexByte(f.src[start:], '\n')
	if end < 0 {
		return string(f.src[start:]), true
	}
	return string(f.src[start : start+end]), true
}

// offset converts yaml's 1-based line and column (counted in characters)
// to a byte offset.
func (f *File) offset(line, col int) int {
	start := f.lineStart(line)
	off := start
	for c := 1; c < col && off < len(f.src); c++ {
		_, size := utf8.DecodeRune(f.src[off:])
		off += size
	}
	return off
}

// dash finds the "-" of a block list item: its line and 0-based column.
func (f *File) dash(item *yaml.Node) (int, int, error) {
	line, col := item.Line, item.Column
	for l := line; l > 0 && l >= line-1; l-- {
		text, _ := f.line(l)
		limit := len(text)
		if l == line {
			limit = f.offset(line, col) - f.lineStart(line)
		}
		for i := limit - 1; i >= 0; i-- {
			if text[i] == '-' && (i+1 == len(text) || text[i+1] == ' ') {
				if strings.TrimSpace(text[:i]) == "" {
					return l, i, nil
				}
			}
		}
	}
	return 0, 0, fmt.Errorf("%s:%d: cannot find the \"-\" of this list item", f.Path, line)
}

// blockEnd is the last line of the block entry that starts on line at
// 0-based column col: the following lines indented deeper belong to it;
// blank and comment lines only when more of the entry follows them (a
// comment just before the next key is that key's).
func (f *File) blockEnd(line, col int) int {
	last := line
	for l := line + 1; ; l++ {
		text, ok := f.line(l)
		if !ok {
			return last
		}
		t := strings.TrimSpace(text)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if strings.HasPrefix(text, "---") || strings.HasPrefix(text, "...") {
			return last
		}
		if indent := len(text) - len(strings.TrimLeft(text, " ")); indent <= col {
			return last
		}
		last = l
	}
}

// insertAfterLine inserts text (whole lines) after 1-based line.
func (f *File) insertAfterLine(line int, text string) {
	at := f.lineStart(line + 1)
	if at >= len(f.src) && len(f.src) > 0 && f.src[len(f.src)-1] != '\n' {
		text = "\n" + text
	}
	f.splice(at, at, text)
}

func (f *File) splice(from, to int, text string) {
	var b bytes.Buffer
	b.Write(f.src[:from])
	b.WriteString(text)
	b.Write(f.src[to:])
	f.src = b.Bytes()
}

// matchingBrace returns the offset of the "}" that closes the "{" at
// open, skipping quoted strings and nested collections.
func (f *File) matchingBrace(open int) (int, error) {
	depth := 0
	for i := open; i < len(f.src); i++ {
		switch c := f.src[i]; c {
		case '"', '\'':
			end, err := f.quotedEnd(i)
			if err != nil {
				return 0, err
			}
			i = end
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("%s: unclosed flow mapping", f.Path)
}

// quotedEnd returns the offset of the quote closing the string opened at
// start.
func (f *File) quotedEnd(start int) (int, error) {
	q := f.src[start]
	for i := start + 1; i < len(f.src); i++ {
		switch {
		case q == '"' && f.src[i] == '\\':
			i++
		case f.src[i] == q && q == '\'' && i+1 < len(f.src) && f.src[i+1] == '\'':
			i++
		case f.src[i] == q:
			return i, nil
		}
	}
	return 0, fmt.Errorf("%s: unclosed quoted string", f.Path)
}

// replaceScalar replaces the characters of scalar old by value.
func (f *File) replaceScalar(old, value *yaml.Node, inFlow bool) error {
	start := f.offset(old.Line, old.Column)
	var end int
	switch {
	case old.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		e, err := f.quotedEnd(start)
		if err != nil {
			return err
		}
		end = e + 1
	case old.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return fmt.Errorf("%s:%d: cannot replace a multi-line text", f.Path, old.Line)
	default:
		end = start
		for end < len(f.src) {
			c := f.src[end]
			if c == '\n' || (inFlow && (c == ',' || c == '}' || c == ']')) ||
				(c == '#' && end > start && f.src[end-1] == ' ') {
				break
			}
			end++
		}
		for end > start && f.src[end-1] == ' ' {
			end--
		}
	}
	text, err := flowScalar("k", value)
	if err != nil {
		return err
	}
	f.splice(start, end, strings.TrimPrefix(text, "k: "))
	return nil
}
