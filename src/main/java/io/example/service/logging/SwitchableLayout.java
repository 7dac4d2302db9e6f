package io.example.service.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.LayoutBase;

/**
 * The console appender's layout, text or JSON. Logging starts before the config is read (logback configures
 * itself on the first logger), so the format is switched here once the config is known. A volatile field
 * rather than a new encoder or appender: the switch is then atomic for every thread that is logging, and no
 * line is lost or printed twice. The JSON layout is only loaded when it is asked for.
 */
final class SwitchableLayout extends LayoutBase<ILoggingEvent> {

  private volatile Layout<ILoggingEvent> current;
  private volatile boolean json;

  SwitchableLayout(boolean json) {
    use(json);
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    return current.doLayout(event);
  }

  boolean json() {
    return json;
  }

  synchronized void use(boolean json) {
    if (current == null || json != this.json) {
      current = json ? new JsonLayout() : new ConsoleLayout();
      this.json = json;
    }
  }
}
