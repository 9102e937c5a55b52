// A connection's cost over HTTPS (bench/https.sh): every request asks for `Connection: close`, so
// the next one opens a new TCP connection and resumes the TLS session. Its mean response time
// against one keep-alive user's (`--url /`, same host, one user) is the cost of a connection.
//   ./stampede run --scenario bench/TlsHandshakes.java --host https://127.0.0.1:PORT --insecure -u 1 -t 10s

import dev.stampede.Task;
import dev.stampede.User;

public class TlsHandshakes extends User {

  @Task
  void newConnection() {
    http().get("/", o -> o.name("new connection").header("Connection", "close"));
  }
}
