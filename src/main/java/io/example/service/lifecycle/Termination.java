package io.example.service.lifecycle;

/**
 * Why the service stopped, and so which exit code and summary line the process ends with.
 *
 * @param reason as in the summary line: {@code signal:SIGTERM}, {@code failure:worker}, {@code deadline}, ...
 * @param detail extra words for the summary (which component was still busy), or empty
 */
public record Termination(String reason, ExitCode exit, String detail) {

  public static Termination signal(StopSignal signal) {
    return new Termination("signal:" + signal.name(), ExitCode.STOPPED, "");
  }

  public static Termination failure(String component) {
    return new Termination("failure:" + component, ExitCode.COMPONENT_FAILED, "");
  }

  public static Termination deployFailure(String component) {
    return new Termination("deploy-failure:" + component, ExitCode.DEPLOY_FAILED, "");
  }

  public static Termination deadline(String busy) {
    return new Termination("deadline", ExitCode.DEADLINE, busy.isEmpty() ? "" : "busy=" + busy);
  }

  public static Termination forced(StopSignal signal) {
    return new Termination("forced:" + signal.name(), signal.forcedExit, "");
  }

  public static Termination config() {
    return new Termination("config", ExitCode.CONFIG_ERROR, "");
  }

  /** The last line the process prints. */
  String summary(long tookMs) {
    return "service stopped: reason=" + reason + ", exit=" + exit.code + ", took=" + tookMs + "ms"
        + (detail.isEmpty() ? "" : ", " + detail);
  }
}
