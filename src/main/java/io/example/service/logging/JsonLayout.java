package io.example.service.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * {@code log.format} json: one JSON object per line, {@code {"timestamp":"2026-11-22T05:43:02.822Z","level":"INFO",
 * "logger":"...","thread":"...","message":"...", <the event's key-value pairs>}}, then {@code stack_trace} if any.
 * Ours rather than logback's JsonEncoder, which puts key-value pairs in a {@code kvpList} array instead of as
 * keys, writes the time as epoch milliseconds, and repeats the logger context on every line.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {

  /** A key-value pair may not overwrite a field every line has: it is written with this prefix instead. */
  static final String CLASH_PREFIX = "kv_";
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final Set<String> RESERVED = Set.of("timestamp", "level", "logger", "thread", "message", "stack_trace");

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(256);
    line.append("{\"timestamp\":\"");
    ConsoleLayout.appendUtc(line, event.getTimeStamp());
    line.append('"');
    string(line, "level", event.getLevel().toString());
    string(line, "logger", event.getLoggerName());
    string(line, "thread", event.getThreadName());
    string(line, "message", event.getFormattedMessage());
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        String key = String.valueOf(pair.key);
        value(line, RESERVED.contains(key) ? CLASH_PREFIX + key : key, pair.value);
      }
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      string(line, "stack_trace", ThrowableProxyUtil.asString(thrown));
    }
    return line.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
  }

  private static void string(StringBuilder line, String key, String value) {
    key(line, key);
    quoted(line, value);
  }

  /** Whole numbers, finite decimals and booleans stay JSON literals, so a pipeline can compare them. */
  private static void value(StringBuilder line, String key, Object value) {
    key(line, key);
    if (value == null) {
      line.append("null");
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte || value instanceof BigInteger || value instanceof BigDecimal) {
      line.append(value);
    } else if ((value instanceof Double || value instanceof Float) && Double.isFinite(((Number) value).doubleValue())) {
      line.append(value);
    } else {
      quoted(line, String.valueOf(value));
    }
  }

  private static void key(StringBuilder line, String key) {
    line.append(',');
    quoted(line, key);
    line.append(':');
  }

  /** JSON string escaping: quote, backslash and every control character, so that one event stays one line. */
  static void quoted(StringBuilder line, String text) {
    line.append('"');
    String value = text == null ? "null" : text;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> {
          if (c < 0x20) {
            line.append("\\u00").append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
          } else {
            line.append(c);
          }
        }
      }
    }
    line.append('"');
  }
}
