package dev.stampede.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import java.util.Optional;

/**
 * Where the shards of a distributed run put their results and ready markers, and where
 * {@code stampede merge} reads them: a directory, or a plugin's remote store (e.g. {@code s3://}).
 * Names are relative, with {@code /} between parts: {@code <run>/shard-0.json}.
 *
 * <p>Objects are written once: {@link #create} never overwrites, so two writers of one name (two
 * pods with one shard index) make the second fail loudly instead of losing the first's result.
 */
public interface ResultsStore {

  /**
   * Writes {@code content} under {@code name}, unless something is there already.
   *
   * @throws FileAlreadyExistsException when {@code name} exists; nothing was written
   * @throws IOException when the store cannot be written
   */
  void create(String name, byte[] content) throws IOException;

  /** The content stored under {@code name}, or empty when there is none. */
  Optional<byte[]> read(String name) throws IOException;

  /** The names that start with {@code prefix} (e.g. {@code "run-1/"}), sorted. */
  List<String> list(String prefix) throws IOException;

  /** Where the store is, for messages: {@code /data/results} or {@code s3://bucket/prefix}. */
  String location();
}
