package io.example.service.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops one WARN with a stack trace that hostile HTTP/2 traffic can trigger at will, and nothing else.
 * In Vert.x 5.0.10, when Netty fails to write an RST_STREAM for a stream that Vert.x has not yet made its own,
 * {@code Http2ConnectionBase.onConnectionError} throws a NullPointerException in a Netty listener, which
 * Netty's DefaultPromise logs at WARN with the trace ("An exception was thrown by ...operationComplete()").
 * The connection is closed by Netty either way. Any other event of that logger passes.
 */
final class VertxHttp2BugFilter extends TurboFilter {

  private static final String LOGGER = "io.netty.util.concurrent.DefaultPromise";
  private static final String CLASS = "io.vertx.core.http.impl.Http2ConnectionBase";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (t instanceof NullPointerException && level == Level.WARN && LOGGER.equals(logger.getName())) {
      StackTraceElement[] trace = t.getStackTrace();
      if (trace.length > 0 && CLASS.equals(trace[0].getClassName()) && "onConnectionError".equals(trace[0].getMethodName())) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
