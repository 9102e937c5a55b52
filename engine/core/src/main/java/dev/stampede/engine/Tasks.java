package dev.stampede.engine;

import dev.stampede.SequentialTaskSet;
import dev.stampede.Task;
import dev.stampede.TaskSet;
import dev.stampede.TaskSet.InterruptTaskSet;
import dev.stampede.Tls;
import dev.stampede.User;
import dev.stampede.WaitTime;
import dev.stampede.carrier.UserThreads;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/** Finds a class's tasks and runs them: by weight for users and task sets, in order for sequential sets. */
final class Tasks {

  private static final ClassValue<TaskTable> TABLES = new ClassValue<>() {
    @Override
    protected TaskTable computeValue(Class<?> type) {
      return TaskTable.of(type);
    }
  };

  private static final MethodHandle USER_WAIT_TIME = waitTimeHandle(User.class);
  private static final MethodHandle TASK_SET_WAIT_TIME = waitTimeHandle(TaskSet.class);
  private static final MethodHandle USER_ON_START = hook(User.class, "onStart");
  private static final MethodHandle USER_ON_STOP = hook(User.class, "onStop");
  private static final MethodHandle USER_TLS = hook(User.class, "tls");
  private static final MethodHandle SET_ON_START = hook(TaskSet.class, "onStart");
  private static final MethodHandle SET_ON_STOP = hook(TaskSet.class, "onStop");

  private Tasks() {}

  /** The tasks of {@code type}, validated; cached per class. */
  static TaskTable table(Class<?> type) {
    return TABLES.get(type);
  }

