package org.postern.server.export;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReturnPathTest {
    @Test
    void findsTheEnvelopeSenderInTheHeader() throws IOException {
        record Case(String message, Optional<String> sender) {}
        for (Case c : List.of(
                new Case("Return-Path: <alice@example.org>\r\nSubject: x\r\n\r\nbody\r\n", Optional.of("alice@example.org")),
                new Case("Received: x\r\nreturn-path:<bob@example.org>\r\n\r\n", Optional.of("bob@example.org")),
                new Case("Return-Path:\r\n <folded@example.org>\r\n\r\n", Optional.of("folded@example.org")),
                new Case("Return-Path: <>\r\n\r\n", Optional.empty()),
                new Case("Return-Path: bare@example.org\n\n", Optional.of("bare@example.org")),
                new Case("Subject: x\r\n\r\nReturn-Path: <in-body@example.org>\r\n", Optional.empty()),
                new Case("Subject: no body", Optional.empty()),
                new Case("", Optional.empty()))) {
            assertThat(ReturnPath.of(new ByteArrayInputStream(c.message().getBytes(UTF_8)))).as(c.message())
                    .isEqualTo(c.sender());
        }
    }

    @Test
    void readsNoMoreThanMaxHeaderBytes() throws IOException {
        String field = "Return-Path: <late@example.org>\r\n";
        int pad = ReturnPath.MAX_HEADER_BYTES - field.length() - "X-Pad: \r\n".length();
        String within = "X-Pad: " + "z".repeat(pad) + "\r\n" + field + "\r\nbody\r\n";       // field ends at the limit
        String beyond = "X-Pad: " + "z".repeat(pad + 1) + "\r\n" + field + "\r\nbody\r\n";   // one byte past it
        assertThat(ReturnPath.of(new ByteArrayInputStream(within.getBytes(UTF_8)))).contains("late@example.org");
        assertThat(ReturnPath.of(new ByteArrayInputStream(beyond.getBytes(UTF_8)))).isEmpty();
    }
}
