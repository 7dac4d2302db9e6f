package io.example.service.lifecycle;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.vertx.core.json.JsonObject;

/**
 * What one part of the service knows about itself, in the two forms operators read: its section of
 * {@code GET /status} and its meters in {@code GET /metrics}. The part keeps the state and writes it where it
 * happens; {@link StatusReport} and the metrics registry ask every part when they are read, so nothing is
 * recorded twice and no part writes into another's state.
 *
 * <p>A meter is Micrometer's {@link MeterBinder}, the interface libraries use to publish their own meters
 * (connection pools, clients): a team's own part binds its meters the same way. It is called once, on a worker
 * thread, when the first scrape makes the registry, so its meters must read the state, not record into it.
 */
public interface PartStatus extends MeterBinder {

  /** Puts this part's section into the {@code /status} body: one field named after the part. */
  void addTo(JsonObject report);
}
