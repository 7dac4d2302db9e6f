package io.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.http.AddedRoutes;
import io.example.service.lifecycle.Component;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervisor;
import io.example.service.lifecycle.Termination;
import io.example.service.metrics.MetricsComponent;
import io.example.service.metrics.MetricsSetup;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recipe 2 of docs/make-it-yours.md, "Add a route": a route of the team's own, given to the route table through
 * {@link AddedRoutes} where the component list is made, in a Vert.x built as the main mode builds it (with the
 * HTTP meters). It is counted in the meters that {@code GET /metrics} serves, and a request on it that is in
 * flight when the stop begins completes, as one on {@code GET /} does. A route that takes a body reads it the
 * usual way, sent with a Content-Length or chunked, and a chunked one over the limit is still refused. The stop is the one that SIGTERM begins
 * ({@code Termination.signal(SIGTERM)}) on the supervisor embedded here; the signal handler and the exit code
 * are the process edge's, which GracefulDrainIT covers for every route alike.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
public class RecipeAddARouteTest {

  /** The recipe's route: {@code GET /quotes/:symbol}, answered from an asynchronous lookup. */
  static final class QuoteRoutes implements AddedRoutes {

    private final Function<String, Future<String>> lookup;

    QuoteRoutes(Function<String, Future<String>> lookup) {
      this.lookup = lookup;
    }

    @Override
    public void addTo(Router router, Vertx vertx) {
      router.get("/quotes/:symbol").handler(this::quote);
      // The two ways to read a body: vertx-web's BodyHandler, then ctx.body(); or Vert.x core's request.body().
      router.post("/quotes").handler(BodyHandler.create(false)).handler(this::added);
      router.put("/quotes/:symbol").handler(this::replaced);
    }

    /** Echoes the JSON quote it was sent, as the recipe's POST route does. */
    private void added(RoutingContext ctx) {
      ctx.json(ctx.body().asJsonObject());
    }

    /** Echoes the JSON quote it was sent, read with the request's own body(), under the symbol of its path. */
    private void replaced(RoutingContext ctx) {
      String symbol = ctx.pathParam("symbol");
      ctx.request().body().onComplete(body -> {
        if (body.succeeded()) {
          ctx.json(body.result().toJsonObject().put("symbol", symbol));
        } else {
          ctx.fail(body.cause());
        }
      });
    }

    private void quote(RoutingContext ctx) {
      lookup.apply(ctx.pathParam("symbol")).onComplete(found -> {
        if (found.succeeded()) {
          ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(found.result());
        } else {
          ctx.response().setStatusCode(503).end("quotes are unavailable");
        }
      });
    }
  }

  private static final int MAX_BODY = 1024;
  private static final ServiceConfig CONFIG = ConfigLoader.load("{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,"
      + "\"instances\":2,\"maxBodyBytes\":" + MAX_BODY + "},\"worker\":{\"intervalMs\":50,\"jobMs\":1},"
      + "\"shutdown\":{\"timeoutMs\":5000,\"drainDelayMs\":0}}", Map.of());

  private final ServiceStatus status = new ServiceStatus();
  private final Promise<Void> slowLookupBegan = Promise.promise();
  private final Promise<String> slowAnswer = Promise.promise();
  private volatile Context slowLookupOn;
  private Vertx vertx;
  private MetricsComponent metrics;
  private Supervisor supervisor;

