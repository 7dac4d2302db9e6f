package io.example.service;

import io.example.service.config.ConfigException;
import io.example.service.config.ConfigLoader;
import io.example.service.lifecycle.DeployFailure;
import io.example.service.lifecycle.ExitCode;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Termination;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The supervisor embedded in the test's Vert.x: a failed start rolls back what started, a runtime
 * failure stops everything and names the component, and the stop order is http, then worker.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
public class SupervisorVerticleTest {

  private static final String HOST = "127.0.0.1";
  private static final JsonObject BASE = new JsonObject()
      .put("http", new JsonObject().put("host", HOST).put("port", 0).put("instances", 2))
      .put("worker", new JsonObject().put("intervalMs", 20).put("jobMs", 10))
      // An explicit drain delay: "auto" would be 5000 ms if these tests ran in a pod.
      .put("shutdown", new JsonObject().put("timeoutMs", 3000).put("drainDelayMs", 0));

  private final ServiceStatus status = new ServiceStatus();
  private HttpClient client;
  private NetClient netClient;
  private ServerSocket heldPort;

  @BeforeEach
  void clients(Vertx vertx) {
    client = vertx.createHttpClient();
    netClient = vertx.createNetClient();
  }

  @AfterEach
  void release_held_port() throws IOException {
    if (heldPort != null) {
      heldPort.close();
    }
  }

  @Test
  void service_is_ready_once_both_components_have_started(Vertx vertx, VertxTestContext testContext) {
    SupervisorVerticle supervisor = supervisor("{}");
    testContext.verify(() -> assertEquals(ServiceStatus.State.STARTING, status.state()));

    vertx.deployVerticle(supervisor)
        .compose(id -> {
          testContext.verify(() -> {
            assertEquals(ServiceStatus.State.READY, status.state());
            assertEquals(3, vertx.deploymentIDs().size(), "supervisor, worker and http");
            assertTrue(StatusReads.httpPort(status) > 0);
          });
          return get(StatusReads.httpPort(status), "/readyz");
        })
        .onComplete(testContext.succeeding(readyz -> testContext.verify(() -> {
          assertEquals(200, readyz.statusCode());
          testContext.completeNow();
        })));
  }

  @Test
  void http_is_undeployed_when_worker_fails_to_start(Vertx vertx, VertxTestContext testContext) {
    SupervisorVerticle supervisor = supervisor("{\"simulate\":{\"workerStartFailure\":true}}");
    Checkpoint portClosed = testContext.checkpoint();

    vertx.deployVerticle(supervisor)
        .onComplete(testContext.failing(cause -> testContext.verify(() -> {
          DeployFailure failure = assertInstanceOf(DeployFailure.class, cause);
          assertEquals("worker", failure.component());
          assertTrue(vertx.deploymentIDs().isEmpty(), "left deployed: " + vertx.deploymentIDs());
          assertTrue(StatusReads.httpPort(status) > 0, "http had started before it was rolled back");
          awaitRefused(vertx, StatusReads.httpPort(status)).onComplete(testContext.succeeding(refused -> portClosed.flag()));
        })));
  }

  @Test
  void worker_is_undeployed_when_http_fails_to_start(Vertx vertx, VertxTestContext testContext) throws IOException {
    heldPort = new ServerSocket(0, 50, InetAddress.getByName(HOST));
    SupervisorVerticle supervisor = supervisor("{\"http\":{\"port\":" + heldPort.getLocalPort() + "}}");
    Checkpoint workerQuiet = testContext.checkpoint();

    vertx.deployVerticle(supervisor)
        .onComplete(testContext.failing(cause -> testContext.verify(() -> {
          DeployFailure failure = assertInstanceOf(DeployFailure.class, cause);
          assertEquals("http", failure.component());
          assertInstanceOf(BindException.class, failure.getCause());
          assertTrue(vertx.deploymentIDs().isEmpty(), "left deployed: " + vertx.deploymentIDs());
          long jobsAtFailure = StatusReads.jobsCompleted(status) + StatusReads.jobsFailed(status);
          // Five intervals later the worker must still have done nothing more.
          vertx.timer(100, TimeUnit.MILLISECONDS).onComplete(testContext.succeeding(later -> testContext.verify(() -> {
            assertEquals(jobsAtFailure, StatusReads.jobsCompleted(status) + StatusReads.jobsFailed(status));
            workerQuiet.flag();
          })));
        })));
  }

