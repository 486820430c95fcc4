package com.marketplace.jobs.notifications;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.StringWriter;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Renders {@code templates/email/<template>.{subject,text,html}.mustache} from the classpath. The
 * HTML part escapes every value; subject and text are plain text and take values as they are.
 * Customer templates see {@code firstName} and the request's params; company templates see {@code
 * companyName} and their params.
 */
@Component
class EmailTemplates {

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

  /** The rendered parts of one email. */
  record Rendered(String subject, String text, String html) {}

  Rendered render(EmailTemplate template, Customer customer, Map<String, String> params) {
    Map<String, Object> scope = new HashMap<>();
    if (params != null) {
      scope.putAll(params);
    }
    scope.put("firstName", customer.firstName());
    return render(template, scope);
  }

  /** Renders with exactly the values in {@code scope}. */
  Rendered render(EmailTemplate template, Map<String, Object> scope) {
    return new Rendered(
        apply(plain, template, "subject", scope).strip(),
        apply(plain, template, "text", scope),
        apply(html, template, "html", scope));
  }

  private static String apply(
      MustacheFactory factory, EmailTemplate template, String part, Map<String, Object> scope) {
    Mustache mustache = factory.compile(template.id() + "." + part + ".mustache");
    StringWriter out = new StringWriter();
    mustache.execute(out, scope);
    return out.toString();
  }
}
