package io.example.service;

import io.example.service.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real service as a child process, for the process tests: the fat jar started by the java of
 * {@code -Dservice.java} (the build runs the process tests once on this JVM's java, and again on a Java 25
 * when one is installed) or else this JVM's, its stdout and stderr collected line by line, waited on with
 * deadlines, signalled with kill(1).
 */
public final class ServiceProcess implements AutoCloseable {

  static final Path JAR = Path.of(System.getProperty("service.jar", "target/service-fat.jar"));
  static final Path JAVA = System.getProperty("service.java", "").isBlank()
      ? Path.of(System.getProperty("java.home"), "bin", "java") : Path.of(System.getProperty("service.java"));
  private static final Pattern LISTENING = Pattern.compile("http listening on \\S+:(\\d+) ");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();

  private ServiceProcess(Process process) {
    this.process = process;
    collect(process.getInputStream(), out, "stdout");
    collect(process.getErrorStream(), err, "stderr");
  }

  /** {@code java -jar service-fat.jar args...} with extra environment variables. */
  static ServiceProcess startJar(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return start(command, env, null);
  }

  /**
   * Starts {@code command} with SIGINT and SIGTERM at their defaults. A JVM started from a background job of
   * a script inherits SIGINT ignored and can then never handle it (docs/vertx-behaviour.md); env(1) resets that and
   * execs, so the pid stays the service's.
   */
  static ServiceProcess start(List<String> command, Map<String, String> env, Path workDir) throws IOException {
    List<String> full = new ArrayList<>(List.of("env", "--default-signal=INT,TERM"));
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full);
    // The child sees only the configuration a test gives it: no SERVICE_* variable of ours, and no
    // Kubernetes variables when this build itself runs in a pod (they would turn "auto" into 25 s).
    builder.environment().keySet().removeIf(name -> name.startsWith(ConfigLoader.ENV_PREFIX)
        || name.equals("KUBERNETES_SERVICE_HOST") || name.equals("KUBERNETES_SERVICE_PORT"));
    builder.environment().putAll(env);
    if (workDir != null) {
      builder.directory(workDir.toFile());
    }
    return new ServiceProcess(builder.start());
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits until the service logs that HTTP listens (it is ready right then), and returns the port. */
  int awaitPort() {
    Matcher m = LISTENING.matcher(awaitLine(LISTENING.asPredicate(), START_TIMEOUT));
    if (!m.find()) {
      throw new AssertionError("no port in the listening line");
    }
    return Integer.parseInt(m.group(1));
  }

  /** The first stdout line that contains {@code text}, waiting at most {@code timeout} for it. */
  String awaitLine(String text, Duration timeout) {
    return awaitLine(line -> line.contains(text), timeout);
  }

  String awaitLine(Predicate<String> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (out) {
      while (true) {
        for (String line : out) {
          if (wanted.test(line)) {
            return line;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no such line within " + timeout + "; output so far:\n" + String.join("\n", out));
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(out, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  void signal(String name) throws IOException, InterruptedException {
    signal(pid(), name);
  }

  static void signal(long pid, String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " " + pid + " failed");
    }
  }

  /** How a process ended after a signal: its exit code, and the time from the signal to the exit. */
  record Exit(int code, long tookMs) {}

  /** Sends {@code signal} and waits at most {@code timeout} for the exit, timing it from the signal. */
  Exit signalAndAwaitExit(String signal, Duration timeout) throws IOException, InterruptedException {
    long signalled = System.nanoTime();
    signal(signal);
    int code = awaitExit(timeout);
    return new Exit(code, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled));
  }

  /** The exit code, waiting at most {@code timeout}; fails the test if the process is still running then. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + "; output:\n" + String.join("\n", stdout()));
    }
    // The readers finish once the process has closed its pipes; wait for them so no line is missing.
    awaitStreamsClosed();
    return process.exitValue();
  }

  List<String> stdout() {
    synchronized (out) {
      return List.copyOf(out);
    }
  }

  List<String> stderr() {
    synchronized (err) {
      return List.copyOf(err);
    }
  }

  String lastLine() {
    List<String> lines = stdout();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private int closedStreams;

  private void awaitStreamsClosed() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    synchronized (this) {
      while (closedStreams < 2 && System.nanoTime() < deadline) {
        TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
      }
    }
  }

  private void collect(InputStream stream, List<String> into, String name) {
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          synchronized (into) {
            into.add(line);
            into.notifyAll();
          }
        }
      } catch (IOException ignored) {
        // the process is gone; what was read is kept
      } finally {
        synchronized (this) {
          closedStreams++;
          notifyAll();
        }
      }
    }, "service-" + name);
    reader.setDaemon(true);
    reader.start();
  }
}
