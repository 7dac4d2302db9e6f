package io.example.service.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Netty's flight-recorder events are off by default, and an explicit setting on the command line wins. */
class NettyFlightRecorderTest {

  private static final String PROPERTY = "io.netty.jfr.enabled";
  private String before;

  @BeforeEach
  void remember() {
    before = System.getProperty(PROPERTY);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(PROPERTY);
    } else {
      System.setProperty(PROPERTY, before);
    }
  }

  @Test
  void offWhenNotGiven() {
    System.clearProperty(PROPERTY);
    Main.quietNettyFlightRecorderEvents();
    assertEquals("false", System.getProperty(PROPERTY));
  }

  @Test
  void anExplicitSettingIsKept() {
    System.setProperty(PROPERTY, "true");
    Main.quietNettyFlightRecorderEvents();
    assertEquals("true", System.getProperty(PROPERTY));
  }
}
