package dev.stampede.history;

import dev.stampede.config.ConfigFiles;
import dev.stampede.config.ConfigException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps each run's {@code --json} result in a directory ({@code --results-dir DIR}) under a name
 * made of the time and the git commit, {@code 20261123T092428Z-3f9c2ab.json} ({@code -nogit} when
 * the commit is unknown), so that {@code stampede trend DIR} can chart them in order.
 */
public final class ResultsArchive {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  /** The most files with the same time and commit before giving up (runs are seconds apart). */
  private static final int MAX_SAME_NAME = 1000;

  private final Path dir;
  private final Clock clock;
  private final Supplier<Optional<String>> commit;

  /**
   * An archive in {@code dir}.
   *
   * @param clock gives the time in the name
   * @param commit gives the short commit, e.g. {@code () -> GitCommit.shortHead(Path.of(""))}
   */
  public ResultsArchive(Path dir, Clock clock, Supplier<Optional<String>> commit) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.commit = Objects.requireNonNull(commit, "commit");
  }

  /** An archive in {@code dir}, named from the system clock and the current directory's commit. */
  public static ResultsArchive of(Path dir) {
    return new ResultsArchive(dir, Clock.systemUTC(), () -> GitCommit.shortHead(Path.of("")));
  }

  /** The archive's directory. */
  public Path dir() {
    return dir;
  }

  /**
   * Copies a result file into the archive, creating the directory.
   *
   * @return the archived file
   * @throws ConfigException when the directory cannot be created or written
   */
  public Path store(Path resultJson) {
    String base = STAMP.format(clock.instant()) + "-"
        + commit.get().map(c -> c.replaceAll("[^0-9A-Za-z]", "")).orElse("nogit");
    try {
      Files.createDirectories(dir);
      for (int i = 0; i < MAX_SAME_NAME; i++) {
        Path target = dir.resolve(base + (i == 0 ? "" : "-" + i) + ".json");
        try {
          return Files.copy(resultJson, target);
        } catch (FileAlreadyExistsException e) {
          // another run in the same second from the same commit: take the next suffix
        }
      }
      throw new ConfigException("results directory " + dir + " already holds " + MAX_SAME_NAME
          + " results named " + base);
    } catch (IOException e) {
      throw new ConfigException("cannot archive " + resultJson + " in results directory " + dir
          + ": " + ConfigFiles.oneLine(e.toString()));
    }
  }
}
