// Command minitls tells the HTTPS story on a real connection and is a small,
// usable HTTPS server and client built on the minitls TLS 1.2 stack.
//
//	minitls demo      walk a live handshake step by step (make demo)
//	minitls serve     HTTPS through net/http on a minitls listener
//	minitls get       fetch a URL over minitls, like curl
//	minitls certgen   make a CA and a server certificate
//	minitls bench     measure symmetric against asymmetric cryptography
//	minitls attack    break weakened endpoints live, watch the real ones resist
//
// Every subcommand takes -h. minitls is for study and experiment, not for
// protecting production traffic.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
)

// command is one subcommand. Each lives in its own file and registers itself
// from an init function, so the files stay independent of each other.
type command struct {
	name    string
	summary string
	order   int // position in the usage text
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// exitError carries a process exit status other than 1 (for example 2 for a
// usage mistake) through a command's error return.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usage(w io.Writer) {
	fmt.Fprintln(w, "minitls: a TLS 1.2 stack written from scratch, for studying how HTTPS works")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage: minitls <command> [flags]")
	fmt.Fprintln(w)
	list := make([]command, 0, len(commands))
	for _, c := range commands {
		list = append(list, c)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].order < list[j].order })
	for _, c := range list {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'minitls <command> -h' for a command's flags.")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and turns its error into one clear line on
// stderr and an exit status, so scripts and people both get a useful answer.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "minitls: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	err := c.run(args[1:], stdout, stderr)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "minitls %s: %v\n", c.name, err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

// newFlagSet returns a FlagSet for a subcommand whose -h output names the
// command and explains it before listing the flags.
func newFlagSet(name, synopsis, explain string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("minitls "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: minitls %s %s\n\n%s\n\nflags:\n", name, synopsis, explain)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses a subcommand's flags; a usage mistake exits with status 2.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitError{code: 2, err: err}
	}
	return nil
}

// parseInterspersed parses a subcommand's flags wherever they stand among
// its operands, as curl does ("get URL -v" is "get -v URL"), and returns the
// operands in order. After "--" everything is an operand.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var operands []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(operands, rest...), nil
		}
		if len(rest) == 0 {
			return operands, nil
		}
		operands = append(operands, rest[0])
		args = rest[1:]
	}
}

// colorEnabled reports whether output to f may use ANSI colour: only when f
// is a terminal and NO_COLOR (https://no-color.org) is unset.
func colorEnabled(f io.Writer) bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
