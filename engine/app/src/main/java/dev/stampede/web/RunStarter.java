package dev.stampede.web;

import dev.stampede.config.ConfigException;
import dev.stampede.engine.LoadTest;

/**
 * Builds the load test the web page's start button asks for. The CLI supplies one that builds a
 * {@link LoadTest} from its own options overridden by the form; {@link WebUi} runs it.
 */
@FunctionalInterface
public interface RunStarter {

  /**
   * A load test, not yet started, for {@code request}.
   *
   * @throws ConfigException when the request cannot run; its text is shown on the page
   */
  LoadTest create(WebRunRequest request) throws ConfigException;
}
