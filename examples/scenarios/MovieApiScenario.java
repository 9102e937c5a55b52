// The movie API scenario: status, lookup by id, lookup by title and year, equal weights, and a
// think time of 5 to 9 seconds as a person browsing would have.
//   ./stampede run --scenario examples/scenarios/MovieApiScenario.java --host http://127.0.0.1:PORT -u 100 -r 10 -t 5m

import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;
import java.util.List;

public class MovieApiScenario extends User {

  record Movie(String title, int year) {}

  static final List<Movie> MOVIES = List.of(
      new Movie("Alien", 1979), new Movie("Heat", 1995), new Movie("Vertigo", 1958),
      new Movie("Arrival", 2016), new Movie("Ran", 1985), new Movie("Up", 2009));

  @Override
  protected WaitTime waitTime() {
    return WaitTime.between(5, 9);
  }

  @Task
  void status() {
    http().get("/status");
  }

  @Task
  void byId() {
    http().get("/api/id/" + random(1, 10_000), o -> o.name("/api/id/[id]"));
  }

  @Task
  void byTitleAndYear() {
    Movie movie = MOVIES.get(random(0, MOVIES.size() - 1));
    http().get("/api/title/" + movie.title() + "/" + movie.year(), o -> o.name("/api/title/[title]/[year]"));
  }
}
