package com.marketplace.jobs.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The pinned binaries the local stack runs (the Temporal CLI, stripe-mock): from an environment
 * variable if set (bin/run and bin/test set them), else from {@code bin/ensure-tools}, which uses
 * PATH at the pinned version or builds them into the project's .tools/bin.
 */
final class LocalTools {

  private LocalTools() {}

  /**
   * @param variable the environment variable that may name the binary
   * @param tool the argument {@code bin/ensure-tools} knows the tool by
   */
  static Path locate(Path projectRoot, String variable, String tool) {
    String configured = System.getenv(variable);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    try {
      Process ensure =
          new ProcessBuilder(projectRoot.resolve("bin/ensure-tools").toString(), tool)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String path = new String(ensure.getInputStream().readAllBytes()).strip();
      if (ensure.waitFor() != 0 || path.isEmpty()) {
        throw new IllegalStateException(
            "bin/ensure-tools could not provide " + tool + "; see the message above");
      }
      return Path.of(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
