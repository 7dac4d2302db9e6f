package io.example.service;

/** A component failed to start; the supervisor has undeployed the ones that had started. */
final class DeployFailure extends RuntimeException {

  private final String component;

  DeployFailure(String component, Throwable cause) {
    super(component + " failed to start: " + cause.getMessage(), cause, false, false);
    this.component = component;
  }

  String component() {
    return component;
  }
}
