package io.example.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small blocking HTTP client on 127.0.0.1 for the process tests, every call bounded in time. */
public final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private Http() {}

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return CLIENT.send(request(port, path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(int port, String path) throws IOException, InterruptedException {
    return CLIENT.send(request(port, path).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A POST with an {@code Authorization} header. */
  static HttpResponse<String> post(int port, String path, String authorization) throws IOException, InterruptedException {
    return CLIENT.send(request(port, path).header("Authorization", authorization)
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends now, answers later: for requests that are meant to be in flight during a shutdown. */
  static CompletableFuture<HttpResponse<String>> getAsync(int port, String path) {
    return CLIENT.sendAsync(request(port, path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(70));
  }
}
