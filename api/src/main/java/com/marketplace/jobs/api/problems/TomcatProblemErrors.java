package com.marketplace.jobs.api.problems;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.Container;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Requests Tomcat refuses before Spring sees them (an illegal character in the URL, a malformed
 * request line or header) are answered as problem JSON like every other error, not with Tomcat's
 * HTML page: Tomcat's error report valve is replaced by {@link ProblemReportValve}.
 */
@Component
class TomcatProblemErrors
    implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

  @Override
  public void customize(ConfigurableTomcatWebServerFactory factory) {
    factory.addContextCustomizers(
        context -> {
          Container host = context.getParent();
          // Once every customizer has run (Spring Boot adds its own report valve), just before the
          // host starts and installs its errorReportValveClass where no report valve is left.
          host.addLifecycleListener(
              event -> {
                if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                  for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve
                        && !(valve instanceof ProblemReportValve)) {
                      host.getPipeline().removeValve(valve);
                    }
                  }
                  ((StandardHost) host)
                      .setErrorReportValveClass(ProblemReportValve.class.getName());
                }
              });
        });
  }

  /** Tomcat's error report as RFC 9457 problem JSON: status and reason, never request content. */
  public static class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      int status = response.getStatus();
      if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
        return;
      }
      HttpStatus known = HttpStatus.resolve(status);
      String title = known == null ? "Error" : known.getReasonPhrase();
      String detail =
          status == 400
              ? "The request could not be read: its URL, request line or headers are malformed."
              : "The request could not be processed.";
      String json =
          "{\"type\":\"about:blank\",\"title\":\""
              + title
              + "\",\"status\":"
              + status
              + ",\"detail\":\""
              + detail
              + "\"}";
      try {
        response.setContentType("application/problem+json");
        response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
        response.finishResponse();
      } catch (IOException | IllegalStateException e) {
        // The client went away or the response is unusable: nothing more to say to it.
      }
    }
  }
}
