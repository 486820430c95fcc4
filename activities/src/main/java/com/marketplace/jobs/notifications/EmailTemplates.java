package com.marketplace.jobs.notifications;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import com.marketplace.jobs.common.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Renders {@code templates/email/<template>.{subject,text,html}.mustache} from the classpath. The
 * HTML part escapes every value; subject and text are plain text and take values as they are.
 * Customer templates see {@code firstName} and the request's params; company templates see {@code
 * companyName} and their params.
 */
@Component
public class EmailTemplates {

  private static final String ROOT = "templates/email";

  private final MustacheFactory html = new DefaultMustacheFactory(ROOT);
  private final MustacheFactory plain =
      new DefaultMustacheFactory(ROOT) {
        @Override
        public void encode(String value, Writer writer) {
          try {
            writer.write(value);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };

  /**
   * The template {@code id} written for {@code audience}.
   *
   * @throws ApplicationFailure non-retryable INVALID_INPUT for any other id
   */
  EmailTemplate find(String id, EmailTemplate.Audience audience) {
    return EmailTemplate.byId(id)
        .filter(known -> known.audience() == audience)
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    "unknown " + audience.name().toLowerCase() + " email template '" + id + "'",
                    FailureType.INVALID_INPUT.name()));
  }

  /**
   * The email to {@code to}, rendered with exactly the values in {@code scope}, tagged with the
   * template and carrying the job id.
   */
  OutgoingEmail compose(
      EmailTemplate template, String to, Map<String, Object> scope, String jobId) {
    return new OutgoingEmail(
        to,
        apply(plain, template, "subject", scope).strip(),
        apply(plain, template, "text", scope),
        apply(html, template, "html", scope),
        jobId,
        template.id());
  }

  /**
   * One email for many recipients, rendered once with {@code scope}, whose values are usually
   * Mailgun's placeholders ({@code %recipient.first_name%}): Mailgun fills them per recipient.
   */
  public OutgoingBatch composeBatch(
      EmailTemplate template,
      Map<String, Object> scope,
      UUID batchId,
      Map<String, String> userVariables,
      List<OutgoingBatch.Recipient> recipients) {
    return new OutgoingBatch(
        batchId,
        apply(plain, template, "subject", scope).strip(),
        apply(plain, template, "text", scope),
        apply(html, template, "html", scope),
        template.id(),
        userVariables,
        recipients);
  }

  private static String apply(
      MustacheFactory factory, EmailTemplate template, String part, Map<String, Object> scope) {
    Mustache mustache = factory.compile(template.id() + "." + part + ".mustache");
    StringWriter out = new StringWriter();
    mustache.execute(out, scope);
    return out.toString();
  }
}
