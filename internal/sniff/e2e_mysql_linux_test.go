//go:build linux

package sniff

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/nstest"
)

// TestLiveMySQLPrivileged runs a real MariaDB server in a fresh namespace, feeds it
// through the real mariadb client (UTF-8, a multi-line query, a 1 MB INSERT), through
// DBD::MariaDB with server-side prepared statements (the mariadb client cannot send
// COM_STMT_PREPARE; Perl's driver is a real libmariadb client that does), and over
// TLS, and checks that every statement is printed once, whole.
func TestLiveMySQLPrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	nstest.RequireTools(t, "mariadbd", "mariadb-install-db", "mariadb", "openssl", "perl", "go")
	if err := exec.Command("perl", "-MDBD::MariaDB", "-e", "1").Run(); err != nil {
		nstest.Unavailable(t, "DBD::MariaDB is missing (scripts/install-deps.sh installs libdbd-mariadb-perl): %v", err)
	}
	dir := t.TempDir()
	bin := goBuild(t, dir, "github.com/netstat-go/netstat/cmd/netstat")
	run := func(name string, args ...string) {
		t.Helper()
		if b, err := exec.Command(name, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, b)
		}
	}
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "sock")
	run("mariadb-install-db", "--no-defaults", "--user=root", "--datadir="+data, "--auth-root-authentication-method=normal", "--skip-test-db")
	run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
		"-keyout", filepath.Join(dir, "key.pem"), "-out", filepath.Join(dir, "cert.pem"))

	nstest.EnterNetns(t)
	server := exec.Command("mariadbd", "--no-defaults", "--user=root", "--datadir="+data, "--socket="+sock,
		"--port=3306", "--bind-address=127.0.0.1", "--skip-name-resolve", "--pid-file="+filepath.Join(dir, "pid"),
		"--ssl-cert="+filepath.Join(dir, "cert.pem"), "--ssl-key="+filepath.Join(dir, "key.pem"))
	serverLog, err := os.Create(filepath.Join(dir, "mariadbd.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer serverLog.Close()
	server.Stdout, server.Stderr = serverLog, serverLog
	start(t, server)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("mariadbd did not start")
		}
	}
	run("mariadb", "--no-defaults", "-S", sock, "-u", "root", "-e",
		"CREATE DATABASE shop; CREATE DATABASE logs; CREATE USER 'app'@'%' IDENTIFIED BY 'secret';"+
			" GRANT ALL ON shop.* TO 'app'@'%'; GRANT ALL ON logs.* TO 'app'@'%';"+
			" CREATE TABLE shop.t (id INT, name LONGTEXT, price DOUBLE, d DATETIME) DEFAULT CHARSET=utf8mb4")

	s := startSniffer(t, bin, "mysql", "--port", "3306", "--json")

	utf8 := "INSERT INTO t (id, name) VALUES (1, 'Grüße, 世界 🐬')"
	multi := "SELECT id,\n       name\n  FROM t\n WHERE id = 1"
	big := "INSERT INTO t (id, name) VALUES (2, '" + strings.Repeat("0123456789abcdef", 1<<16) + "')" // 1 MiB
	client := exec.Command("mariadb", "--no-defaults", "--default-character-set=utf8mb4", "--skip-ssl",
		"-h", "127.0.0.1", "-P", "3306", "-u", "app", "-psecret", "shop")
	client.Stdin = strings.NewReader(utf8 + ";\n" + multi + ";\n" + big + ";\nSHOW TABLES;\n")
	if b, err := client.CombinedOutput(); err != nil {
		t.Fatalf("mariadb: %v\n%s", err, b)
	}
	ins := "INSERT INTO t (id, name, price, d) VALUES (?, ?, ?, ?)"
	run("perl", "-MDBI", "-e", `
		my $dbh = DBI->connect("DBI:MariaDB:database=shop;host=127.0.0.1;port=3306", "app", "secret",
			{ RaiseError => 1, mariadb_server_prepare => 1 });
		my $sth = $dbh->prepare("`+ins+`");
		$sth->execute(3, "it's", 2.5, "2026-01-02 03:04:05");
		$sth->execute(4, undef, -1, "2026-12-31 23:59:59");
		$dbh->disconnect;`)
	run("mariadb", "--no-defaults", "--ssl", "-h", "127.0.0.1", "-P", "3306", "-u", "app", "-psecret", "shop", "-e", "SELECT 42")
	time.Sleep(300 * time.Millisecond)
	out := s.stop(t)
	if err := server.Process.Signal(syscall.SIGTERM); err != nil { // stopped by PID
		t.Error(err)
	}
	_ = server.Wait()

	type ev struct {
		Kind, User, DB, Statement string
		Params                    []string
	}
	var got []ev
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), `{"summary"`) {
			continue
		}
		var j statementJSON
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			t.Fatal(err)
		}
		if j.Kind == "query" && strings.HasPrefix(j.Statement, "SET ") && j.Statement != multi {
			continue // DBD::MariaDB's session setup (SET NAMES ...)
		}
		got = append(got, ev{j.Kind, j.User, j.DB, j.Statement, j.Params})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	want := []ev{
		{"query", "app", "shop", utf8, nil},
		{"query", "app", "shop", multi, nil},
		{"query", "app", "shop", big, nil},
		{"query", "app", "shop", "SHOW TABLES", nil},
		{"prepare", "app", "shop", ins, nil},
		{"execute", "app", "shop", ins, []string{"'3'", "'it''s'", "'2.5'", "'2026-01-02 03:04:05'"}},
		{"execute", "app", "shop", ins, []string{"'4'", "NULL", "'-1'", "'2026-12-31 23:59:59'"}},
		{"tls", "", "", "", nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
