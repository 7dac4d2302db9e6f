package io.example.service.edge;

import io.example.service.lifecycle.ExitCode;

/** The signals that stop the service. A second one during shutdown halts with 128 + its number. */
enum StopSignal {
  SIGTERM("TERM", ExitCode.FORCED_SIGTERM),
  SIGINT("INT", ExitCode.FORCED_SIGINT);

  /** The name {@code sun.misc.Signal} knows it by. */
  final String shortName;
  final ExitCode forcedExit;

  StopSignal(String shortName, ExitCode forcedExit) {
    this.shortName = shortName;
    this.forcedExit = forcedExit;
  }
}
