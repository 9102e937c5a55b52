package dev.stampede.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Integration tests need real servers and a browser (prometheus, influxd, nginx, chromium). On a
 * developer's machine a missing one skips the tests that need it, saying how to install it; with
 * {@code CI=true} (set by GitHub Actions, GitLab CI and most others) it fails them, so that a green
 * build never means that those tests did not run.
 */
public final class RequiredTool {

  private RequiredTool() {}

  /**
   * Skips the calling test when {@code binary} is not executable, or fails it on CI.
   *
   * @param binary the tool's absolute path
   * @param install how to install it, e.g. {@code apt-get install influxdb}
   */
  public static void assumeInstalled(Path binary, String install) {
    assumeInstalled(Files.isExecutable(binary), binary + " is not installed (" + install + ")", System.getenv());
  }

  /** Skips (or, with {@code CI=true} in {@code environment}, fails) when {@code installed} is false. */
  static void assumeInstalled(boolean installed, String message, java.util.Map<String, String> environment) {
    if (installed) {
      return;
    }
    if (onCi(environment)) {
      throw new AssertionError(message + "; CI=true, so this fails instead of skipping");
    }
    Assumptions.abort(message + "; skipping");
  }

  static boolean onCi(java.util.Map<String, String> environment) {
    return "true".equalsIgnoreCase(environment.getOrDefault("CI", "").trim());
  }
}
