package io.example.service.edge;

import io.example.service.config.ConfigException;
import io.example.service.config.ConfigReport;
import java.util.List;

/**
 * What the user typed: run (the default), {@code --help}, {@code --version} or {@code --print-config}, and the
 * {@code -conf} value. {@code --help} and {@code --version} stand alone; {@code --print-config} takes a {@code -conf}
 * like a run does. Anything else is a usage error naming the argument (exit 2).
 */
record CommandLine(Action action, String conf) {

  enum Action { RUN, HELP, VERSION, PRINT_CONFIG }

  static final String USAGE = "usage: java -jar service-fat.jar [-conf <file.json | inline JSON>] [--print-config]"
      + " | --help | --version";

  /** Above the simulate.* keys in --help: they make the service fail on purpose. */
  static final String DEMO_HEADING = "Demo and test knobs, not for production (they make a part fail on purpose):";

  static CommandLine parse(List<String> args) {
    Action action = Action.RUN;
    String conf = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      Action flag = flag(arg);
      if (flag != null) {
        if (action != Action.RUN) {
          throw new ConfigException("arguments", "'" + arg + "' cannot be combined with another action; " + USAGE);
        }
        action = flag;
        continue;
      }
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
    if ((action == Action.HELP || action == Action.VERSION) && conf != null) {
      throw new ConfigException("arguments", (action == Action.HELP ? "--help" : "--version")
          + " takes no -conf; " + USAGE);
    }
    return new CommandLine(action, conf);
  }

  private static Action flag(String arg) {
    return switch (arg) {
      case "--help", "-h" -> Action.HELP;
      case "--version" -> Action.VERSION;
      case "--print-config" -> Action.PRINT_CONFIG;
      default -> null;
    };
  }

  /** The usage, the options and every config key with its default and variable, from the defaults tree. */
  static String help() {
    StringBuilder text = new StringBuilder(USAGE).append("\n\n")
        .append("  -conf <file | JSON>   the config: a file path or inline JSON (also --conf, -conf=...)\n")
        .append("  --print-config        print the resolved config and each key's source as JSON, then exit\n")
        .append("  --version             print the version, then exit\n")
        .append("  -h, --help            print this help, then exit\n\n")
        .append("Config keys (built-in defaults < -conf < environment variables):\n");
    ConfigReport.keys().forEach(line -> text.append(line).append('\n'));
    text.append(ConfigReport.autoNote()).append("\n\n").append(DEMO_HEADING).append('\n');
    ConfigReport.demoKeys().forEach(line -> text.append(line).append('\n'));
    return text.toString();
  }

  /** The jar manifest's Implementation-Version; run from classes there is none. */
  static String version() {
    String version = CommandLine.class.getPackage().getImplementationVersion();
    return "supervised-service " + (version == null ? "(development build, no jar manifest)" : version);
  }
}
