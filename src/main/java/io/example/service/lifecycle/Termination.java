package io.example.service.lifecycle;

import java.util.List;

/**
 * Why the service stopped, and so which exit code and summary line the process ends with.
 *
 * @param reason as in the summary line: {@code signal:SIGTERM}, {@code failure:worker}, {@code deadline}, ...
 * @param busy the components still busy when the deadline cut them off, in stop order; empty if none
 */
public record Termination(String reason, ExitCode exit, List<String> busy) {

  public Termination {
    busy = List.copyOf(busy);
  }

  /** @param signal as the summary names it: {@code SIGTERM}, {@code SIGINT} */
  public static Termination signal(String signal) {
    return new Termination("signal:" + signal, ExitCode.STOPPED, List.of());
  }

  /** A stop asked for by the code that embeds the service (a test's {@code shutdown()}). */
  public static Termination requested() {
    return new Termination("requested", ExitCode.STOPPED, List.of());
  }

  /** A JVM shutdown hook closed Vert.x: a launcher's, on a signal or an exit that is not ours. */
  public static Termination jvmShutdown() {
    return new Termination("jvm-shutdown", ExitCode.STOPPED, List.of());
  }

  public static Termination failure(String component) {
    return new Termination("failure:" + component, ExitCode.COMPONENT_FAILED, List.of());
  }

  /** A component was undeployed by someone other than the supervisor: one exits, all exit. */
  public static Termination stopped(String component) {
    return new Termination("stopped:" + component, ExitCode.COMPONENT_FAILED, List.of());
  }

  public static Termination deployFailure(String component) {
    return new Termination("deploy-failure:" + component, ExitCode.DEPLOY_FAILED, List.of());
  }

  /** A second signal during the stop: {@code exit} is 128 + its number. */
  public static Termination forced(String signal, ExitCode exit) {
    return new Termination("forced:" + signal, exit, List.of());
  }

  public static Termination config() {
    return new Termination("config", ExitCode.CONFIG_ERROR, List.of());
  }

  /**
   * This stop, with {@code busy} cut off at the deadline: a graceful stop becomes {@code deadline} (124);
   * a failed start stays a failed start (15), since what it was undoing matters less than why.
   */
  public Termination cutOff(List<String> busy) {
    return busy.isEmpty() ? this : atDeadline(busy);
  }

  /** The guard's verdict at the deadline: as {@link #cutOff}, even when nothing but Vert.x's close was left. */
  public Termination atDeadline(List<String> busy) {
    return exit == ExitCode.DEPLOY_FAILED
        ? new Termination(reason, exit, busy)
        : new Termination("deadline", ExitCode.DEADLINE, busy);
  }

  /** The last line the process prints. */
  public String summary(long tookMs) {
    return "service stopped: reason=" + reason + ", exit=" + exit.code() + ", took=" + tookMs + "ms"
        + (busy.isEmpty() ? "" : ", busy=" + String.join(",", busy));
  }
}
