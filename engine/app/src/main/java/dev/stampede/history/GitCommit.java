package dev.stampede.history;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The commit a run was made from: {@code git rev-parse --short HEAD} in a directory, else the
 * commit CI systems put in the environment ({@code CI_COMMIT_SHORT_SHA} on GitLab,
 * {@code GITHUB_SHA} on GitHub Actions, shortened to 7 characters), else none.
 */
public final class GitCommit {

  /** How long git may take before it is given up on. */
  static final long TIMEOUT_SECONDS = 5;
  /** GitHub Actions' commit variable (full hash). */
  static final String GITHUB_SHA = "GITHUB_SHA";
  /** GitLab CI's short commit variable. */
  static final String GITLAB_SHORT_SHA = "CI_COMMIT_SHORT_SHA";

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{4,40}");

  private GitCommit() {}

  /** The short commit of {@code dir}'s repository, or of the CI environment; empty when unknown. */
  public static Optional<String> shortHead(Path dir) {
    return shortHead(dir, System.getenv());
  }

  static Optional<String> shortHead(Path dir, Map<String, String> env) {
    Optional<String> fromGit = fromGit(dir);
    if (fromGit.isPresent()) {
      return fromGit;
    }
    String gitlab = env.getOrDefault(GITLAB_SHORT_SHA, "").strip();
    if (HASH.matcher(gitlab).matches()) {
      return Optional.of(gitlab);
    }
    String github = env.getOrDefault(GITHUB_SHA, "").strip();
    if (HASH.matcher(github).matches()) {
      return Optional.of(github.substring(0, Math.min(7, github.length())));
    }
    return Optional.empty();
  }

  private static Optional<String> fromGit(Path dir) {
    Process process;
    try {
      process = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
          .directory(dir.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      return Optional.empty(); // no git on this machine
    }
    try (InputStream in = process.getInputStream()) {
      // The output is one short line; reading it before waiting cannot block on a full pipe.
      String out = new String(in.readNBytes(256), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return process.exitValue() == 0 && HASH.matcher(out).matches()
          ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return Optional.empty();
    }
  }
}
