package io.example.service;

import static io.example.service.ServiceProcessIT.assertInOrder;
import static io.example.service.ServiceProcessIT.assertSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job that hangs, on the real jar: a {@code worker.jobMs} far above {@code worker.jobTimeoutMs} is a job that
 * never ends. The service stops in order with exit 1 soon after the timeout, not at its deadline; clustered,
 * another member takes the job over.
 */
public class JobTimeoutIT {

  private static final long JOB_TIMEOUT_MS = 1500;
  private static final long INTERVAL_MS = 500;
  /** From the timeout to the exit: the stop itself (no drain delay here) and the JVM's end, on a busy machine. */
  private static final long MARGIN_MS = 2000;
  private static final String HANG = "\"worker\":{\"intervalMs\":" + INTERVAL_MS + ",\"jobMs\":600000,\"jobTimeoutMs\":"
      + JOB_TIMEOUT_MS + "}";

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  @Test
  void a_hung_job_stops_the_service_with_exit_1_soon_after_its_timeout() throws Exception {
    ServiceProcess service = services.jar("{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":1}," + HANG
        + ",\"shutdown\":{\"timeoutMs\":10000,\"drainDelayMs\":0}}");
    int port = service.awaitPort();
    long jobStarted = awaitJobRunning(port);

    int exit = service.awaitExit(Duration.ofMillis(JOB_TIMEOUT_MS + 10_000));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - jobStarted);

    assertEquals(1, exit, String.join("\n", service.stdout()));
    assertSummary(service, "failure:worker", 1);
    assertTrue(tookMs >= JOB_TIMEOUT_MS - 100 && tookMs < JOB_TIMEOUT_MS + MARGIN_MS,
        "exit " + tookMs + " ms after the job started");
    assertInOrder(service.stdout(),
        "worker failed: background job #1 still running at its timeout of 1500 ms (worker.jobTimeoutMs)",
        "http stopped in", "worker stopped after 0 jobs", "all components stopped", "service stopped");
    assertTrue(service.stdout().stream().noneMatch(line -> line.contains("worker waiting for job")),
        "the stop does not wait for a job that was given up");
  }

  /**
   * Three members, not two: a member runs the job only while it sees a majority of {@code cluster.members}, and
   * one of two left alone has none. All three hang; the test follows the first two.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void a_clustered_hung_job_is_taken_over_by_another_member() throws Exception {
    List<Integer> ports = List.of(freePort(), freePort(), freePort());
    List<ServiceProcess> members = new ArrayList<>();
    for (int port : ports) {
      members.add(services.jar(clustered(port, ports)));
    }
    for (ServiceProcess member : members) {
      member.awaitPort();
    }
    ServiceProcess first = awaitActive(members, Instant.EPOCH, Duration.ofSeconds(60));

    assertEquals(1, first.awaitExit(Duration.ofMillis(JOB_TIMEOUT_MS + 10_000)), String.join("\n", first.stdout()));
    assertSummary(first, "failure:worker", 1);
    assertInOrder(first.stdout(), "this member is now active",
        "worker failed: background job #1 still running at its timeout", "handed over: the job lease is released",
        "service stopped");
    // The lease can move only after the release, and the release only after the timeout. The release's own
    // line is logged once the call has returned, so the new holder's "now active" may come a few ms before
    // it. So the search starts at the timeout: starting at the release line once missed that activation and
    // found the next one, the third member's, after the second member's own job had hung for 1.5 s.
    Instant timedOut = time(first.awaitLine("worker failed: background job #1", Duration.ZERO));
    Instant released = time(first.awaitLine("handed over", Duration.ZERO));
    members.remove(first);
    ServiceProcess next = awaitActive(members, timedOut, Duration.ofSeconds(10));
    String nextActive = next.awaitLine(line -> line.contains("this member is now active")
        && !time(line).isBefore(timedOut), Duration.ZERO);
    // Its own job hangs as well: the timeout line dates its start.
    String nextTimeout = next.awaitLine("worker failed: background job #1", Duration.ofMillis(JOB_TIMEOUT_MS + 10_000));
    long activeAfterMs = Duration.between(released, time(nextActive)).toMillis();
    long jobAfterMs = Duration.between(released, time(nextTimeout).minusMillis(JOB_TIMEOUT_MS)).toMillis();
    System.out.printf("JobTimeoutIT: takeover %d ms after the release, first job %d ms after it%n", activeAfterMs, jobAfterMs);

    assertTrue(token(nextActive) > token(first.awaitLine("this member is now active", Duration.ZERO)),
        "the new holder's fencing token is higher: " + nextActive);
    assertTrue(activeAfterMs <= INTERVAL_MS, "active within one interval of the release: " + activeAfterMs + " ms");
    assertTrue(jobAfterMs <= INTERVAL_MS + 300, "its job within one interval: " + jobAfterMs + " ms");
  }

  private static String clustered(int port, List<Integer> ports) {
    String peers = ports.stream().map(p -> "\"127.0.0.1:" + p + "\"").collect(Collectors.joining(","));
    return "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":1}," + HANG
        + ",\"shutdown\":{\"timeoutMs\":5000},\"startup\":{\"timeoutMs\":30000},"
        + "\"cluster\":{\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":" + port + ",\"members\":[" + peers + "]}}";
  }

  /** When /status first says a job runs (System.nanoTime); polled every 20 ms, for at most 10 s. */
  private static long awaitJobRunning(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonObject status = new JsonObject(Http.get(port, "/status").body());
      if (status.getJsonObject("worker").getBoolean("jobRunning")) {
        return System.nanoTime();
      }
      TimeUnit.MILLISECONDS.sleep(20); // the poll's pace
    }
    throw new AssertionError("no job started within 10 s");
  }

  /** The member that logs "now active" at or after {@code since}; polled, bounded by {@code timeout}. */
  private static ServiceProcess awaitActive(List<ServiceProcess> members, Instant since, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ServiceProcess member : members) {
        boolean active = member.stdout().stream()
            .anyMatch(line -> line.contains("this member is now active") && !time(line).isBefore(since));
        if (active) {
          return member;
        }
      }
      TimeUnit.MILLISECONDS.sleep(20); // the poll's pace
    }
    throw new AssertionError("no member became active within " + timeout);
  }

  /** "this member is now active (fencing token 4, ...": 4. */
  private static long token(String activeLine) {
    return Long.parseLong(activeLine.replaceAll(".*fencing token (\\d+).*", "$1"));
  }

  /** A log line's own timestamp: every member runs on this machine's clock. */
  private static Instant time(String line) {
    return Instant.parse(line.substring(0, line.indexOf(' ')));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
