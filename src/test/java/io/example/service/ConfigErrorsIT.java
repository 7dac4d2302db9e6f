package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static io.example.service.ServiceProcessIT.assertSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A config that cannot be used stops the real process before anything starts: one stderr line, exit 2. */
public class ConfigErrorsIT {

  static Stream<Arguments> unusableConfigs() {
    return Stream.of(
        Arguments.of(List.of("-conf", "{\"http\":{\"port\":70000}}"), Map.of(), "http.port"),
        Arguments.of(List.of("-conf", "{\"http\":{\"prot\":8080}}"), Map.of(), "http.prot"),
        Arguments.of(List.of("-conf", "{\"worker\":{\"intervalMs\":\"fast\"}}"), Map.of(), "worker.intervalMs"),
        Arguments.of(List.of("-conf", "{\"worker\":{\"jobMs\":-1}}"), Map.of(), "worker.jobMs"),
        Arguments.of(List.of("-conf", "{\"shutdown\":{\"timeoutMs\":0}}"), Map.of(), "shutdown.timeoutMs"),
        Arguments.of(List.of("-conf", "{\"shutdown\":{\"drainDelayMs\":4800}}"), Map.of(), "shutdown.drainDelayMs"),
        Arguments.of(List.of("-conf", "{\"http\":"), Map.of(), "-conf"),
        Arguments.of(List.of("-conf", "no/such/file.json"), Map.of(), "-conf"),
        Arguments.of(List.of(), Map.of("SERVICE_HTTP_PORT", "eighty"), "SERVICE_HTTP_PORT"),
        Arguments.of(List.of("--port", "8080"), Map.of(), "arguments"),
        Arguments.of(List.of("-help"), Map.of(), "arguments"),
        Arguments.of(List.of("--help", "--version"), Map.of(), "arguments"),
        Arguments.of(List.of("--version", "-conf", "conf/app.json"), Map.of(), "arguments"),
        Arguments.of(List.of("--print-config", "extra"), Map.of(), "arguments"),
        Arguments.of(List.of("--print-config", "-conf", "{\"http\":{\"port\":70000}}"), Map.of(), "http.port"),
        Arguments.of(List.of("--print-config"), Map.of("SERVICE_SHUTDOWN_TIMEOUT_MS", "soon"), "SERVICE_SHUTDOWN_TIMEOUT_MS"),
        Arguments.of(List.of("-conf", "{\"shutdown\":{\"timeoutMs\":\"later\"}}"), Map.of(), "shutdown.timeoutMs"),
        Arguments.of(List.of("-conf", "{\"startup\":{\"timeoutMs\":0}}"), Map.of(), "startup.timeoutMs"),
        Arguments.of(List.of("-conf", "{\"management\":{\"port\":\"on\"}}"), Map.of(), "management.port"),
        Arguments.of(List.of("-conf", "{\"management\":{\"port\":70000}}"), Map.of(), "management.port"),
        Arguments.of(List.of(), Map.of("SERVICE_MANAGEMENT_PORT", "nine"), "SERVICE_MANAGEMENT_PORT"));
  }

  @ParameterizedTest
  @MethodSource("unusableConfigs")
  void unusable_config_exits_2_with_one_stderr_line_naming_the_key(List<String> args, Map<String, String> env,
                                                                  String key) throws Exception {
    try (ServiceProcess service = ServiceProcess.startJar(env, args.toArray(String[]::new))) {
      assertEquals(2, service.awaitExit(EXIT_TIMEOUT));
      List<String> stderr = service.stderr();
      assertEquals(1, stderr.size(), "stderr: " + stderr);
      assertTrue(stderr.get(0).startsWith("config error: " + key), stderr.get(0));
      assertSummary(service, "config", 2);
      assertTrue(service.stdout().stream().noneMatch(line -> line.contains("started")), "nothing started");
    }
  }
}
