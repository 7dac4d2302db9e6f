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

  public static void main(String[] args) throws InterruptedException {
    long startNanos = System.nanoTime();
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
