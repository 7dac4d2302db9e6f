package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
