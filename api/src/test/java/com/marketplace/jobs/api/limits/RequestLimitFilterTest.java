package com.marketplace.jobs.api.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

class RequestLimitFilterTest {

  private final RequestLimitFilter filter =
      new RequestLimitFilter(new RequestLimitProperties(DataSize.ofKilobytes(1)));

  @Test
  void aDeclaredLengthOverTheLimitIs413WithoutReachingTheApplication() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/stripe");
    request.setContent(new byte[1025]);
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();

    filter.doFilter(request, response, chain);

    assertThat(response.getStatus()).isEqualTo(413);
    assertThat(response.getContentType()).startsWith("application/problem+json");
    assertThat(response.getContentAsString())
        .contains("\"status\":413")
        .contains("larger than 1024 bytes");
    assertThat(chain.getRequest()).isNull();
  }

  @Test
  void aBodyOfExactlyTheLimitPasses() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/notifications");
    request.setContent(new byte[1024]);
    MockFilterChain chain = new MockFilterChain();

    filter.doFilter(request, new MockHttpServletResponse(), chain);

    assertThat(chain.getRequest()).isNotNull();
    assertThat(chain.getRequest().getInputStream().readAllBytes()).hasSize(1024);
  }

  @Test
  void aChunkedBodyFailsAtTheFirstBytePastTheLimit() throws IOException {
    RequestLimitFilter.LimitedInputStream body =
        new RequestLimitFilter.LimitedInputStream(stream(new byte[5000]), 1024);
    byte[] buffer = new byte[1000];

    assertThat(body.read(buffer)).isEqualTo(1000);
    assertThatThrownBy(() -> body.read(buffer))
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessage("The request body is larger than 1024 bytes.");
  }

  @Test
  void anOverlongIdempotencyKeyIs400OnAnyPath() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/companies/101/ban");
    request.addHeader("Idempotency-Key", "k".repeat(4096));
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();

    filter.doFilter(request, response, chain);

    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(response.getContentAsString())
        .contains("The Idempotency-Key header must be 1 to 255 characters.");
    assertThat(chain.getRequest()).isNull();
  }

  @Test
  void aLimitBelowOneKilobyteIsRefusedAtStartUpNamingTheProperty() {
    assertThatThrownBy(() -> new RequestLimitProperties(DataSize.ofBytes(10)))
        .hasMessageContaining("jobs.requests.max-body-size");
  }

  private static ServletInputStream stream(byte[] bytes) {
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    return new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {}
    };
  }
}
