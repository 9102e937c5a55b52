package dev.stampede.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A {@link ResultsStore} in a local (or mounted) directory. An object appears whole or not at all:
 * it is written to a temporary file and then hard-linked to its name, which fails when the name
 * exists, so a reader never sees half a result and a second writer never replaces the first.
 */
public final class DirectoryStore implements ResultsStore {

  private final Path root;

  /** A store in {@code root}, created on the first write. */
  public DirectoryStore(Path root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  @Override
  public void create(String name, byte[] content) throws IOException {
    Path target = resolve(name);
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "already written by another writer");
    }
    Path temp = Files.createTempFile(target.getParent(), ".writing-", ".tmp");
    try {
      Files.write(temp, content);
      try {
        Files.createLink(target, temp);
      } catch (UnsupportedOperationException e) {
        // No hard links on this file system: create-new still refuses a second writer.
        Files.write(target, content, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public Optional<byte[]> read(String name) throws IOException {
    Path file = resolve(name);
    return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return names;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile)
          .map(f -> root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/"))
          .filter(n -> n.startsWith(prefix) && !n.substring(n.lastIndexOf('/') + 1).startsWith(".writing-"))
          .sorted()
          .forEach(names::add);
    }
    return names;
  }

  @Override
  public String location() {
    return root.toString();
  }

  private Path resolve(String name) {
    Path file = root.resolve(name).normalize();
    if (!file.startsWith(root.normalize()) || name.startsWith("/")) {
      throw new IllegalArgumentException("name must stay inside the store but was " + name);
    }
    return file;
  }
}
