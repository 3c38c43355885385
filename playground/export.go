package playground

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wigglenn/wiggle/internal/atomicfile"
)

// Export writes the site into dir (made if missing), each file whole or
// not at all, for any static web host.
func Export(dir string) error {
	site := Files()
	return fs.WalkDir(site, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := site.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		if err := atomicfile.Write(target, 0o644, func(w io.Writer) error {
			_, err := io.Copy(w, in)
			return err
		}); err != nil {
			return fmt.Errorf("export %s: %w", path, err)
		}
		return nil
	})
}
