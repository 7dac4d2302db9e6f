package io.example.service.edge;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.example.service.edge.CommandLine.Action;
import io.example.service.config.ConfigException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What Main accepts on its command line: -conf in every spelling, the three actions, and what it refuses. */
public class CommandLineTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodArguments")
  void conf_argument_is_read_in_every_spelling(List<String> args, String expected) {
    assertEquals(new CommandLine(Action.RUN, expected), CommandLine.parse(args));
  }

  static Stream<Arguments> goodArguments() {
    return Stream.of(
        Arguments.of(List.of("-conf", "conf/app.json"), "conf/app.json"),
        Arguments.of(List.of("--conf", "conf/app.json"), "conf/app.json"),
        Arguments.of(List.of("-conf=conf/app.json"), "conf/app.json"),
        Arguments.of(List.of("--conf=conf/app.json"), "conf/app.json"),
        Arguments.of(List.of("-conf", "{\"http\":{\"port\":0}}"), "{\"http\":{\"port\":0}}"),
        Arguments.of(List.of("-conf={\"http\":{\"host\":\"a=b\"}}"), "{\"http\":{\"host\":\"a=b\"}}"));
  }

  @Test
  void no_arguments_mean_no_conf() {
    assertNull(CommandLine.parse(List.of()).conf());
    assertEquals(Action.RUN, CommandLine.parse(List.of()).action());
  }

  @Test
  void actions_are_recognised() {
    assertEquals(new CommandLine(Action.HELP, null), CommandLine.parse(List.of("--help")));
    assertEquals(new CommandLine(Action.HELP, null), CommandLine.parse(List.of("-h")));
    assertEquals(new CommandLine(Action.VERSION, null), CommandLine.parse(List.of("--version")));
    assertEquals(new CommandLine(Action.PRINT_CONFIG, null), CommandLine.parse(List.of("--print-config")));
    assertEquals(new CommandLine(Action.PRINT_CONFIG, "a.json"),
        CommandLine.parse(List.of("--print-config", "-conf", "a.json")));
    assertEquals(new CommandLine(Action.PRINT_CONFIG, "a.json"),
        CommandLine.parse(List.of("-conf", "a.json", "--print-config")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArguments")
  void rejects_bad_arguments_naming_them(List<String> args, String key, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> CommandLine.parse(args));

    String message = e.getMessage();
    assertAll(
        () -> assertEquals(key, e.key()),
        () -> assertTrue(message.startsWith(key + ": "), message),
        () -> assertTrue(message.contains(problem), message),
        () -> assertTrue(message.contains("usage:"), message),
        () -> assertFalse(message.contains("\n"), message));
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        Arguments.of(List.of("-conf"), "-conf", "needs a file path or inline JSON"),
        Arguments.of(List.of("--port", "8080"), "arguments", "unknown argument '--port'"),
        Arguments.of(List.of("run"), "arguments", "unknown argument 'run'"),
        Arguments.of(List.of("-config", "x.json"), "arguments", "unknown argument '-config'"),
        Arguments.of(List.of("-conf", "a.json", "extra"), "arguments", "unknown argument 'extra'"),
        Arguments.of(List.of("-conf", "a.json", "--conf", "b.json"), "-conf", "given more than once"),
        Arguments.of(List.of("-help"), "arguments", "unknown argument '-help'"),
        Arguments.of(List.of("--help", "--version"), "arguments", "'--version' cannot be combined"),
        Arguments.of(List.of("--print-config", "--print-config"), "arguments", "cannot be combined"),
        Arguments.of(List.of("--version", "-conf", "a.json"), "arguments", "--version takes no -conf"),
        Arguments.of(List.of("--help", "extra"), "arguments", "unknown argument 'extra'"));
  }

  @Test
  void help_lists_the_flags_and_every_key() {
    String help = CommandLine.help();

    assertTrue(help.startsWith(CommandLine.USAGE), help);
    for (String word : List.of("--print-config", "--version", "--help", "http.port", "SERVICE_HTTP_PORT",
        "shutdown.drainDelayMs", "SERVICE_SHUTDOWN_DRAIN_DELAY_MS", "simulate.workerFailAfterJobs")) {
      assertTrue(help.contains(word), word + " in:\n" + help);
    }
  }

  @Test
  void help_lists_the_simulate_knobs_under_their_own_heading_after_the_real_keys() {
    String help = CommandLine.help();
    int heading = help.indexOf(CommandLine.DEMO_HEADING);

    assertTrue(heading > 0, help);
    assertEquals(-1, help.substring(0, heading).indexOf("simulate."), "no simulate.* key above the heading:\n" + help);
    String demoPart = help.substring(heading + CommandLine.DEMO_HEADING.length());
    for (String word : List.of("simulate.workerStartFailure", "simulate.workerStartHangs",
        "simulate.workerFailAfterJobs", "simulate.workerUndeploysAfterJobs")) {
      assertTrue(demoPart.contains(word), word + " under the heading in:\n" + help);
    }
    for (String realKey : List.of("http.port", "worker.jobMs", "shutdown.timeoutMs", "cluster.members")) {
      assertFalse(demoPart.contains(realKey), realKey + " is not a demo knob:\n" + help);
    }
  }

  @Test
  void version_from_classes_says_it_has_no_manifest() {
    // Unit tests run from target/classes, which has no manifest; the process test checks the jar's version.
    assertEquals("supervised-service (development build, no jar manifest)", CommandLine.version());
  }
}
