package io.example.service.lifecycle;

/** A component failed to start; the supervisor has undeployed the ones that had started. */
public final class DeployFailure extends RuntimeException {

  private final String component;

  public DeployFailure(String component, Throwable cause) {
    super(component + " failed to start: " + cause.getMessage(), cause, false, false);
    this.component = component;
  }

  public String component() {
    return component;
  }
}
