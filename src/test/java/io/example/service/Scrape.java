package io.example.service;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Prometheus text scrape as {@code name{labels}} to value, as the registry prints them. */
public final class Scrape {

  private final Map<String, Double> samples = new LinkedHashMap<>();

  private Scrape(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
  }

  public static Scrape parse(String text) {
    return new Scrape(text);
  }

  /** The value of one series, e.g. {@code service_state{state="READY"}}; null if it is not there. */
  public Double value(String series) {
    return samples.get(series);
  }

  /** Whether any series of this metric name is there, whatever its labels. */
  public boolean has(String name) {
    return samples.keySet().stream().anyMatch(key -> key.equals(name) || key.startsWith(name + "{"));
  }

  @Override
  public String toString() {
    return samples.toString();
  }
}
