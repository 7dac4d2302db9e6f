package io.example.service.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.example.service.lifecycle.WarmupTraffic;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

public class WarmupRequestsTest {

  @Test
  void a_batch_is_depth_requests_each_with_the_host_and_the_warm_up_header() {
    String batch = WarmupRequests.batch("::1", 8080, "s3cret").toString(StandardCharsets.US_ASCII);

    String[] requests = batch.split("\r\n\r\n", -1);
    assertEquals(WarmupRequests.DEPTH + 1, requests.length, batch); // the last piece is what follows the last end
    assertEquals("", requests[WarmupRequests.DEPTH]);
    for (int i = 0; i < WarmupRequests.DEPTH; i++) {
      assertTrue(requests[i].matches("GET /\\S* HTTP/1\\.1\r\nHost: \\[::1]:8080\r\n" + WarmupTraffic.HEADER + ": s3cret"),
          requests[i]);
    }
  }

  @Test
  void header_ends_are_found_once_per_answer_even_across_reads_and_not_in_a_body() {
    String answer = "HTTP/1.1 200 OK\r\ncontent-length: 14\r\n\r\nHello world\r\n\r";
    String twice = answer + answer.substring(0, answer.length() - 1); // the body's lone CR starts no end
    WarmupRequests.HeaderEnds reader = new WarmupRequests.HeaderEnds();
    int ends = 0;
    // Fed in pieces that cut through a CR LF CR LF.
    for (String piece : new String[] {twice.substring(0, 36), twice.substring(36, 40), twice.substring(40)}) {
      Buffer bytes = Buffer.buffer(piece);
      for (int i = 0; i < bytes.length(); i++) {
        ends += reader.endsAt(bytes.getByte(i)) ? 1 : 0;
      }
    }
    assertEquals(2, ends);
  }
}
