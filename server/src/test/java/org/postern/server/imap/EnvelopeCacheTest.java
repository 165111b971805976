package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.server.store.MailboxId;
import org.postern.wire.imap.ImapStructures;
import org.postern.wire.imap.ImapWriter;
import org.postern.wire.mime.Envelope;

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
    void aKeyIsMailboxUidValidityUidAndUtf8Mode() throws IOException {
        EnvelopeCache cache = new EnvelopeCache();
        MailboxId box = new MailboxId(7);
        cache.put(box, 100, 1, envelope("one"));
        assertThat(text(cache.get(box, 100, 1, false), false)).contains("\"one\"");
        assertThat(cache.get(box, 101, 1, false)).as("another UIDVALIDITY").isNull();
        assertThat(cache.get(new MailboxId(8), 100, 1, false)).as("another mailbox").isNull();
        assertThat(cache.get(box, 100, 2, false)).as("another uid").isNull();
        assertThat(cache.get(box, 100, 1, true)).as("rendered for IMAP4rev1, not for a UTF-8 session").isNull();
        cache.put(box, 100, 1, rendered("caf\u00e9", true));
        assertThat(text(cache.get(box, 100, 1, true), true)).contains("\"caf\u00e9\"");
        assertThat(text(cache.get(box, 100, 1, false), false)).contains("\"one\"");
    }

    @Test
    void itHoldsAtMostMaxEntriesAndEmptiesWhenFull() throws IOException {
        EnvelopeCache cache = new EnvelopeCache();
        MailboxId box = new MailboxId(1);
        for (int uid = 1; uid <= EnvelopeCache.MAX_ENTRIES; uid++) cache.put(box, 1, uid, envelope("s" + uid));
        assertThat(cache.size()).isEqualTo(EnvelopeCache.MAX_ENTRIES);
        assertThat(cache.get(box, 1, 1, false)).isNotNull();
        cache.put(box, 1, EnvelopeCache.MAX_ENTRIES + 1, envelope("past the limit"));
        assertThat(cache.size()).isEqualTo(1);
        assertThat(text(cache.get(box, 1, EnvelopeCache.MAX_ENTRIES + 1, false), false)).contains("past the limit");
    }
}
