package io.example.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts service processes for a test and kills whatever is still running after it, pass or fail; after
 * a failure it prints what each one wrote.
 * Use as {@code @RegisterExtension final ServiceProcesses services = new ServiceProcesses();}.
 */
public final class ServiceProcesses implements AfterEachCallback {

  private final List<ServiceProcess> started = new ArrayList<>();

  /** {@code java -jar service-fat.jar -conf <json>}. */
  ServiceProcess jar(String confJson) throws IOException {
    return jar(Map.of(), "-conf", confJson);
  }

  ServiceProcess jar(Map<String, String> env, String... args) throws IOException {
    return track(ServiceProcess.startJar(env, args));
  }

  ServiceProcess command(List<String> command, Path workDir) throws IOException {
    return command(command, Map.of(), workDir);
  }

  ServiceProcess command(List<String> command, Map<String, String> env, Path workDir) throws IOException {
    return track(ServiceProcess.start(command, env, workDir));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      // A failed assertion often says only "expected 0 but was 124": the service's own words say why.
      started.forEach(service -> System.out.println("---- output of the service, pid " + service.pid() + " ----\n"
          + String.join("\n", service.stdout()) + "\n---- stderr ----\n" + String.join("\n", service.stderr())));
    }
    started.forEach(ServiceProcess::close);
    started.clear();
  }

  private ServiceProcess track(ServiceProcess service) {
    started.add(service);
    return service;
  }
}
