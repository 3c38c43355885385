package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wigglenn/wiggle/playground"
)

func newServeCmd(e env) *cobra.Command {
	var addr, export string
	var hosts []string
	var open bool
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--open] [--export DIR]",
		Short: "Serve the playground: train a network in your browser and watch its activation",
		Long: `Serve wiggle's playground: a page that trains a network on 2-D data while you
watch the decision regions, the loss, and what the activation does. Training
runs in the page, on wiggle's own packages compiled to WebAssembly: the
server only hands out the page's files, which are built into this binary.

It listens on 127.0.0.1 (this machine only) unless --addr names another
host (":9000" is 127.0.0.1:9000; 0.0.0.0:9000 is every interface),
and answers only requests addressed to that address (the name --addr
gave too) or to localhost, as a guard against DNS rebinding. Behind a
reverse proxy that passes its public name on (nginx's proxy_set_header
Host $host, Caddy), give that name with --host, as the Host header reads
it (playground.example.edu, or with its port). A browser that reads
slowly gets the whole engine (it goes gzipped, 1.7 MB); one that stops
reading for 30 s is cut off.
Ctrl-C stops it. --export DIR writes the same site as static files, for any
static web host, instead of serving it: into a new or empty folder, or one
an earlier export wrote (it leaves a .wiggle-playground file there); it
will not replace a file of the site's names that is yours. The site is
written whole into a hidden folder there first and then moved into place:
a disk that fills part-way leaves the folder as it was. The page needs
a web server (opened from disk, a browser starts no Web Worker for it):
python3 -m http.server in the folder (py -m http.server on Windows) serves
it at http://localhost:8000/.`,
		Example: `  wiggle serve --open
  wiggle serve --addr 127.0.0.1:9000
  wiggle serve --addr 127.0.0.1:9000 --host playground.example.edu
  wiggle serve --export site/`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("export") && strings.TrimSpace(export) == "" {
				return usageError{errors.New("--export is empty; name the folder to write the site to, or leave the flag out to serve it")}
			}
			if export != "" {
				if err := checkExport(cmd, export); err != nil {
					return err
				}
				if err := playground.Export(export); err != nil {
					if errors.As(err, new(*playground.OverwriteError)) { // the folder's content, not the command line: no usage hint
						return fmt.Errorf("--export: %w", err)
					}
					return sysErr(fmt.Errorf("--export: %w", err))
				}
				_, err := fmt.Fprintf(e.stdout, "wrote the playground to %s\n", export)
				return sysErr(err)
			}
			listen, err := listenAddr(addr)
			if err != nil {
				return usageError{fmt.Errorf("--addr %q: %v", addr, err)}
			}
			named, err := hostNames(addr, hosts) // before it listens and says where
			if err != nil {
				return err
			}
			l, err := net.Listen("tcp", listen)
			if portInUse(err) {
				return usageError{fmt.Errorf("--addr %s: the port is in use (another wiggle serve, or another program); stop that, or give another port%s", addr, nextPort(listen))}
			}
			if err != nil {
				return usageError{fmt.Errorf("--addr %q: %v", addr, err)}
			}
			url := "http://" + displayAddr(l.Addr().String()) + "/"
			fmt.Fprintf(e.stdout, "wiggle playground at %s (Ctrl-C stops it)\n", url)
			if others := lanURLs(l.Addr()); len(others) > 0 {
				fmt.Fprintf(e.stdout, "from other machines: %s (by address: the server refuses names)\n", strings.Join(others, ", "))
			}
			if open {
				if err := openBrowser(url); err != nil {
					fmt.Fprintf(e.stderr, "wiggle: --open: %v; open %s yourself\n", err, url)
				}
			}
			if err := (playground.Server{Hosts: named}).Serve(e.ctx, l); err != nil {
				return sysErr(err)
			}
			return e.ctx.Err() // Ctrl-C stopped it: exit 130, as every command
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (host:port); 0.0.0.0:8080 lets other machines in")
	f.BoolVar(&open, "open", false, "open the page in the default browser")
	f.StringArrayVar(&hosts, "host", nil, "a further name requests may be addressed to, as their Host header reads it: a reverse proxy's public name (repeatable)")
	f.StringVar(&export, "export", "", "write the site to this folder instead of serving it")
	return cmd
}

