package dev.stampede.engine;

import dev.stampede.RequestOptions;
import dev.stampede.Task;
import dev.stampede.User;
import java.util.function.Consumer;

/**
 * The user of {@code --url} mode: requests one path in a loop without waiting, as wrk does, reading
 * each body to its end and keeping none of it (nothing looks at it).
 */
public final class UrlUser extends User {

  private static final Consumer<RequestOptions> DISCARD_BODY = RequestOptions::discardBody;

  private final String path = UserRuntime.current().urlPath();

  /** Created by the engine. */
  public UrlUser() {}

  @Task
  void request() {
    http().get(path, DISCARD_BODY);
  }
}
