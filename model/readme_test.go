package model

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEExampleIsRun checks that every line of the README's library
// example is a line of Example_trainSaveServe, which runs with the tests:
// the README shows code that works.
func TestREADMEExampleIsRun(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, section, found := strings.Cut(string(readme), "\n## The library\n")
	if !found {
		t.Fatal(`README.md has no "## The library" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	exampleLines := map[string]bool{}
	for _, line := range strings.Split(string(example), "\n") {
		exampleLines[strings.TrimSpace(line)] = true
	}
	code := 0
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "    ") || strings.TrimSpace(line) == "" {
			continue // prose, or a blank line
		}
		code++
		if !exampleLines[strings.TrimSpace(line)] {
			t.Errorf("README line %q is not in Example_trainSaveServe", strings.TrimSpace(line))
		}
	}
	if code < 10 {
		t.Errorf("the README's library section shows %d lines of code; want the whole example", code)
	}
}
