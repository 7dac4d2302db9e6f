package io.example.service;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Samples {@code /status} of every live member about every 50 ms, on its own thread, and records each
 * sample that breaks the cluster's promise: two members active, or two jobs running, at once. A sample
 * is not one instant (the requests go out together and come back at slightly different times), so two
 * active members count only when two samples in a row show them (a handover takes milliseconds; a real
 * double holder lasts), and two running jobs count when the sample took under 200 ms (after a handover
 * the next job starts about an interval later).
 */
final class ClusterSampler implements AutoCloseable {

  /** One member's answer, or null when it did not answer in time (frozen, gone). */
  record State(boolean active, boolean jobRunning, long jobsCompleted, int members) {}

  private static final Duration ANSWER_TIMEOUT = Duration.ofMillis(400);
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(ANSWER_TIMEOUT).build();
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final Thread thread = new Thread(this::loop, "cluster-sampler");
  private volatile boolean running = true;
  private volatile int samples;

  void watch(String member, int httpPort) {
    ports.put(member, httpPort);
  }

  void forget(String member) {
    ports.remove(member);
  }

  void start() {
    thread.setDaemon(true);
    thread.start();
  }

  /** Every live member's state now; members that do not answer in time are left out. */
  Map<String, State> sample() {
    Map<String, CompletableFuture<HttpResponse<String>>> pending = new LinkedHashMap<>();
    ports.forEach((member, port) -> pending.put(member, client.sendAsync(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/status")).timeout(ANSWER_TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString())));
    Map<String, State> states = new LinkedHashMap<>();
    pending.forEach((member, answer) -> {
      try {
        JsonObject body = new JsonObject(answer.get(ANSWER_TIMEOUT.toMillis() + 100, TimeUnit.MILLISECONDS).body());
        JsonObject worker = body.getJsonObject("worker");
        states.put(member, new State(worker.getBoolean("active"), worker.getBoolean("jobRunning"),
            worker.getLong("jobsCompleted"), body.getJsonObject("cluster").getInteger("members")));
      } catch (Exception noAnswer) {
        answer.cancel(true);
      }
    });
    return states;
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  int samples() {
    return samples;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(2000);
  }

  private void loop() {
    List<String> activeBefore = List.of();
    while (running) {
      long began = System.nanoTime();
      Map<String, State> states = sample();
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      List<String> active = new ArrayList<>();
      List<String> busy = new ArrayList<>();
      states.forEach((member, state) -> {
        if (state.active()) {
          active.add(member);
        }
        if (state.jobRunning()) {
          busy.add(member);
        }
      });
      if (active.size() > 1 && activeBefore.size() > 1) {
        violations.add("two samples in a row with several active members: " + active + " " + states);
      }
      if (busy.size() > 1 && tookMs < 200) {
        violations.add("several jobs running at once: " + busy + " " + states);
      }
      activeBefore = active;
      samples++;
      sleepQuietly(Math.max(1, 50 - tookMs));
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      // The sampler's pace, not a synchronisation: nothing waits on it.
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
