package io.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervisor;
import io.example.service.lifecycle.Termination;
import io.example.service.worker.Job;
import io.example.service.worker.WorkerComponent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recipe 1 of docs/make-it-yours.md, "Replace the simulated job": a real asynchronous job, an HTTP call with
 * its own timeout, handed to the worker component as the component list does it. The stop is the one that
 * SIGTERM begins ({@code Termination.signal(SIGTERM)}), run on the supervisor embedded here: the process edge
 * only adds the signal handler and the exit code, which GracefulDrainIT covers with the simulated job.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
public class RecipeReplaceTheJobTest {

  /** The recipe's job: the latest quote from a remote service, one HTTP call bounded by its own timeout. */
  static final class QuoteFetchJob implements Job {

    private final String host;
    private final int port;
    private final long timeoutMs;
    private HttpClient client; // only ever touched on the worker's event loop
    private volatile String latest;

    QuoteFetchJob(String host, int port, long timeoutMs) {
      this.host = host;
      this.port = port;
      this.timeoutMs = timeoutMs;
    }

    @Override
    public Future<?> run(Vertx vertx) {
      if (client == null) {
        // Made on the worker's context: Vert.x closes it when the worker is undeployed, after the last job.
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port));
      }
      return client.request(new RequestOptions().setURI("/quotes/latest").setConnectTimeout(timeoutMs))
          .compose(request -> request.send()
              .compose(response -> response.statusCode() == 200
                  ? response.body()
                  : Future.failedFuture("quote service answered " + response.statusCode()))
              .timeout(timeoutMs, TimeUnit.MILLISECONDS)
              .onFailure(cause -> request.reset())) // a hung call gives its connection back
          .map(body -> latest = body.toString());
    }

    String latest() {
      return latest;
    }
  }

  private static final long INTERVAL_MS = 50;

  private final ServiceStatus status = new ServiceStatus();
  private Vertx vertx;
  private QuoteRemote remote;
  private int remotePort;

  @BeforeEach
  void remote() throws Exception {
    vertx = Vertx.vertx();
    remote = new QuoteRemote(vertx);
    remotePort = remote.start();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void recipe_job_running_at_sigterm_finishes_and_no_new_one_starts() throws Exception {
    remote.holdQuotes();
    QuoteFetchJob job = new QuoteFetchJob("127.0.0.1", remotePort, 3000);
    Supervisor supervisor = supervisorOf(job);
    remote.firstQuoteCall().await(5, TimeUnit.SECONDS); // job #1 is waiting on the remote

    Future<Void> stop = supervisor.stop(Termination.signal("SIGTERM"));
    observe(4 * INTERVAL_MS);
    assertFalse(stop.isComplete(), "the stop waits for the running job");
    remote.releaseHeld();
    stop.await(5, TimeUnit.SECONDS);

    assertEquals(QuoteRemote.QUOTE, job.latest(), "the job got its answer: nothing closed its client under it");
    assertEquals(1, StatusReads.jobsCompleted(status));
    assertEquals(0, StatusReads.jobsFailed(status));
    observe(4 * INTERVAL_MS);
    assertEquals(1, remote.quoteCalls(), "no job started after the stop began");
    assertSummary(supervisor, "service stopped: reason=signal:SIGTERM, exit=0");
  }

  @Test
  void recipe_job_whose_remote_never_answers_fails_at_its_own_timeout_and_the_stop_ends_then() throws Exception {
    remote.holdQuotes(); // and never released
    long timeoutMs = 300;
    Supervisor supervisor = supervisorOf(new QuoteFetchJob("127.0.0.1", remotePort, timeoutMs));
    remote.firstQuoteCall().await(5, TimeUnit.SECONDS);

    long stopNanos = System.nanoTime();
    supervisor.stop(Termination.signal("SIGTERM")).await(5, TimeUnit.SECONDS);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopNanos);

    // The shutdown deadline is 5000 ms: the job's own timeout, not the deadline, ended the wait.
    assertTrue(tookMs < 2000, "the stop took " + tookMs + " ms");
    assertEquals(1, StatusReads.jobsFailed(status), "the hung call failed at " + timeoutMs + " ms");
    assertEquals(0, StatusReads.jobsCompleted(status));
    assertEquals(1, remote.quoteCalls());
    assertSummary(supervisor, "service stopped: reason=signal:SIGTERM, exit=0"); // not cut off: no exit 124
  }

  /** The worker alone, with the recipe's job, as the component list builds it; started and ready. */
  private Supervisor supervisorOf(Job job) throws Exception {
    ServiceConfig config = ConfigLoader.load("{\"worker\":{\"intervalMs\":" + INTERVAL_MS + ",\"jobMs\":1},"
        + "\"shutdown\":{\"timeoutMs\":5000,\"drainDelayMs\":0}}", Map.of());
    WorkerComponent worker = new WorkerComponent(config, job);
    status.add(worker.state());
    Supervisor supervisor = new Supervisor(List.of(worker), status,
        config.startup().timeoutMs(), config.shutdown().timeoutMs());
    supervisor.start(vertx).await(5, TimeUnit.SECONDS);
    return supervisor;
  }

  private static void assertSummary(Supervisor supervisor, String expected) throws Exception {
    Termination termination = supervisor.stopped().get(5, TimeUnit.SECONDS);
    assertTrue(termination.summary(0).startsWith(expected), termination.summary(0));
  }

  /** A window in which something must not happen; the test thread waits, no event loop does. */
  private void observe(long ms) throws Exception {
    vertx.timer(ms, TimeUnit.MILLISECONDS).await(5, TimeUnit.SECONDS);
  }
}
