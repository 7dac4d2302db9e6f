package io.example.service.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;

/**
 * The built-in logging: one event per line on stdout, text ({@link ConsoleLayout}) or JSON ({@link JsonLayout}),
 * set up in code. Logback's XML configuration loads about 500 classes, an XML parser among them, at every start;
 * this needs a handful. Found by logback through META-INF/services. When a configuration file is named ({@code -Dlogback.configurationFile}, or
 * a {@code conf/logback.xml} that {@link Main} names), it steps aside for logback's own configurator.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

  /** {@code log.format}'s variable, read before the config: logging starts first. */
  static final String FORMAT_VARIABLE = "SERVICE_LOG_FORMAT";
  private static final String APPENDER = "STDOUT";

  /**
   * Switches the built-in console to JSON lines or back to text, once the config is known. Does nothing
   * when a logback configuration file of the user's is in charge; says whether it switched.
   */
  public static boolean useJson(boolean json) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)
        || !(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER) instanceof ConsoleAppender<?> console)
        || !(console.getEncoder() instanceof LayoutWrappingEncoder<?> encoder)
        || !(encoder.getLayout() instanceof SwitchableLayout layout)) {
      return false;
    }
    layout.use(json);
    return true;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    context.getStatusManager().add(new LogbackErrors());
    // The config is not read yet; the variable is, so that every line, the first ones too, is JSON when asked.
    SwitchableLayout layout = new SwitchableLayout("json".equals(System.getenv(FORMAT_VARIABLE)));
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(APPENDER);
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    context.getLogger("io.netty").setLevel(Level.WARN);
    // Vert.x logs an error on a connection that has no exception handler at ERROR, and no handler can be set
    // on an HTTP/2 connection before its first SETTINGS frame: a valid preface followed by any garbage would
    // log one ERROR line per connection. Every other server connection gets the HTTP server's exception
    // handler, which counts and logs at DEBUG, so this logger has nothing else to say for the service.
    context.getLogger("io.vertx.core.net.impl.ConnectionBase").setLevel(Level.OFF);
    // vertx-micrometer-metrics registers its active-requests gauge again on every request, and its
    // connections gauge once per HTTP instance; Micrometer answers each with the meter it already has and
    // warns once ("has been already registered"), which is noise, not a fault.
    context.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
    VertxHttp2BugFilter bugFilter = new VertxHttp2BugFilter();
    bugFilter.setContext(context);
    bugFilter.start();
    context.addTurboFilter(bugFilter);
    context.getLogger("com.hazelcast").setLevel(Level.WARN); // its INFO is a page per member change
    // Warns at every clustered start that the CP subsystem is off; the service does not use it.
    context.getLogger("com.hazelcast.cp.CPSubsystem").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
