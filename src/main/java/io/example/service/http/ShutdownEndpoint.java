package io.example.service.http;

import io.example.service.config.ServiceConfig;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Consumer;

/**
 * {@code POST /shutdown}: the one route that can stop the service, so it decides who may. Off unless
 * {@code admin.shutdownEndpoint} is set (then it is a 404 like any unknown path), POST only (405 otherwise),
 * and only with {@code Authorization: Bearer <admin.token>} (401 otherwise, counted as a rejection). An
 * accepted request is answered 202 first, then the HTTP component stops as if it had failed.
 *
 * <p>Why a secret and not the caller's address: behind a sidecar or any reverse proxy on the same host, every
 * caller arrives from loopback (an Istio sidecar forwards from 127.0.0.6 or 127.0.0.1), so a peer address proves
 * nothing. A handler of its own, so that it can be mounted on whichever router serves the admin paths.
 */
public final class ShutdownEndpoint implements Handler<RoutingContext> {

  private static final String BEARER = "Bearer ";
  private static final CharSequence WWW_AUTHENTICATE = HttpHeaders.createOptimized("WWW-Authenticate");
  private static final CharSequence CHALLENGE = HttpHeaders.createOptimized("Bearer");

  private final boolean enabled;
  private final byte[] token;
  private final Rejections rejections;
  private final Consumer<Throwable> stopHttp;

  /**
   * @param rejections where a refused caller is counted
   * @param stopHttp stops the HTTP component as if it had failed
   */
  public ShutdownEndpoint(ServiceConfig.Admin admin, Rejections rejections, Consumer<Throwable> stopHttp) {
    this.enabled = admin.shutdownEndpoint();
    this.token = admin.token() == null ? null : admin.token().getBytes(StandardCharsets.UTF_8);
    this.rejections = rejections;
    this.stopHttp = stopHttp;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!enabled) {
      ctx.next(); // disabled: as if the route did not exist (404)
    } else if (ctx.request().method() != HttpMethod.POST) {
      ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
      Responses.text(ctx, 405, "use POST");
    } else if (!authorized(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      // No detail: missing and wrong look the same, and nothing about the token is said or logged.
      rejections.count(Rejections.Reason.UNAUTHORIZED);
      ctx.response().putHeader(WWW_AUTHENTICATE, CHALLENGE);
      Responses.text(ctx, 401, "unauthorized");
    } else {
      ctx.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, Responses.TEXT)
          .end("stopping")
          .onComplete(ignored -> stopHttp.accept(new IllegalStateException("stop requested with POST /shutdown")));
    }
  }

  /**
   * Compared in constant time: the time {@link MessageDigest#isEqual} takes depends on the length of its first
   * argument only, the configured token, never on how much of a guess matches.
   */
  private boolean authorized(String header) {
    if (token == null || header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(token, given);
  }
}
