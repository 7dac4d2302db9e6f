package io.example.service.lifecycle;

/** The process exit codes of the public contract. Only the process edge (edge/ProcessExit) turns one into an exit. */
public enum ExitCode {
  /** Stopped by SIGTERM or SIGINT; everything finished within the deadline. */
  STOPPED(0),
  /** A component failed or stopped on its own at runtime; the others were stopped. */
  COMPONENT_FAILED(1),
  /** Usage or configuration error; nothing was started. */
  CONFIG_ERROR(2),
  /** A component failed to start; the ones that had started were undeployed. */
  DEPLOY_FAILED(15),
  /** The shutdown deadline passed; the process was halted. */
  DEADLINE(124),
  /** A second SIGINT during shutdown: halted at once (128 + 2). */
  FORCED_SIGINT(130),
  /** A second SIGTERM during shutdown: halted at once (128 + 15). */
  FORCED_SIGTERM(143);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
