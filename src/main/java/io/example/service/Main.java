package io.example.service;

import io.example.service.config.ConfigException;
import io.example.service.config.ConfigLoader;
import io.example.service.config.ConfigReport;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ProcessExit;
import io.example.service.lifecycle.Termination;
import io.example.service.logging.ConsoleLogging;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process edge: arguments and environment to a config (exit 2 if unusable), run the service, and
 * end the process with the exit code and summary line of why it stopped. Nothing else exits the JVM.
 *
 * <p>Usage: {@code java -jar service-fat.jar [-conf <file or inline JSON>] [--print-config] | --help | --version}
 */
public final class Main {

  static final Path LOGBACK_OVERRIDE = Path.of("conf", "logback.xml");

  private Main() {}

  /**
   * Netty 4.2 registers its buffer-allocator events with the JDK's flight recorder when the first connection
   * allocates, unless told not to: on the event loop, about 70 classes and 80 ms before the first answer
   * (profiled). Those events are off in the JDK's recording settings anyway. An explicit
   * {@code -Dio.netty.jfr.enabled=true} still turns them on. Before anything loads Netty.
   */
  static void quietNettyFlightRecorderEvents() { // package-private for its test
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }

  public static void main(String[] args) throws InterruptedException {
    long startNanos = System.nanoTime();
    quietNettyFlightRecorderEvents();
    // Before anything touches a logger: a conf/logback.xml replaces the built-in configuration.
    if (System.getProperty("logback.configurationFile") == null && Files.isReadable(LOGBACK_OVERRIDE)) {
      System.setProperty("logback.configurationFile", LOGBACK_OVERRIDE.toString());
    }
    CommandLine command;
    ServiceConfig config = null;
    try {
      command = CommandLine.parse(List.of(args));
      if (command.action() == CommandLine.Action.RUN || command.action() == CommandLine.Action.PRINT_CONFIG) {
        config = ConfigLoader.load(command.conf(), System.getenv());
      }
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      new ProcessExit().exit(Termination.config(), startNanos);
      return;
    }
    switch (command.action()) {
      case HELP -> System.out.print(CommandLine.help());
      case VERSION -> System.out.println(CommandLine.version());
      case PRINT_CONFIG -> System.out.println(ConfigReport.printable(config).encodePrettily());
      case RUN -> {
        ConsoleLogging.useJson(config.log().json()); // before the first line: nothing has logged yet
        new ServiceRunner(config).run(startNanos);
      }
    }
  }
}
