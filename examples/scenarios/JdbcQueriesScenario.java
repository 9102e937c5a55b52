//DEPS com.h2database:h2:2.3.232
// Times JDBC queries, not HTTP calls: measure() records any work as a "custom" result with the same
// percentiles, KPIs and listeners as a request. The //DEPS line above puts the H2 driver (resolved
// from Maven Central into ~/.m2/repository) on the scenario's class path; no build file needed.
//   ./stampede run --scenario examples/scenarios/JdbcQueriesScenario.java -u 4 -t 30s
// A scenario needs no --host when it sends no HTTP request. For a real database, swap the line for
// its driver (e.g. //DEPS org.postgresql:postgresql:42.7.4) and the JDBC URL below.

import dev.stampede.Hooks;
import dev.stampede.Task;
import dev.stampede.User;
import dev.stampede.WaitTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

public class JdbcQueriesScenario extends User {

  /** One in-memory database for the whole run; it lives while a connection to it is open. */
  static final String URL = "jdbc:h2:mem:movies;DB_CLOSE_DELAY=-1";
  static final int MOVIES = 10_000;

  private Connection connection;

  @Override
  protected WaitTime waitTime() {
    return WaitTime.between(0.01, 0.05);
  }

  @Override
  protected void onStart() {
    try {
      connection = DriverManager.getConnection(URL);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to " + URL + ": " + e.getMessage(), e);
    }
  }

  @Override
  protected void onStop() {
    try {
      connection.close();
    } catch (SQLException e) {
      // The run is over; nothing to report it to.
    }
  }

  @Task(3)
  void byId() throws Exception {
    measure("movie by id", () -> {
      try (PreparedStatement query = connection.prepareStatement("SELECT title FROM movie WHERE id = ?")) {
        query.setInt(1, random(1, MOVIES));
        try (ResultSet row = query.executeQuery()) {
          if (!row.next()) {
            throw new IllegalStateException("no movie");
          }
          return row.getString(1);
        }
      }
    });
  }

  @Task(1)
  void bestOfAYear() throws Exception {
    measure("top 10 of a year", () -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT title FROM movie WHERE release_year = ? ORDER BY rating DESC LIMIT 10")) {
        query.setInt(1, random(1950, 2024));
        try (ResultSet rows = query.executeQuery()) {
          int count = 0;
          while (rows.next()) {
            count++;
          }
          return count;
        }
      }
    });
  }

  /** Creates and fills the table once, before any user starts. */
  public static class Schema implements Hooks {
    @Override
    public void register(dev.stampede.Events events) {
      events.onTestStart(run -> {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS movie("
              + "id INT PRIMARY KEY, title VARCHAR, release_year INT, rating DOUBLE)");
          s.execute("CREATE INDEX IF NOT EXISTS movie_year ON movie(release_year)");
          s.execute("MERGE INTO movie SELECT x, 'Movie ' || x, 1950 + MOD(x, 75), MOD(x * 7919, 100) / 10.0"
              + " FROM SYSTEM_RANGE(1, " + MOVIES + ")");
        } catch (SQLException e) {
          throw new IllegalStateException("cannot create the movie table: " + e.getMessage(), e);
        }
      });
    }
  }
}
