// Command gen writes internal/onnxpb/onnx.pb.go: the Go types of the
// official onnx.proto, which Debian's python3-onnx ships (onnx 1.12), by
// protoc (Debian's protobuf-compiler) and protoc-gen-go built from the
// google.golang.org/protobuf version wiggle's go.mod pins. Run it with
// `go generate ./internal/onnxpb`; CI checks that the committed file is
// what it writes.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	if err := generate(); err != nil {
		fmt.Fprintln(os.Stderr, "onnxpb/gen:", err)
		os.Exit(1)
	}
}

// generate runs in internal/onnxpb, as go generate does.
func generate() error {
	out, err := exec.Command("/usr/bin/python3", "-c", "import onnx, os; print(os.path.dirname(onnx.__file__))").Output()
	if err != nil {
		return fmt.Errorf("finding onnx.proto in python3-onnx (apt-get install python3-onnx): %v", err)
	}
	protoDir := strings.TrimSpace(string(out))
	tmp, err := os.MkdirTemp("", "protoc-gen-go")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	plugin := filepath.Join(tmp, "protoc-gen-go")
	build := exec.Command("go", "build", "-o", plugin, "google.golang.org/protobuf/cmd/protoc-gen-go")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building protoc-gen-go: %w", err)
	}
	protoc := exec.Command("protoc", "--plugin=protoc-gen-go="+plugin, "--proto_path="+protoDir,
		"--go_out=.", "--go_opt=paths=source_relative",
		"--go_opt=Monnx.proto=github.com/wigglenn/wiggle/internal/onnxpb", "onnx.proto")
	protoc.Stdout, protoc.Stderr = os.Stdout, os.Stderr
	if err := protoc.Run(); err != nil {
		return fmt.Errorf("protoc (apt-get install protobuf-compiler): %w", err)
	}
	return nil
}
