package io.example.service;

import io.example.service.config.ConfigException;
import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ProcessExit;
import io.example.service.lifecycle.Termination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process edge: arguments and environment to a config (exit 2 if unusable), run the service, and
 * end the process with the exit code and summary line of why it stopped. Nothing else exits the JVM.
 *
 * <p>Usage: {@code java -jar service-fat.jar [-conf <file or inline JSON>]}
 */
public final class Main {

  static final String USAGE = "usage: java -jar service-fat.jar [-conf <file.json | inline JSON>]";
  static final Path LOGBACK_OVERRIDE = Path.of("conf", "logback.xml");

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    long startNanos = System.nanoTime();
    // Before anything touches a logger: a conf/logback.xml replaces the built-in configuration.
    if (System.getProperty("logback.configurationFile") == null && Files.isReadable(LOGBACK_OVERRIDE)) {
      System.setProperty("logback.configurationFile", LOGBACK_OVERRIDE.toString());
    }
    ServiceConfig config;
    try {
      config = ConfigLoader.load(confArgument(List.of(args)), System.getenv());
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      new ProcessExit().exit(Termination.config(), startNanos);
      return;
    }
    new ServiceRunner(config).run(startNanos);
  }

  /** The value of {@code -conf}/{@code --conf} (also {@code -conf=...}), or null when absent. */
  public static String confArgument(List<String> args) {
    String conf = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (!name.equals("-conf") && !name.equals("--conf")) {
        throw new ConfigException("arguments", "unknown argument '" + arg + "'; " + USAGE);
      }
      if (conf != null) {
        throw new ConfigException("-conf", "given more than once; " + USAGE);
      }
      if (arg.contains("=")) {
        conf = arg.substring(arg.indexOf('=') + 1);
      } else if (i + 1 < args.size()) {
        conf = args.get(++i);
      } else {
        throw new ConfigException("-conf", "needs a file path or inline JSON; " + USAGE);
      }
    }
    return conf;
  }
}
