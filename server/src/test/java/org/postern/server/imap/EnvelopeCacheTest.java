package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.server.store.MailboxId;
import org.postern.wire.mime.Envelope;

class EnvelopeCacheTest {
    static Envelope envelope(String subject) {
        return new Envelope(Optional.empty(), Optional.of(subject), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), Optional.empty(), Optional.empty());
    }

    @Test
    void aKeyIsMailboxUidValidityAndUid() {
        EnvelopeCache cache = new EnvelopeCache();
        MailboxId box = new MailboxId(7);
        cache.put(box, 100, 1, envelope("one"));
        assertThat(cache.get(box, 100, 1).subject()).contains("one");
        assertThat(cache.get(box, 101, 1)).as("another UIDVALIDITY").isNull();
        assertThat(cache.get(new MailboxId(8), 100, 1)).as("another mailbox").isNull();
        assertThat(cache.get(box, 100, 2)).as("another uid").isNull();
    }

    @Test
    void itHoldsAtMostMaxEntriesAndEmptiesWhenFull() {
        EnvelopeCache cache = new EnvelopeCache();
        MailboxId box = new MailboxId(1);
        for (int uid = 1; uid <= EnvelopeCache.MAX_ENTRIES; uid++) cache.put(box, 1, uid, envelope("s" + uid));
        assertThat(cache.size()).isEqualTo(EnvelopeCache.MAX_ENTRIES);
        assertThat(cache.get(box, 1, 1)).isNotNull();
        cache.put(box, 1, EnvelopeCache.MAX_ENTRIES + 1, envelope("past the limit"));
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(box, 1, EnvelopeCache.MAX_ENTRIES + 1).subject()).contains("past the limit");
    }
}
