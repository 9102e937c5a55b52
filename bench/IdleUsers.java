// The memory benchmark's scenario (bench/run.sh): users that mostly wait, as real users do.
// Each one requests / and then thinks for 1 to 2 seconds, so 10,000 users send about 6,700
// requests/s while almost all of them sit parked in their wait.
//   ./stampede run --scenario bench/IdleUsers.java --host http://127.0.0.1:PORT -u 10000 -r 2000 -t 30s

import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;

public class IdleUsers extends User {

  @Override
  protected WaitTime waitTime() {
    return WaitTime.between(1, 2);
  }

  @Task
  void index() {
    http().get("/");
  }
}
