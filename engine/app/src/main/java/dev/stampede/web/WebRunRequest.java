package dev.stampede.web;

import java.time.Duration;

/**
 * What the start form of the web page asks for; the {@link RunStarter} lays it over the command
 * line's options.
 *
 * @param users users to run, >= 1
 * @param spawnRate users started per second, > 0
 * @param host the target base URL, or {@code null} to keep the command line's (or the scenario's)
 * @param runTime how long the load runs, or {@code null} to run until the stop button is pressed
 */
public record WebRunRequest(int users, double spawnRate, String host, Duration runTime) {

  public WebRunRequest {
    if (users < 1) {
      throw new IllegalArgumentException("users must be >= 1 but was " + users);
    }
    if (!(spawnRate > 0) || Double.isInfinite(spawnRate)) {
      throw new IllegalArgumentException("spawnRate must be > 0 but was " + spawnRate);
    }
    if (host != null && host.isBlank()) {
      host = null;
    }
    if (runTime != null && (runTime.isZero() || runTime.isNegative())) {
      throw new IllegalArgumentException("runTime must be > 0 but was " + runTime);
    }
  }
}
