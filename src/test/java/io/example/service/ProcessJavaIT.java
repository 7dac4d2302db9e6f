package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The java these process tests run the jar on (the build's own, then a Java 25 when one is installed: see
 * pom.xml), said in the build's output, and that the jar starts and stops on it without a JVM warning.
 */
public class ProcessJavaIT {

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  @Test
  void says_which_java_runs_the_jar() throws Exception {
    String version = javaVersion();
    System.out.println("process tests run the jar on " + ServiceProcess.JAVA + " (" + version + ")");
    String skipped = System.getProperty("service.java25.skipped", "");
    if (!skipped.isBlank()) {
      System.out.println(skipped);
    }
    assertTrue(version.contains("version"), version);
  }

  /**
   * What a JVM prints on its own starts with "WARNING:" (Java 24 and later for sun.misc.Unsafe memory
   * access and for native access, Java 17 for illegal reflective access) or says "VM warning".
   */
  @Test
  void starts_and_stops_without_a_jvm_warning() throws Exception {
    ServiceProcess service = services.jar("{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":2},"
        + "\"startup\":{\"warmupMs\":300}}");
    int port = service.awaitPort();
    service.awaitLine("service ready in", EXIT_TIMEOUT);
    assertEquals(200, Http.get(port, "/").statusCode());
    assertEquals(200, Http.get(port, "/metrics").statusCode()); // loads the registry and the JVM's meters

    assertEquals(0, service.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());
    List<String> lines = new ArrayList<>(service.stderr());
    lines.addAll(service.stdout());
    List<String> warnings = lines.stream()
        .filter(line -> line.startsWith("WARNING:") || line.contains("VM warning")).toList();
    assertEquals(List.of(), warnings, "on " + ServiceProcess.JAVA);
    assertEquals(List.of(), service.stderr(), "nothing at all on stderr");
  }

  /**
   * Clustered, Hazelcast calls sun.misc.Unsafe's memory methods, and Java 24 and later warn about it on
   * stderr unless the launch says otherwise. The image's entry point does (its "--" options); this runs a
   * one-member cluster with those options, on a JVM that knows them (23 and later; Java 17 would refuse them
   * and never warns).
   */
  @Test
  void clustered_with_the_images_launch_options_starts_and_stops_without_a_jvm_warning() throws Exception {
    List<String> command = new ArrayList<>(List.of(ServiceProcess.JAVA.toString()));
    if (featureVersion() >= 23) {
      command.addAll(imageLaunchOptions());
    }
    int clusterPort = freePort();
    command.addAll(List.of("-jar", ServiceProcess.JAR.toAbsolutePath().toString(), "-conf",
        "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":1},\"cluster\":{\"enabled\":true,"
            + "\"host\":\"127.0.0.1\",\"port\":" + clusterPort + ",\"members\":[\"127.0.0.1:" + clusterPort + "\"]}}"));
    ServiceProcess service = services.command(command, Map.of(), null);
    service.awaitLine("service ready in", EXIT_TIMEOUT);
    service.awaitLine("background job #1 done", EXIT_TIMEOUT); // the job ran, so the lease code ran too

    assertEquals(0, service.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());
    assertEquals(List.of(), service.stderr(), "nothing on stderr on " + ServiceProcess.JAVA + " with " + command);
  }

  /** The options of deploy/Dockerfile's ENTRYPOINT that start with "--" (the JVM's launcher options). */
  private static List<String> imageLaunchOptions() throws IOException {
    String entrypoint = Files.readAllLines(Path.of("deploy/Dockerfile")).stream()
        .filter(line -> line.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
    List<String> options = new ArrayList<>();
    Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(entrypoint);
    while (quoted.find()) {
      if (quoted.group(1).startsWith("--")) {
        options.add(quoted.group(1));
      }
    }
    return options;
  }

  private static int featureVersion() throws IOException, InterruptedException {
    Matcher number = Pattern.compile("version \"(\\d+)").matcher(javaVersion());
    assertTrue(number.find(), javaVersion());
    return Integer.parseInt(number.group(1));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String javaVersion() throws IOException, InterruptedException {
    Process java = new ProcessBuilder(ServiceProcess.JAVA.toString(), "-version").redirectErrorStream(true).start();
    String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!java.waitFor(30, TimeUnit.SECONDS)) {
      java.destroyForcibly();
      throw new AssertionError("java -version did not end");
    }
    return out.lines().findFirst().orElse("");
  }
}
