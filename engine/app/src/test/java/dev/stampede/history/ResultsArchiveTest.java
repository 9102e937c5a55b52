package dev.stampede.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsArchiveTest {

  @TempDir Path dir;
  final Clock clock = Clock.fixed(Instant.parse("2026-11-23T09:24:28.500Z"), ZoneOffset.UTC);

  @Test
  void storesARunUnderItsTimeAndCommit() throws Exception {
    Path result = dir.resolve("result.json");
    Files.writeString(result, "{\"run_id\": \"x\"}");
    ResultsArchive archive = new ResultsArchive(dir.resolve("results"), clock,
        () -> Optional.of("3f9c2ab"));

    Path stored = archive.store(result);

    assertThat(stored).isEqualTo(dir.resolve("results/20261123T092428Z-3f9c2ab.json"));
    assertThat(Files.readString(stored)).isEqualTo("{\"run_id\": \"x\"}");
  }

  @Test
  void namesARunWithoutACommitNogitAndNeverOverwrites() throws Exception {
    Path result = dir.resolve("result.json");
    Files.writeString(result, "{}");
    ResultsArchive archive = new ResultsArchive(dir.resolve("results"), clock, Optional::empty);

    Path first = archive.store(result);
    Path second = archive.store(result);

    assertThat(first.getFileName()).hasToString("20261123T092428Z-nogit.json");
    assertThat(second.getFileName()).hasToString("20261123T092428Z-nogit-1.json");
  }

  @Test
  void readsTheShortCommitOfARepository() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo);
    assumeThat(git(repo, "init", "-q")).as("git is installed").isZero();
    Files.writeString(repo.resolve("f"), "x");
    assertThat(git(repo, "add", "f")).isZero();
    assertThat(git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid",
        "commit", "-q", "-m", "c")).isZero();

    Optional<String> commit = GitCommit.shortHead(repo, Map.of());

    assertThat(commit).hasValueSatisfying(c -> assertThat(c).matches("[0-9a-f]{4,40}"));
  }

  @Test
  void fallsBackToTheCommitCiPutsInTheEnvironment() {
    Path notARepo = dir;

    assertThat(GitCommit.shortHead(notARepo, Map.of())).isEmpty();
    assertThat(GitCommit.shortHead(notARepo, Map.of("GITHUB_SHA",
        "3f9c2ab1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7"))).hasValue("3f9c2ab");
    assertThat(GitCommit.shortHead(notARepo, Map.of("CI_COMMIT_SHORT_SHA", "a1b2c3d4")))
        .hasValue("a1b2c3d4");
  }

  static int git(Path dir, String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "git";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
