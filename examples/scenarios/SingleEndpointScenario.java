// A plain single-endpoint scenario to compare the friend-service scenario against: every user
// searches, nothing else, with the same think time.
//   ./stampede run --scenario examples/scenarios/SingleEndpointScenario.java --host http://127.0.0.1:PORT -u 20 -t 1m

import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;

public class SingleEndpointScenario extends User {

  @Override
  protected WaitTime waitTime() {
    return WaitTime.between(0.5, 1.5);
  }

  @Task
  void searchUsers() {
    http().get("/friend-service/v1/users?username=al", o -> o.name("/friend-service/v1/users?username=[term]"));
  }
}
