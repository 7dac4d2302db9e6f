package io.example.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code management.port} takes a port or "off", and {@code management.host} a host, from the file or the environment. */
public class ManagementConfigTest {

  private static final Map<String, String> NO_ENV = Map.of();

  @Test
  void off_by_default_on_all_interfaces() {
    ServiceConfig.Management management = ConfigLoader.load(null, NO_ENV).management();

    assertFalse(management.enabled());
    assertEquals(ServiceConfig.Management.OFF, management.port());
    assertEquals("0.0.0.0", management.host());
  }

  @ParameterizedTest(name = "port {0}")
  @ValueSource(ints = {0, 1, 9090, 65535})
  void accepts_a_port_from_0_to_65535_in_the_file_and_in_its_variable(int port) {
    ServiceConfig fromFile = ConfigLoader.load("{\"management\":{\"port\":" + port + "}}", NO_ENV);
    ServiceConfig fromEnv = ConfigLoader.load(null, Map.of("SERVICE_MANAGEMENT_PORT", " " + port + " "));

    assertTrue(fromFile.management().enabled());
    assertEquals(port, fromFile.management().port());
    assertEquals(fromFile.management(), fromEnv.management());
  }

  @Test
  void off_in_the_environment_turns_off_a_port_from_the_file_whatever_its_case() {
    ServiceConfig config = ConfigLoader.load("{\"management\":{\"port\":9090}}", Map.of("SERVICE_MANAGEMENT_PORT", "OFF"));

    assertFalse(config.management().enabled());
    assertEquals(Source.ENV, config.provenance().source("management.port"));
  }

  @Test
  void off_in_the_file_is_the_default_spelled_out() {
    assertEquals(ConfigLoader.load(null, NO_ENV).management(),
        ConfigLoader.load("{\"management\":{\"port\":\"off\"}}", NO_ENV).management());
  }

  @Test
  void host_comes_from_its_variable() {
    assertEquals("127.0.0.1",
        ConfigLoader.load(null, Map.of("SERVICE_MANAGEMENT_HOST", "127.0.0.1")).management().host());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"management\":{\"port\":70000}}     | management.port | between 0 and 65535",
      "{\"management\":{\"port\":-1}}        | management.port | between 0 and 65535",
      "{\"management\":{\"port\":\"on\"}}    | management.port | must be a whole number or \"off\"",
      "{\"management\":{\"port\":\"OFF\"}}   | management.port | must be a whole number or \"off\"",
      "{\"management\":{\"port\":\"9090\"}}  | management.port | must be a whole number or \"off\"",
      "{\"management\":{\"port\":false}}     | management.port | must be a whole number or \"off\"",
      "{\"management\":{\"port\":90.5}}      | management.port | must be a whole number or \"off\"",
      "{\"management\":{\"host\":\"\"}}      | management.host | must not be empty",
      "{\"management\":{\"hots\":\"x\"}}     | management.hots | unknown key",
      "{\"management\":8081}                 | management      | must be an object",
  })
  void rejects_an_unusable_value_in_the_file_naming_the_key(String conf, String key, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, NO_ENV));

    assertEquals(key, e.key());
    assertTrue(e.getMessage().startsWith(key + ": ") && e.getMessage().contains(problem), e.getMessage());
  }

  @ParameterizedTest(name = "SERVICE_MANAGEMENT_PORT=''{0}''")
  @CsvSource(delimiter = '|', value = {
      "nine  | SERVICE_MANAGEMENT_PORT (management.port) | must be a whole number or \"off\"",
      "''    | SERVICE_MANAGEMENT_PORT (management.port) | must be a whole number or \"off\"",
      "65536 | management.port                           | between 0 and 65535",
  })
  void rejects_an_unusable_variable_naming_it(String value, String key, String problem) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of("SERVICE_MANAGEMENT_PORT", value)));

    assertEquals(key, e.key());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }
}
