package dev.stampede.engine;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the names of a class's methods in the order they appear in its class file, and the classes
 * its code refers to.
 *
 * <p>{@link Class#getDeclaredMethods()} promises no order, but javac writes methods in source
 * order, and a {@link dev.stampede.SequentialTaskSet} whose tasks state no
 * {@link dev.stampede.Task#order()} runs them in that order (the fallback). Only the constant
 * pool and the method table are read; attribute contents are skipped.
 */
final class ClassFileOrder {

  private ClassFileOrder() {}

  /**
   * The method names of {@code type} in class-file order, or an empty list when its class file
   * cannot be read (a class generated at run time).
   */
  static List<String> methodNames(Class<?> type) {
    return read(type, false);
  }

  /**
   * The binary names ({@code com.example.Shop$Checkout}) of the classes the constant pool of
   * {@code type} refers to: those its code creates, calls, casts to or extends, arrays left out; an
   * empty list when its class file cannot be read.
   */
  static List<String> referencedClassNames(Class<?> type) {
    return read(type, true);
  }

  private static List<String> read(Class<?> type, boolean classes) {
    String resource = type.getName().replace('.', '/') + ".class";
    ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return List.of();
      }
      return read(new DataInputStream(in), classes);
    } catch (IOException e) {
      return List.of();
    }
  }

  private static List<String> read(DataInputStream in, boolean classes) throws IOException {
    if (in.readInt() != 0xCAFEBABE) {
      return List.of();
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int poolCount = in.readUnsignedShort();
    String[] utf8 = new String[poolCount];
    List<Integer> classNames = new ArrayList<>();
    for (int i = 1; i < poolCount; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
        case 5, 6 -> {
          in.skipNBytes(8);
          i++; // longs and doubles take two slots
        }
        case 7 -> classNames.add(in.readUnsignedShort());
        case 8, 16, 19, 20 -> in.skipNBytes(2);
        case 15 -> in.skipNBytes(3);
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    if (classes) {
      List<String> names = new ArrayList<>(classNames.size());
      for (int index : classNames) {
        String name = utf8[index];
        if (name != null && !name.startsWith("[")) {
          names.add(name.replace('/', '.'));
        }
      }
      return names;
    }
    in.skipNBytes(6); // access flags, this class, super class
    int interfaces = in.readUnsignedShort();
    in.skipNBytes(2L * interfaces);
    int fields = in.readUnsignedShort();
    for (int i = 0; i < fields; i++) {
      in.skipNBytes(6);
      skipAttributes(in);
    }
    int methods = in.readUnsignedShort();
    List<String> names = new ArrayList<>(methods);
    for (int i = 0; i < methods; i++) {
      in.skipNBytes(2);
      names.add(utf8[in.readUnsignedShort()]);
      in.skipNBytes(2);
      skipAttributes(in);
    }
    return names;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int count = in.readUnsignedShort();
    for (int i = 0; i < count; i++) {
      in.skipNBytes(2);
      in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
    }
  }
}
