package io.example.service.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Whether a raw query string is well-formed percent-encoded UTF-8. Vert.x's decoder rejects a bad escape but
 * turns invalid UTF-8 into U+FFFD and raw bytes over 0x7F (not allowed in a request line) into Latin-1
 * letters, so {@code ?user=%C3%28} would be greeted as "Hello \uFFFD(". Plain ASCII queries, the common case,
 * take one pass over the characters and allocate nothing.
 */
final class QueryCheck {

  private QueryCheck() {}

  static boolean wellFormed(String query) {
    boolean escapedNonAscii = false;
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return false; // a control character, a space, or a raw byte over 0x7F
      }
      if (c == '%' && i + 1 < query.length() && query.charAt(i + 1) >= '8') {
        escapedNonAscii = true; // %80-%FF, or a bad escape: decode to be sure
      }
    }
    return !escapedNonAscii || decodesAsUtf8(query);
  }

  /** Percent-decodes {@code query} to bytes and checks them strictly as UTF-8. */
  private static boolean decodesAsUtf8(String query) {
    ByteBuffer bytes = ByteBuffer.allocate(query.length());
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c == '%') {
        int hi = i + 1 < query.length() ? Character.digit(query.charAt(i + 1), 16) : -1;
        int lo = i + 2 < query.length() ? Character.digit(query.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          return false;
        }
        bytes.put((byte) (hi << 4 | lo));
        i += 2;
      } else {
        bytes.put((byte) c);
      }
    }
    bytes.flip();
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes);
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
