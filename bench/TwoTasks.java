// The scenario-API benchmark (bench/run.sh): the same closed loop as `--url /`, written as a
// scenario, so the ratio shows what the User model costs on top of the bare HTTP client: weighted
// task choice, a URL with an id grouped under one name, and a response check.
//   ./stampede run --scenario bench/TwoTasks.java --host http://127.0.0.1:PORT -u 64 -r 64 -t 15s

import dev.stampede.Task;
import dev.stampede.User;

public class TwoTasks extends User {

  @Task(3)
  void index() {
    http().get("/");
  }

  @Task(1)
  void item() {
    http().get("/items/" + random(1, 10_000),
        o -> o.name("/items/[id]").expect(r -> r.text().equals("ok"), "body is not ok"));
  }
}