  /**
   * Builds the task table of every concrete {@link TaskSet} that {@code userClass} can run, so that
   * a set whose tasks are declared wrongly (an order given to some tasks only, or to two tasks) is
   * found before any load rather than as a task error when the set first runs. A set is found when
   * the user's class, or a class found so, refers to it in its class file ({@code run(new
   * Checkout())}), or names it as a nested class (so every set nested in a class found is checked,
   * used or not); only classes of the user's own code (its class loader and its jar or directory)
   * are followed, not the engine's or a library's.
   *
   * @throws IllegalArgumentException naming the set and what is wrong with its tasks
   */
  static void checkTaskSets(Class<? extends User> userClass) {
    ClassLoader loader = userClass.getClassLoader();
    java.security.CodeSource own = userClass.getProtectionDomain().getCodeSource();
    java.util.Set<Class<?>> seen = new java.util.HashSet<>();
    java.util.ArrayDeque<Class<?>> next = new java.util.ArrayDeque<>();
    for (Class<?> c = userClass; c != null && c != User.class; c = c.getSuperclass()) {
      next.add(c);
    }
    while (!next.isEmpty()) {
      Class<?> type = next.poll();
      if (!seen.add(type)) {
        continue;
      }
      if (TaskSet.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers())) {
        table(type);
      }
      for (String name : ClassFileOrder.referencedClassNames(type)) {
        Class<?> referenced;
        try {
          referenced = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          continue; // not the scenario's to check: it fails where it is used, as before
        }
        if (referenced.getClassLoader() == loader && !seen.contains(referenced)
            && java.util.Objects.equals(referenced.getProtectionDomain().getCodeSource(), own)) {
          next.add(referenced);
        }
      }
    }
  }

  static WaitTime waitTimeOf(User user) {
    return invokeWaitTime(USER_WAIT_TIME, user);
  }

  static void onStart(User user) throws Throwable {
    USER_ON_START.invoke(user);
  }

  static void onStop(User user) throws Throwable {
    USER_ON_STOP.invoke(user);
  }

  /** The user's own TLS settings, or {@code null} for the run's. */
  static Tls tlsOf(User user) {
    try {
      return (Tls) USER_TLS.invoke(user);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("tls() of " + user.getClass().getName() + " failed: " + t, t);
    }
  }

  /**
   * Calls the user's {@code onStart} and counts whether it started.
   *
   * @return false when {@code onStart} threw (recorded as a user that could not start)
   */
  static boolean start(UserRuntime runtime, User user) {
    try {
      onStart(user);
    } catch (UserRuntime.UserStopped e) {
      throw e;
    } catch (Throwable t) {
      runtime.taskErrors().userFailed(user.getClass().getSimpleName() + ".onStart", t);
      return false;
    }
    runtime.taskErrors().userStarted();
    return true;
  }

  /**
   * Runs one task of {@code user} picked by weight, and returns how long it took. Exceptions of
   * the task are counted; {@link UserRuntime.UserStopped} passes through.
   */
  static long runOneTask(UserRuntime runtime, User user) {
    TaskTable table = table(user.getClass());
    return invoke(runtime, user, table.pick(ThreadLocalRandom.current()));
  }

  /**
   * Runs a user: its {@code onStart}, then its tasks until it stops. A user whose {@code onStart}
   * throws is counted as one that could not start, and returns at once.
   */
  static void runUser(UserRuntime runtime, User user) throws Throwable {
    // First of all, before any request of onStart: the frames under this one stay frozen while the
    // user waits, and this keeps them small (see settleBaseFrames).
    UserThreads.settleBaseFrames();
    if (!start(runtime, user)) {
      return;
    }
    TaskTable table = table(user.getClass());
    WaitTime wait = waitTimeOf(user);
    while (!runtime.stopping()) {
      long took = invoke(runtime, user, table.pick(ThreadLocalRandom.current()));
      runtime.pause(wait.waitNanos(took));
    }
  }

  static void runTaskSet(UserRuntime runtime, TaskSet set, boolean sequential) {
    TaskTable table = table(set.getClass());
    WaitTime wait = invokeWaitTime(TASK_SET_WAIT_TIME, set);
    try {
      SET_ON_START.invoke(set);
    } catch (UserRuntime.UserStopped | InterruptTaskSet e) {
      throw e;
    } catch (Throwable t) {
      runtime.taskErrors().record(set.getClass().getSimpleName() + ".onStart", t);
      return;
    }
    try {
      int next = 0;
      while (!runtime.stopping()) {
        TaskTable.Entry entry = sequential ? table.inOrder(next++) : table.pick(ThreadLocalRandom.current());
        long start = System.nanoTime();
        try {
          entry.handle().invoke(set);
          runtime.taskErrors().taskCompleted();
        } catch (InterruptTaskSet e) {
          return;
        } catch (UserRuntime.UserStopped e) {
          throw e;
        } catch (Throwable t) {
          runtime.taskErrors().taskThrew(entry.label(), t);
        }
        runtime.pause(wait.waitNanos(System.nanoTime() - start));
      }
    } finally {
      try {
        SET_ON_STOP.invoke(set);
      } catch (Throwable t) {
        runtime.taskErrors().record(set.getClass().getSimpleName() + ".onStop", t);
      }
    }
  }

  private static long invoke(UserRuntime runtime, Object owner, TaskTable.Entry entry) {
    long start = System.nanoTime();
    try {
      entry.handle().invoke(owner);
      runtime.taskErrors().taskCompleted();
    } catch (UserRuntime.UserStopped e) {
      throw e;
    } catch (InterruptTaskSet e) {
      // interrupt() outside a task set has no parent to return to; ignore like Locust does.
      runtime.taskErrors().taskCompleted();
    } catch (Throwable t) {
      if (runtime.stopping() && t instanceof InterruptedException) {
        throw new UserRuntime.UserStopped();
      }
      runtime.taskErrors().taskThrew(entry.label(), t);
    }
    return System.nanoTime() - start;
  }

  private static WaitTime invokeWaitTime(MethodHandle handle, Object owner) {
    try {
      WaitTime wait = (WaitTime) handle.invoke(owner);
      return wait == null ? WaitTime.none() : wait;
    } catch (Throwable t) {
      throw new IllegalStateException("waitTime() of " + owner.getClass().getName() + " failed: " + t, t);
    }
  }

  private static MethodHandle waitTimeHandle(Class<?> type) {
    return hook(type, "waitTime");
  }

  private static MethodHandle hook(Class<?> type, String name) {
    try {
      Method method = type.getDeclaredMethod(name);
      method.setAccessible(true);
      return MethodHandles.lookup().unreflect(method);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The tasks of one class: their handles, cumulative weights and sequence, which is the tasks'
   * {@link Task#order()} when they state one and class-file order otherwise.
   */
  record TaskTable(List<Entry> entries, long[] cumulativeWeights) {

    record Entry(String label, int weight, MethodHandle handle) {}

    static TaskTable of(Class<?> type) {
      List<Method> methods = new ArrayList<>();
      for (Class<?> c = type; c != null && c != User.class && c != TaskSet.class && c != Object.class;
          c = c.getSuperclass()) {
        for (Method method : c.getDeclaredMethods()) {
          if (method.isAnnotationPresent(Task.class) && methods.stream().noneMatch(m -> m.getName().equals(method.getName()))) {
            methods.add(method);
          }
        }
      }
      if (methods.isEmpty()) {
        throw new IllegalArgumentException(type.getName() + " has no @Task method");
      }
      List<String> order = ClassFileOrder.methodNames(type);
      methods.sort(Comparator.comparingInt((Method m) -> {
        int position = order.indexOf(m.getName());
        return position < 0 ? Integer.MAX_VALUE : position;
      }).thenComparing(Method::getName));
      applyExplicitOrder(type, methods);
      List<Entry> entries = new ArrayList<>();
      long[] cumulative = new long[methods.size()];
      long sum = 0;
      for (Method method : methods) {
        String label = type.getSimpleName() + "." + method.getName();
        int weight = method.getAnnotation(Task.class).value();
        if (weight < 1) {
          throw new IllegalArgumentException("@Task weight of " + label + " must be >= 1 but was " + weight);
        }
        if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())) {
          throw new IllegalArgumentException("@Task method " + label + " must be an instance method without parameters");
        }
        try {
          method.setAccessible(true);
          entries.add(new Entry(label, weight, MethodHandles.lookup().unreflect(method)));
        } catch (IllegalAccessException | RuntimeException e) {
          throw new IllegalArgumentException("@Task method " + label + " is not accessible: " + e.getMessage(), e);
        }
        sum += weight;
        cumulative[entries.size() - 1] = sum;
      }
      return new TaskTable(List.copyOf(entries), cumulative);
    }

    /**
     * Sorts {@code methods} (in class-file order) by {@link Task#order()} when the tasks state one,
     * after checking that the order is complete, unique and on a {@link SequentialTaskSet}.
     */
    private static void applyExplicitOrder(Class<?> type, List<Method> methods) {
      List<String> ordered = new ArrayList<>();
      List<String> unordered = new ArrayList<>();
      Map<Integer, List<String>> byOrder = new TreeMap<>();
      for (Method method : methods) {
        int order = method.getAnnotation(Task.class).order();
        if (order == Task.UNORDERED) {
          unordered.add(method.getName());
          continue;
        }
        if (order < 0) {
          throw new IllegalArgumentException("@Task order of " + type.getName() + "." + method.getName()
              + " must be >= 0 but was " + order);
        }
        ordered.add(method.getName());
        byOrder.computeIfAbsent(order, o -> new ArrayList<>()).add(method.getName());
      }
      if (ordered.isEmpty()) {
        return;
      }
      if (!SequentialTaskSet.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException("@Task order applies only to a SequentialTaskSet, but " + type.getName()
            + " is not one and gives an order to " + String.join(", ", ordered));
      }
      if (!unordered.isEmpty()) {
        throw new IllegalArgumentException("@Task order must be given to every task of " + type.getName()
            + " or to none; with an order: " + String.join(", ", ordered) + "; without: "
            + String.join(", ", unordered));
      }
      for (Map.Entry<Integer, List<String>> same : byOrder.entrySet()) {
        if (same.getValue().size() > 1) {
          throw new IllegalArgumentException("@Task order " + same.getKey() + " of " + type.getName()
              + " is given to more than one task: " + String.join(", ", same.getValue()));
        }
      }
      methods.sort(Comparator.comparingInt(m -> m.getAnnotation(Task.class).order()));
    }

    /** A task picked at random in proportion to the weights. */
    Entry pick(ThreadLocalRandom random) {
      if (entries.size() == 1) {
        return entries.get(0);
      }
      long ticket = random.nextLong(cumulativeWeights[cumulativeWeights.length - 1]);
      for (int i = 0; i < cumulativeWeights.length; i++) {
        if (ticket < cumulativeWeights[i]) {
          return entries.get(i);
        }
      }
      throw new AssertionError("weights exhausted");
    }

    /** The task at position {@code step} of the sequence, wrapping around. */
    Entry inOrder(int step) {
      return entries.get(Math.floorMod(step, entries.size()));
    }
  }
}
