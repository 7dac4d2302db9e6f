package io.example.service;

import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.Supervisor;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ServiceLoader;

/**
 * Whoever owns the process a {@link SupervisorVerticle} runs in: it reads the config, watches for signals,
 * bounds the stop and ends the process. The verticle only supervises and tells its owner what happens.
 *
 * <p>In the main mode the process edge owns the process from outside the verticle, and a test's Vert.x
 * owns nothing: both use {@link #NONE}. Under the stock launcher ({@code vertx run}), which creates the
 * verticle by its class name, the owner is the edge's launcher mode, found through {@link ServiceLoader}
 * so that dependencies keep pointing one way (edge, then supervisor, then parts).
 */
public interface ProcessOwner {

  /** Owns nothing: the config comes from the deployment's JSON and the environment, and nothing ends the process. */
  ProcessOwner NONE = new ProcessOwner() { };

  /** The owner of a verticle created by its class name: the stock launcher's, when it is this JVM's main class. */
  static ProcessOwner forVerticleCreatedByName() {
    return ServiceLoader.load(ProcessOwner.class).findFirst().filter(ProcessOwner::ownsThisJvm).orElse(NONE);
  }

  /** True when this owner is the one in charge of this JVM. */
  default boolean ownsThisJvm() {
    return false;
  }

  /** The config of a verticle deployed without one; a config it cannot use throws (and may end the process). */
  default ServiceConfig config(JsonObject deploymentConfig) {
    return ConfigLoader.fromJson(deploymentConfig, System.getenv());
  }

  /** The supervisor is about to start the components: signals and the deadline now lead to its stop. */
  default void supervising(Vertx vertx, Supervisor supervisor, ServiceConfig config) {
  }

  /** The start failed and whatever had started is undone: {@code component} is the one that failed. */
  default void startFailed(String component) {
  }
}