// checkExport refuses, before writing, --export with the flags of a
// server (--addr, --open), a folder that cannot be written, and a folder
// where one of the site's files would go.
func checkExport(cmd *cobra.Command, dir string) error {
	for _, flag := range []string{"addr", "open", "host"} {
		if cmd.Flags().Changed(flag) {
			return usageError{fmt.Errorf("--%s does nothing with --export: the site is written to %s, not served", flag, dir)}
		}
	}
	if err := checkOutDir("--export", dir); err != nil {
		return err
	}
	var files []string
	err := fs.WalkDir(playground.Files(), ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, filepath.FromSlash(path))
		}
		return err
	})
	if err != nil {
		return sysErr(err)
	}
	return checkNoFolders("--export", dir, files)
}

// nextPort suggests the port after listen's: ", such as --addr HOST:PORT+1",
// or "" where listen's port is none to count on from.
func nextPort(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	n, errN := strconv.Atoi(port)
	if err != nil || errN != nil || n < 1 || n >= 65535 {
		return ""
	}
	return ", such as --addr " + net.JoinHostPort(host, strconv.Itoa(n+1))
}

// listenAddr is the address to listen on: addr, with 127.0.0.1 for an
// empty host (":9000"), where Go's net.Listen would take every interface.
// Other machines are let in only by a host that says so (0.0.0.0).
func listenAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("%v; want host:port, such as 127.0.0.1:8080", err)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// displayAddr is the address to print for a browser: 127.0.0.1 for
// IPv4's loopback and for every interface, not localhost, which a
// browser may try as [::1] first, where on a shared machine another
// user's server may listen on the same port; IPv6's loopback as it is.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); ip != nil && (ip.To4() != nil && ip.IsLoopback() || ip.IsUnspecified()) {
		return "127.0.0.1:" + port
	}
	return addr
}

// hostNames are the names the server answers besides its address: each
// --host, and the name --addr gave where it gave one (vm:9000 listens on
// vm's address, and a browser asks for vm:9000). A --host that cannot be
// a Host header (empty, spaces, a slash or a scheme) is refused.
func hostNames(addr string, hosts []string) ([]string, error) {
	var names []string
	for _, h := range hosts {
		if h == "" || strings.ContainsAny(h, " \t/\\@?#") {
			return nil, usageError{fmt.Errorf("--host %q: want a name as a Host header reads it, such as playground.example.edu or playground.example.edu:8443 (no scheme, no path)", h)}
		}
		names = append(names, h)
	}
	if host, port, err := net.SplitHostPort(addr); err == nil && host != "" && net.ParseIP(host) == nil {
		names = append(names, net.JoinHostPort(host, port))
		if port == "80" { // a browser leaves HTTP's own port out of Host
			names = append(names, host)
		}
	}
	return names, nil
}

// lanURLs are the playground's addresses on this machine's networks
// where it listens on every interface (0.0.0.0 or [::]): its IPv4
// addresses but loopback's, up to four; none otherwise.
func lanURLs(addr net.Addr) []string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return nil
	}
	ifaceAddrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var urls []string
	for _, a := range ifaceAddrs {
		if ipNet, ok := a.(*net.IPNet); ok && ipNet.IP.To4() != nil && !ipNet.IP.IsLoopback() && len(urls) < 4 {
			urls = append(urls, "http://"+net.JoinHostPort(ipNet.IP.String(), strconv.Itoa(tcp.Port))+"/")
		}
	}
	return urls
}

// openBrowser asks the desktop to open url.
func openBrowser(url string) error {
	switch runtime.GOOS {
	case "darwin":
		return exec.Command("open", url).Start()
	case "windows":
		return exec.Command("rundll32", "url.dll,FileProtocolHandler", url).Start()
	}
	return exec.Command("xdg-open", url).Start()
}
