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

// Package load reads Kubernetes objects from YAML files, directories and
// standard input, remembering where each document came from so that every
// message can name the file and the document.
package load

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// Stdin is the path that stands for standard input.
const Stdin = "-"

// Document is one YAML document of a file.
type Document struct {
	// File is the path as given (or found while walking a directory), or
	// "-" for standard input.
	File string
	// Index is the document's 0-based position among the non-empty
	// documents of its file.
	Index int
	// Object is the decoded document.
	Object *unstructured.Unstructured
}

// Where names the document for messages: "file#index kind/name".
func (d Document) Where() string {
	s := fmt.Sprintf("%s#%d", d.File, d.Index)
	if d.Object != nil {
		s += " " + d.Object.GetKind() + "/" + d.Object.GetName()
	}
	return s
}

// Error is a document (or whole file) that could not be read or parsed.
type Error struct {
	File  string
	Index int // -1 when the whole file failed
	Err   error
}

func (e *Error) Error() string {
	if e.Index < 0 {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s#%d: %v", e.File, e.Index, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// IsYAML reports whether a file name looks like YAML or JSON manifests.
func IsYAML(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// Paths loads every document of the given files and directories
// (directories recursively, YAML and JSON files only, in lexical order;
// "-" reads stdin). Documents that parse are returned even when others fail:
// a reviewer wants every problem at once. Empty documents are skipped.
// The returned error is an I/O error (a path that cannot be read), which
// callers report as a usage problem rather than an invalid document.
func Paths(paths []string, stdin io.Reader) ([]Document, []*Error, error) {
	var docs []Document
	var bad []*Error
	for _, p := range paths {
		if p == Stdin {
			d, b := Read(Stdin, stdin)
			docs, bad = append(docs, d...), append(bad, b...)
			continue
		}
		files, outside, err := expand(p)
		if err != nil {
			return nil, nil, err
		}
		bad = append(bad, outside...)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, nil, fmt.Errorf("read %s: %w", f, err)
			}
			d, b := Read(f, bytes.NewReader(data))
			docs, bad = append(docs, d...), append(bad, b...)
		}
	}
	return docs, bad, nil
}

// expand turns a path into the files it names. In a directory, a symbolic
// link to a file outside the directory is not read (an Error for it
// instead): a repository's YAML must not make accordctl read, and perhaps
// print, the CI runner's files, such as a mounted token.
func expand(p string) ([]string, []*Error, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", p, err)
	}
	if !info.IsDir() {
		return []string{p}, nil, nil
	}
	root, err := filepath.EvalSymlinks(p)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", p, err)
	}
	if root, err = filepath.Abs(root); err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", p, err)
	}
	var files []string
	var outside []*Error
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != p {
			return filepath.SkipDir
		}
		// kustomization.yaml is build configuration, not an object.
		if d.IsDir() || !IsYAML(d.Name()) || isKustomization(d.Name()) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 && !within(root, path) {
			outside = append(outside, &Error{File: path, Index: -1,
				Err: fmt.Errorf("a symbolic link to a file outside %s; not read", p)})
			return nil
		}
		files = append(files, path)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("walk %s: %w", p, err)
	}
	slices.Sort(files)
	return files, outside, nil
}

// within reports whether the link at path resolves to a file under root
// (itself resolved); a link that cannot be resolved is not.
func within(root, path string) bool {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	if target, err = filepath.Abs(target); err != nil {
		return false
	}
	rel, err := filepath.Rel(root, target)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func isKustomization(name string) bool {
	switch name {
	case "kustomization.yaml", "kustomization.yml", "Kustomization":
		return true
	}
	return false
}

// Read splits one stream into documents and decodes each. A document that
// is not a YAML mapping with apiVersion and kind is an Error naming its
// index; a stream that cannot be split is an Error for the whole file.
func Read(file string, r io.Reader) ([]Document, []*Error) {
	var docs []Document
	var bad []*Error
	reader := utilyaml.NewYAMLReader(bufio.NewReader(r))
	for i := 0; ; i++ {
		raw, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			bad = append(bad, &Error{File: file, Index: -1, Err: err})
			break
		}
		if len(bytes.TrimSpace(stripComments(raw))) == 0 {
			i--
			continue
		}
		obj, err := Decode(raw)
		if err != nil {
			bad = append(bad, &Error{File: file, Index: i, Err: err})
			continue
		}
		docs = append(docs, Document{File: file, Index: i, Object: obj})
	}
	return docs, bad
}

// Decode parses one YAML or JSON document into an object and requires
// apiVersion and kind.
func Decode(raw []byte) (*unstructured.Unstructured, error) {
	var m map[string]any
	if err := yaml.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("YAML syntax: %w", err)
	}
	if m == nil {
		return nil, errors.New("document is not a mapping")
	}
	obj := &unstructured.Unstructured{Object: m}
	if obj.GetAPIVersion() == "" {
		return nil, errors.New("apiVersion: Required value: every object needs apiVersion")
	}
	if obj.GetKind() == "" {
		return nil, errors.New("kind: Required value: every object needs kind")
	}
	return obj, nil
}

func stripComments(raw []byte) []byte {
	var out bytes.Buffer
	for line := range bytes.SplitSeq(raw, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' || bytes.Equal(t, []byte("---")) {
			continue
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}
