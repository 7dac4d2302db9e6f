package io.example.service.http;

import io.example.service.StatusReads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.example.service.BadRequests;
import io.example.service.RawHttp;
import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.http.Rejections.Reason;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.WarmupTraffic;
import io.example.service.lifecycle.TestSupervision;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Each malformed request of {@link BadRequests} through a real {@link HttpVerticle}: its 4xx (or a closed
 * connection), exactly one count under its reason, and no WARN or ERROR line. And the other side: a route
 * that throws is our bug, so it is a 500 with an ERROR and its stack trace.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class BadTrafficTest {

  private static final String CONF = "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":2,"
      + "\"maxRequestLineBytes\":" + BadRequests.MAX_LINE + ",\"maxHeaderBytes\":" + BadRequests.MAX_HEADER
      + ",\"maxBodyBytes\":" + BadRequests.MAX_BODY + "}}";

  private final ServiceStatus status = new ServiceStatus();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private HttpComponent http;

  @BeforeEach
  void deploy_http(Vertx vertx, VertxTestContext testContext) {
    logged.start();
    root.addAppender(logged);
    ServiceConfig config = ConfigLoader.load(CONF, Map.of());
    http = new HttpComponent(config, status, null, List.of(), WarmupTraffic.create());
    status.add(http.state());
    http.start(vertx, new TestSupervision(cause -> { })).onComplete(testContext.succeedingThenComplete());
  }

  @AfterEach
  void detach_log() {
    root.detachAppender(logged);
  }

  static Stream<BadRequests.Case> cases() {
    return BadRequests.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void malformed_request_gets_its_4xx_one_count_and_no_log_line(BadRequests.Case bad) throws Exception {
    RawHttp.Answer answer = RawHttp.exchange(StatusReads.httpPort(status), bad.bytes(), 3000, bad.closes());
    assertEquals(bad.status(), answer.status(), answer.text());
    if (bad.closes()) {
      assertTrue(answer.closed(), "connection left open: " + answer.text());
    }
    Reason reason = Arrays.stream(Reason.values()).filter(r -> r.label().equals(bad.reason())).findFirst().orElseThrow();
    Rejections rejections = http.rejections();
    awaitCount(rejections, reason); // counted on the server's event loop, which may lag the client's read
    assertEquals(1, rejections.toJson().stream().mapToLong(e -> (Long) e.getValue()).sum(), rejections.toJson()::encode);
    assertEquals(List.of(), atLeast(Level.WARN).stream().map(ILoggingEvent::getFormattedMessage).toList());
  }

  @Test
  void a_route_that_throws_is_a_500_with_an_error_and_its_stack_trace(Vertx vertx) throws Exception {
    Rejections rejections = new Rejections();
    RequestGate gate = new RequestGate(status, new HttpState(), new RequestLimits(BadRequests.MAX_BODY, rejections),
        new ConnectionTracker(), WarmupTraffic.create());
    Router router = new Routes(vertx, ConfigLoader.load("{}", Map.of()), status, gate, cause -> { }, null, List.of())
        .router();
    router.get("/boom").handler(ctx -> {
      throw new IllegalStateException("a bug in a route");
    });
    HttpServer server = vertx.createHttpServer().requestHandler(gate.inFrontOf(router)).listen(0, "127.0.0.1")
        .await(5, TimeUnit.SECONDS);
    RawHttp.Answer answer = RawHttp.exchange(server.actualPort(), "GET /boom HTTP/1.1\r\nHost: x\r\n\r\n", 3000, false);
    assertEquals(500, answer.status(), answer.text());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (atLeast(Level.ERROR).isEmpty() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(5); // polling what was logged, with a deadline
    }
    List<ILoggingEvent> errors = atLeast(Level.ERROR);
    assertEquals(1, errors.size(), "one ERROR line: " + errors);
    assertEquals("a bug in a route", errors.get(0).getThrowableProxy().getMessage());
    assertEquals(0, rejections.toJson().stream().mapToLong(e -> (Long) e.getValue()).sum(),
        "our bug is not counted as the client's");
  }

  /** What was logged at {@code level} or above; the appender adds under its own lock. */
  private List<ILoggingEvent> atLeast(Level level) {
    synchronized (logged) {
      return logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(level)).toList();
    }
  }

  private static void awaitCount(Rejections rejections, Reason reason) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (rejections.total(reason) == 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(5); // polling a counter with a deadline, not waiting for an event
    }
    assertEquals(1, rejections.total(reason), () -> "counted " + rejections.toJson().encode());
  }
}
