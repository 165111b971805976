package org.postern.client.sync;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.client.message.MessageSummary;

class MessageIdPeekTest {
    @Test
    void findsTheMessageIdInTheHeader() throws IOException {
        record Case(String message, Optional<String> expected) {}
        for (Case c : List.of(
                new Case("Message-ID: <a@b>\r\n\r\nbody", Optional.of("<a@b>")),
                new Case("Subject: x\r\nmessage-id:   <a@b> (comment)\r\n\r\n", Optional.of("<a@b>")),
                new Case("Message-Id:\r\n <folded@example.org>\r\n\r\n", Optional.of("<folded@example.org>")),
                new Case("Subject: x\r\n\r\nMessage-ID: <in-body@x>\r\n", Optional.empty()),
                new Case("Subject: no id\r\n\r\n", Optional.empty()),
                new Case("Message-ID: bare@id\n\nbody", Optional.of("<bare@id>")),
                new Case("Message-ID: <spaced @id>\r\n\r\n", Optional.empty()),
                new Case("Message-ID: <no-body@x>\r\n", Optional.of("<no-body@x>")),
                new Case("X-Message-ID: <not-this@x>\r\nMessage-ID: <this@x>\r\n\r\n", Optional.of("<this@x>")))) {
            byte[] b = c.message().getBytes(US_ASCII);
            assertThat(MessageIdPeek.find(b, b.length)).as(c.message()).isEqualTo(c.expected());
            // the id the store keeps for the same message: a download is adopted only when the two are equal
            assertThat(MessageSummary.read(new ByteArrayInputStream(b)).summary().messageId()).as(c.message())
                    .isEqualTo(c.expected());
        }
    }

    @Test
    void leavesTheStreamAtItsStart() throws IOException {
        byte[] b = "Message-ID: <a@b>\r\n\r\nbody\r\n".getBytes(US_ASCII);
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(b));
        assertThat(MessageIdPeek.peek(in)).hasValue("<a@b>");
        assertThat(in.readAllBytes()).isEqualTo(b);
    }

    @Test
    void looksNoFurtherThanTheLimit() throws IOException {
        String id = "Message-ID: <late@x>\r\n";
        // found when the window holds the field and the first byte of the next line (which says the field ended)
        for (int filler : List.of(MessageIdPeek.MAX_HEADER_PEEK - id.length() - 1, MessageIdPeek.MAX_HEADER_PEEK - id.length())) {
            // header lines of 1000 bytes, then one line of the exact length left, then the Message-ID field
            StringBuilder m = new StringBuilder();
            while (filler - m.length() >= 1000 + 10) m.append("X-F: ").append("y".repeat(1000 - 7)).append("\r\n");
            int z = filler - m.length() - 7;
            m.append("X-P: ").append("z".repeat(z)).append("\r\n");
            String padded = m.toString();
            assertThat(padded).hasSize(filler);
            byte[] b = (padded + id + "Subject: after\r\n\r\nbody").getBytes(US_ASCII);
            BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(b));
            Optional<String> found = MessageIdPeek.peek(in);
            int idEnd = padded.length() + id.length();
            if (idEnd + 1 <= MessageIdPeek.MAX_HEADER_PEEK) assertThat(found).as("ends at %s", idEnd).hasValue("<late@x>");
            else assertThat(found).as("ends at %s", idEnd).isEmpty();
            assertThat(in.readAllBytes()).isEqualTo(b);
        }
    }
}
