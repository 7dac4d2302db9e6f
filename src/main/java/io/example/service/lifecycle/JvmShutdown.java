package io.example.service.lifecycle;

/** Whether the JVM is running its shutdown hooks, which tells a launcher's stop from one of ours. */
public final class JvmShutdown {

  private JvmShutdown() {}

  /**
   * True while JVM shutdown hooks run: a launcher's hook, not our signal handling, is stopping the service.
   * The JVM refuses a new hook then, which is the only public way to ask.
   */
  public static boolean inProgress() {
    Thread probe = new Thread(() -> { });
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException shutdownInProgress) {
      return true;
    }
  }
}