  @BeforeEach
  void start() throws Exception {
    vertx = MetricsSetup.vertxBuilder(CONFIG, new VertxOptions()).build();
    List<Component> parts = ServiceComponents.of(CONFIG, status, null, List.of(new QuoteRoutes(this::lookUp)));
    metrics = parts.stream().filter(MetricsComponent.class::isInstance).map(MetricsComponent.class::cast)
        .findFirst().orElseThrow();
    supervisor = new Supervisor(parts, status, CONFIG.startup().timeoutMs(), CONFIG.shutdown().timeoutMs());
    supervisor.start(vertx).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    supervisor.stop(Termination.requested()).await(10, TimeUnit.SECONDS); // the stop already under way, if any
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void recipe_route_is_counted_in_the_http_meters_of_metrics() throws Exception {
    HttpResponse<String> quote = Http.get(StatusReads.httpPort(status), "/quotes/ACME");

    assertEquals(200, quote.statusCode());
    assertEquals("ACME 42.00", quote.body());
    // The text GET /metrics serves, read without a request of its own: the quote is the only request so far.
    assertEquals(1.0, awaitMeter("vertx_http_server_requests_total", 1.0));
  }

  @Test
  void recipe_route_request_in_flight_at_sigterm_completes() throws Exception {
    int port = StatusReads.httpPort(status);
    CompletableFuture<HttpResponse<String>> slow = Http.getAsync(port, "/quotes/SLOW");
    slowLookupBegan.future().await(5, TimeUnit.SECONDS);

    Future<Void> stop = supervisor.stop(Termination.signal("SIGTERM"));
    awaitRefused(port); // the listener has closed: the drain now waits on the request in flight
    assertFalse(stop.isComplete(), "the stop waits for the request in flight");
    assertEquals(1.0, awaitMeter("vertx_http_server_active_requests", 1.0), "in flight, in the HTTP meters");
    slowLookupOn.runOnContext(ignored -> slowAnswer.complete("SLOW 1.00"));

    HttpResponse<String> answer = slow.get(5, TimeUnit.SECONDS);
    assertEquals(200, answer.statusCode());
    assertEquals("SLOW 1.00", answer.body());
    stop.await(5, TimeUnit.SECONDS);
    Termination termination = supervisor.stopped().get(5, TimeUnit.SECONDS);
    assertTrue(termination.summary(0).startsWith("service stopped: reason=signal:SIGTERM, exit=0"),
        termination.summary(0));
  }

  @Test
  void recipe_route_reads_a_json_body_sent_with_content_length() throws Exception {
    String quote = "{\"symbol\":\"ACME\",\"price\":\"42.00\"}";
    RawHttp.Answer answer = RawHttp.exchange(StatusReads.httpPort(status), "POST /quotes HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + quote.length() + "\r\n\r\n" + quote, 5000, false);

    assertEquals(200, answer.status(), answer.text());
    assertEquals(new JsonObject(quote), new JsonObject(body(answer)));
  }

  @Test
  void recipe_route_reads_a_json_body_sent_chunked() throws Exception {
    String quote = "{\"symbol\":\"ACME\",\"price\":\"42.00\"}";
    RawHttp.Answer answer = RawHttp.exchange(StatusReads.httpPort(status), chunked("POST /quotes", quote), 5000, false);

    assertEquals(200, answer.status(), answer.text());
    assertEquals(new JsonObject(quote), new JsonObject(body(answer)));
  }

  @Test
  void recipe_route_reads_a_chunked_body_with_the_requests_own_body() throws Exception {
    String quote = "{\"price\":\"43.00\"}";
    RawHttp.Answer answer = RawHttp.exchange(StatusReads.httpPort(status), chunked("PUT /quotes/ACME", quote), 5000, false);

    assertEquals(200, answer.status(), answer.text());
    assertEquals(new JsonObject(quote).put("symbol", "ACME"), new JsonObject(body(answer)));
  }

  @Test
  void recipe_route_chunked_body_over_the_limit_gets_413_closed_and_counted() throws Exception {
    String quote = "{\"symbol\":\"ACME\",\"note\":\"" + "n".repeat(MAX_BODY) + "\"}";
    RawHttp.Answer answer = RawHttp.exchange(StatusReads.httpPort(status), chunked("POST /quotes", quote), 5000, true);

    assertEquals(413, answer.status(), answer.text());
    assertTrue(answer.closed(), "still open after the answer: " + answer.text());
    JsonObject rejected = new JsonObject(Http.get(StatusReads.httpPort(status), "/status").body())
        .getJsonObject("http").getJsonObject("rejected");
    assertEquals(1L, rejected.getLong("body_too_large"), rejected.encode());
  }

  /** {@code body} in two chunks, so that a route which sees only one of them answers the wrong JSON. */
  private static String chunked(String requestLine, String body) {
    int half = body.length() / 2;
    return requestLine + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(half) + "\r\n" + body.substring(0, half) + "\r\n"
        + Integer.toHexString(body.length() - half) + "\r\n" + body.substring(half) + "\r\n0\r\n\r\n";
  }

  private static String body(RawHttp.Answer answer) {
    return answer.text().substring(answer.text().indexOf("\r\n\r\n") + 4);
  }

  /** The test's lookup: every symbol at once, but SLOW only when the test says so. */
  private Future<String> lookUp(String symbol) {
    if (!symbol.equals("SLOW")) {
      return Future.succeededFuture(symbol + " 42.00");
    }
    slowLookupOn = Vertx.currentContext();
    slowLookupBegan.complete();
    return slowAnswer.future();
  }

  /** The meter's value once it reads {@code expected}, or the last value read within 5 s. */
  private double awaitMeter(String series, double expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      Double value = Scrape.parse(metrics.scrape().await(5, TimeUnit.SECONDS)).value(series);
      if ((value != null && value == expected) || System.nanoTime() > deadline) {
        return value == null ? Double.NaN : value;
      }
      vertx.timer(10, TimeUnit.MILLISECONDS).await(1, TimeUnit.SECONDS); // a bounded poll on the test thread
    }
  }

  /** Returns once a connection to {@code port} is refused; a closed listener can still accept for a moment. */
  private void awaitRefused(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      } catch (ConnectException refused) {
        return;
      } catch (IOException other) {
        // a timeout or a reset: not yet a refusal, poll again
      }
      vertx.timer(10, TimeUnit.MILLISECONDS).await(1, TimeUnit.SECONDS);
    }
    throw new AssertionError("port " + port + " still accepts connections");
  }
}
