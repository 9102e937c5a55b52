// The memory benchmark's scenario without sockets (bench/flags.sh --mode memory --scenario ...):
// users that think for 1 to 2 seconds between tasks that time an empty piece of work, so what they
// hold is the engine's share of a waiting user (its object, virtual thread, parked stack and timer)
// without a connection. One connection per user caps bench/IdleUsers.java at the open-files limit
// (20,000 here); this one runs 50,000 users, and the difference between the two at 10,000 users is
// what a user's connection adds.
//   ./stampede run --scenario bench/IdleUsersNoHttp.java -u 50000 -r 2000 -t 50s

import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;

public class IdleUsersNoHttp extends User {

  @Override
  protected WaitTime waitTime() {
    return WaitTime.between(1, 2);
  }

  @Task
  void think() throws Exception {
    measure("think", () -> null);
  }
}