  @Test
  void everything_stops_and_failure_names_the_worker_when_it_crashes(Vertx vertx, VertxTestContext testContext) {
    // The crash must come after the start (else it is a failed start): one job, 300 ms in.
    SupervisorVerticle supervisor = supervisor(
        "{\"worker\":{\"intervalMs\":300,\"jobMs\":10},\"simulate\":{\"workerFailAfterJobs\":1}}");
    Checkpoint stopped = testContext.checkpoint();

    vertx.deployVerticle(supervisor)
        .compose(id -> failure(supervisor))
        .compose(component -> {
          testContext.verify(() -> assertEquals("worker", component));
          return shutdown(vertx, supervisor); // the stop already under way, not a new one
        })
        .compose(done -> {
          testContext.verify(() -> {
            assertTrue(vertx.deploymentIDs().isEmpty(), "left deployed: " + vertx.deploymentIDs());
            assertEquals(ServiceStatus.State.STOPPING, status.state());
            assertEquals(1, StatusReads.jobsCompleted(status));
          });
          return awaitRefused(vertx, StatusReads.httpPort(status));
        })
        .onComplete(testContext.succeeding(refused -> stopped.flag()));
  }

  @Test
  void everything_stops_and_failure_names_http_after_post_shutdown(Vertx vertx, VertxTestContext testContext) {
    SupervisorVerticle supervisor = supervisor("{\"admin\":{\"shutdownEndpoint\":true,\"token\":\"t0ken\"}}");
    Checkpoint accepted = testContext.checkpoint();
    Checkpoint stopped = testContext.checkpoint();

    vertx.deployVerticle(supervisor)
        .compose(id -> client.request(HttpMethod.POST, StatusReads.httpPort(status), HOST, "/shutdown"))
        .compose(request -> request.putHeader("Authorization", "Bearer t0ken").send())
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          assertEquals(202, response.statusCode());
          accepted.flag();
        })));
    failure(supervisor)
        .compose(component -> {
          testContext.verify(() -> assertEquals("http", component));
          return shutdown(vertx, supervisor);
        })
        .compose(done -> {
          testContext.verify(() -> assertTrue(vertx.deploymentIDs().isEmpty(), "left: " + vertx.deploymentIDs()));
          return awaitRefused(vertx, StatusReads.httpPort(status));
        })
        .onComplete(testContext.succeeding(refused -> stopped.flag()));
  }

  @Test
  void undeploying_the_supervisor_drains_http_before_stopping_the_worker(Vertx vertx, VertxTestContext testContext) {
    // During the 300 ms drain the worker, which stops after http, must still be running jobs.
    SupervisorVerticle supervisor = supervisor(
        "{\"worker\":{\"intervalMs\":20,\"jobMs\":1},\"shutdown\":{\"drainDelayMs\":300}}");
    Checkpoint drainingSeen = testContext.checkpoint();
    Checkpoint stopped = testContext.checkpoint();

    vertx.deployVerticle(supervisor)
        // A first request warms the client up, so that the one during the drain is quick.
        .compose(id -> get(StatusReads.httpPort(status), "/readyz").map(id))
        .onComplete(testContext.succeeding(id -> {
          long jobsAtUndeploy = StatusReads.jobsCompleted(status);
          vertx.undeploy(id)
              .compose(done -> {
                testContext.verify(() -> {
                  assertTrue(StatusReads.jobsCompleted(status) >= jobsAtUndeploy + 3, "the worker kept working while http"
                      + " drained: " + jobsAtUndeploy + " -> " + StatusReads.jobsCompleted(status) + " jobs");
                  assertEquals(ServiceStatus.State.STOPPING, status.state());
                  assertTrue(vertx.deploymentIDs().isEmpty(), "left deployed: " + vertx.deploymentIDs());
                });
                return awaitRefused(vertx, StatusReads.httpPort(status));
              })
              .onComplete(testContext.succeeding(refused -> stopped.flag()));
          // Requests are still served during the drain, and readiness says so.
          vertx.timer(50, TimeUnit.MILLISECONDS)
              .compose(t -> get(StatusReads.httpPort(status), "/readyz"))
              .onComplete(testContext.succeeding(readyz -> testContext.verify(() -> {
                assertEquals(503, readyz.statusCode());
                assertEquals("{\"status\":\"DRAINING\"}", readyz.body());
                assertEquals("close", readyz.headers().get("connection"));
                drainingSeen.flag();
              })));
        }));
  }

  @Test
  void shutdown_undeploys_everything_and_every_caller_gets_the_same_stop(Vertx vertx,
                                                                        VertxTestContext testContext) {
    SupervisorVerticle supervisor = supervisor("{}");
    Checkpoint stopped = testContext.checkpoint();

    vertx.deployVerticle(supervisor)
        .compose(id -> {
          Future<Void> first = supervisor.supervisor().stop(Termination.requested());
          testContext.verify(() -> assertSame(first, supervisor.supervisor().stop(Termination.requested())));
          return shutdown(vertx, supervisor);
        })
        .compose(done -> {
          testContext.verify(() -> {
            assertTrue(vertx.deploymentIDs().isEmpty(), "left deployed: " + vertx.deploymentIDs());
            assertEquals(List.of(), supervisor.supervisor().busy(), "nothing was cut off");
            assertEquals("requested", supervisor.supervisor().stopBegan().getNow(null).reason(),
                "a requested stop is not a failure");
          });
          return awaitRefused(vertx, StatusReads.httpPort(status));
        })
        .onComplete(testContext.succeeding(refused -> stopped.flag()));
  }

  @Test
  void a_worker_that_undeploys_itself_stops_the_service_and_is_named(Vertx vertx, VertxTestContext testContext) {
    SupervisorVerticle supervisor = supervisor(
        "{\"worker\":{\"intervalMs\":30,\"jobMs\":1},\"simulate\":{\"workerUndeploysAfterJobs\":2}}");
    Checkpoint stopped = testContext.checkpoint();

    vertx.deployVerticle(supervisor)
        .compose(id -> failure(supervisor))
        .compose(component -> {
          testContext.verify(() -> assertEquals("worker", component));
          return Future.fromCompletionStage(supervisor.supervisor().stopped());
        })
        .compose(termination -> {
          testContext.verify(() -> {
            assertEquals("stopped:worker", termination.reason());
            assertEquals(1, vertx.deploymentIDs().size(), "only the supervisor is left: " + vertx.deploymentIDs());
            assertEquals(ServiceStatus.State.STOPPING, status.state(), "readiness is down");
            assertEquals(2, StatusReads.jobsCompleted(status));
          });
          return awaitRefused(vertx, StatusReads.httpPort(status)); // http was stopped too: one exits, all exit
        })
        .onComplete(testContext.succeeding(refused -> stopped.flag()));
  }

  @Test
  void closing_vertx_drains_http_before_stopping_the_worker() throws Exception {
    // Its own Vert.x, closed from this (the test's) thread: a continuation of close() on one of the
    // Vert.x's own event loops would be dispatched to a loop that the close has shut down.
    Vertx own = Vertx.vertx();
    SupervisorVerticle supervisor = supervisor("{\"worker\":{\"intervalMs\":20,\"jobMs\":1},"
        + "\"shutdown\":{\"drainDelayMs\":200}}");
    own.deployVerticle(supervisor).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    long jobsAtClose = StatusReads.jobsCompleted(status);

    own.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertTrue(StatusReads.jobsCompleted(status) >= jobsAtClose + 3, "the worker kept working while http drained: "
        + jobsAtClose + " -> " + StatusReads.jobsCompleted(status) + " jobs");
    assertEquals(java.util.List.of(), supervisor.supervisor().busy());
    assertEquals(ServiceStatus.State.STOPPING, status.state());
  }

  // ---- launcher mode: the public no-arg constructor -------------------------------------------------

  @Test
  void no_arg_supervisor_reads_its_config_from_the_deployment(Vertx vertx, VertxTestContext testContext) {
    assumeNoServiceVariables();
    Checkpoint stopped = testContext.checkpoint();

    vertx.deployVerticle(new SupervisorVerticle(), new DeploymentOptions().setConfig(BASE.copy()))
        .compose(id -> {
          testContext.verify(() -> assertEquals(3, vertx.deploymentIDs().size(), "supervisor, worker and http"));
          return vertx.undeploy(id);
        })
        .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          assertTrue(vertx.deploymentIDs().isEmpty(), "left deployed: " + vertx.deploymentIDs());
          stopped.flag();
        })));
  }

  @Test
  void no_arg_supervisor_fails_to_deploy_with_a_bad_config(Vertx vertx, VertxTestContext testContext) {
    assumeNoServiceVariables();
    JsonObject bad = BASE.copy().mergeIn(new JsonObject("{\"http\":{\"port\":70000}}"), true);
    Checkpoint rejected = testContext.checkpoint();

    vertx.deployVerticle(new SupervisorVerticle(), new DeploymentOptions().setConfig(bad))
        .onComplete(testContext.failing(cause -> testContext.verify(() -> {
          ConfigException e = assertInstanceOf(ConfigException.class, cause);
          assertEquals("http.port", e.key());
          assertTrue(vertx.deploymentIDs().isEmpty(), "nothing started: " + vertx.deploymentIDs());
          rejected.flag();
        })));
  }

  // ---- helpers -------------------------------------------------------------------------------------

  /** The no-arg constructor reads SERVICE_* from the real environment: these tests need it free of them. */
  private static void assumeNoServiceVariables() {
    assumeTrue(System.getenv().keySet().stream().noneMatch(name -> name.startsWith(ConfigLoader.ENV_PREFIX)),
        "SERVICE_* variables are set in this environment");
  }

  /** The component that ended the service (it failed, or stopped on its own); never completes for another stop. */
  private static Future<String> failure(SupervisorVerticle supervisor) {
    return Future.fromCompletionStage(supervisor.supervisor().stopBegan())
        .compose(reason -> reason.exit() == ExitCode.COMPONENT_FAILED
            ? Future.succeededFuture(reason.reason().substring(reason.reason().indexOf(':') + 1))
            : Promise.<String>promise().future());
  }

  /** Stops every component in order (the stop under way, if any), then undeploys the supervisor. */
  private static Future<Void> shutdown(Vertx vertx, SupervisorVerticle supervisor) {
    return supervisor.supervisor().stop(Termination.requested())
        .compose(stopped -> vertx.undeploy(supervisor.deploymentID()).otherwiseEmpty());
  }

  private SupervisorVerticle supervisor(String overrides) {
    JsonObject conf = BASE.copy().mergeIn(new JsonObject(overrides), true);
    return new SupervisorVerticle(ConfigLoader.load(conf.encode(), Map.of()), status, null);
  }

  record Reply(int statusCode, MultiMap headers, String body) { }

  private Future<Reply> get(int port, String uri) {
    return send(HttpMethod.GET, port, uri);
  }

  private Future<Reply> send(HttpMethod method, int port, String uri) {
    // The body is asked for inside send()'s callback: see RoutesTest.request for why.
    return client.request(method, port, HOST, uri)
        .compose(request -> request.send().compose(response -> response.body()
            .map(body -> new Reply(response.statusCode(), response.headers(), body.toString()))));
  }

  /**
   * Completes once a connection to {@code port} is refused. Polled, because a closed NIO listener can
   * still accept for a moment (docs/vertx-behaviour.md); bounded at 3 s.
   */
  private Future<Void> awaitRefused(Vertx vertx, int port) {
    return awaitRefused(vertx, port, System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
  }

  private Future<Void> awaitRefused(Vertx vertx, int port, long deadlineNanos) {
    return netClient.connect(port, HOST).transform(connected -> {
      if (connected.failed()) {
        return connected.cause() instanceof ConnectException
            ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture(connected.cause());
      }
      connected.result().close();
      if (System.nanoTime() > deadlineNanos) {
        return Future.failedFuture(new AssertionError("port " + port + " still accepts connections"));
      }
      return vertx.timer(20, TimeUnit.MILLISECONDS).compose(t -> awaitRefused(vertx, port, deadlineNanos));
    });
  }
}
