package dev.stampede.engine;

import dev.stampede.Task;
import dev.stampede.User;

/** The user of {@code --url} mode: requests one path in a loop without waiting, as wrk does. */
public final class UrlUser extends User {

  private final String path = UserRuntime.current().urlPath();

  /** Created by the engine. */
  public UrlUser() {}

  @Task
  void request() {
    http().get(path);
  }
}
