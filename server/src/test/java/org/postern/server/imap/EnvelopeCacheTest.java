package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.server.store.Flags;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MessageMeta;
import org.postern.wire.imap.ImapStructures;
import org.postern.wire.imap.ImapWriter;
import org.postern.wire.mime.Envelope;
import org.postern.wire.mime.MessageParser;
import org.postern.wire.mime.MessageStructure;

class EnvelopeCacheTest {
    static ImapWriter.Rendered envelope(String subject) throws IOException {
        return rendered(subject, false);
    }

    /** An ENVELOPE with this subject, rendered by the writer for a session in this UTF-8 mode. */
    static ImapWriter.Rendered rendered(String subject, boolean utf8) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImapWriter w = new ImapWriter(out);
        if (utf8) w.enableUtf8();
        Envelope e = new Envelope(Optional.empty(), Optional.of(subject), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), Optional.empty(), Optional.empty());
        ImapWriter.Rendered[] kept = new ImapWriter.Rendered[1];
        w.untagged(r -> kept[0] = r.capture(x -> ImapStructures.envelope(x, e)).orElseThrow());
        return kept[0];
    }

    private static String text(ImapWriter.Rendered r, boolean utf8) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImapWriter w = new ImapWriter(out);
        if (utf8) w.enableUtf8();
        w.untagged(x -> x.rendered(r));
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aKeyIsMailboxAndUidAndASevenBitRenderingServesBothModes() throws IOException {
        EnvelopeCache cache = new EnvelopeCache();
        MailboxId box = new MailboxId(7);
        cache.put(box, 1, envelope("one"));
        assertThat(text(cache.get(box, 1, false), false)).contains("\"one\"");
        assertThat(text(cache.get(box, 1, true), true)).as("7-bit: the same bytes for a UTF-8 session").contains("\"one\"");
        assertThat(cache.get(new MailboxId(8), 1, false)).as("another mailbox").isNull();
        assertThat(cache.get(box, 2, false)).as("another uid").isNull();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void anEightBitRenderingServesOnlyItsOwnMode() throws IOException {
        EnvelopeCache cache = new EnvelopeCache();
        MailboxId box = new MailboxId(7);
        cache.put(box, 1, rendered("caf\u00e9", true));
        assertThat(text(cache.get(box, 1, true), true)).contains("\"caf\u00e9\"");
        assertThat(cache.get(box, 1, false)).as("a literal for IMAP4rev1, not this quoted string").isNull();
        cache.put(box, 1, rendered("caf\u00e9", false));
        assertThat(text(cache.get(box, 1, false), false)).contains("{5}\r\ncaf\u00e9");
        assertThat(text(cache.get(box, 1, true), true)).contains("\"caf\u00e9\"");
        assertThat(cache.size()).isEqualTo(2);
    }

    /** A new message's envelope is there before any FETCH, rendered as the FETCH path renders it. */
    @Test
    void addedRendersTheNewMessagesEnvelopeAsFetchWould() throws IOException {
        EnvelopeCache cache = new EnvelopeCache();
        MailboxId box = new MailboxId(3);
        for (String subject : List.of("plain", "caf\u00e9")) {
            long uid = subject.length();
            MessageStructure parsed = MessageParser.parse(new java.io.ByteArrayInputStream(
                    ("From: a@example.org\r\nSubject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8)))
                    .structure();
            cache.added(new MessageMeta(box, uid, 1, Flags.NONE, Instant.EPOCH, 10, null), parsed);
            ImapWriter.Rendered atFetch = EnvelopeCache.render(new ImapWriter(java.io.OutputStream.nullOutputStream()),
                    parsed.envelope());
            assertThat(text(cache.get(box, uid, false), false)).as(subject).isEqualTo(text(atFetch, false))
                    .contains(subject);
        }
        assertThat(text(cache.get(box, 5, true), true)).as("7-bit: for UTF-8 sessions too").contains("\"plain\"");
        assertThat(cache.get(box, "caf\u00e9".length(), true)).as("8-bit: rendered for IMAP4rev1 only").isNull();
    }

    /** It runs between a message's commit and the client's OK: a failure to render must not reach the delivery. */
    @Test
    void aFailureToRenderIsKeptFromTheDelivery() throws IOException {
        EnvelopeCache cache = new EnvelopeCache();
        MessageStructure parsed = MessageParser.parse(new java.io.ByteArrayInputStream(
                "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII))).structure();
        MessageStructure broken = new MessageStructure(parsed.size(), null, parsed.root());   // no envelope: NPE
        cache.added(new MessageMeta(new MailboxId(1), 1, 1, Flags.NONE, Instant.EPOCH, parsed.size(), null), broken);
        assertThat(cache.size()).isZero();
    }

    @Test
    void itHoldsAtMostMaxEntriesAndEmptiesWhenFull() throws IOException {
        EnvelopeCache cache = new EnvelopeCache();
        MailboxId box = new MailboxId(1);
        for (int uid = 1; uid <= EnvelopeCache.MAX_ENTRIES; uid++) cache.put(box, uid, envelope("s" + uid));
        assertThat(cache.size()).isEqualTo(EnvelopeCache.MAX_ENTRIES);
        assertThat(cache.get(box, 1, false)).isNotNull();
        cache.put(box, EnvelopeCache.MAX_ENTRIES + 1, envelope("past the limit"));
        assertThat(cache.size()).isEqualTo(1);
        assertThat(text(cache.get(box, EnvelopeCache.MAX_ENTRIES + 1, false), false)).contains("past the limit");
    }
}
