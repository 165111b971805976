package org.postern.server.pop3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.server.store.sqlite.SqliteBlobStore;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.delivery.RecordingMailStore;

/** The read-ahead bounds of {@link Pop3Limits}, at the limit and one past it, seen as store reads. */
class MaildropReadAheadTest {
    @TempDir
    Path dir;

    @Test
    void sixteenMessagesComeInOneReadAndTheSeventeenthStartsTheNext() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            int n = Pop3Limits.READ_AHEAD_MESSAGES + 1;
            for (int i = 0; i < n; i++) server.deliver(Pop3TestServer.USER, "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n");
            RecordingMailStore store = new RecordingMailStore(server.store);
            Maildrop drop = Maildrop.load(store, server.account(Pop3TestServer.USER));
            List<String> stored = server.inboxTexts(Pop3TestServer.USER);

            for (int i = 1; i <= Pop3Limits.READ_AHEAD_MESSAGES; i++) assertThat(read(drop, store, i)).isEqualTo(stored.get(i - 1));
            assertThat(store.readAheads).hasSize(1);
            assertThat(read(drop, store, n)).isEqualTo(stored.get(n - 1));
            assertThat(store.readAheads).hasSize(2);
        }
    }

    @Test
    void readAheadStopsBeforeItsByteBoundAndStillGivesTheFirstMessage() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            // each message two fifths of the bound (inline: under 128 KiB): two fit in one read, the third does not
            String big = "Subject: big\r\n\r\n" + ("z".repeat(998) + "\r\n").repeat((int) (Pop3Limits.READ_AHEAD_BYTES * 2 / 5 / 1000));
            for (int i = 0; i < 4; i++) server.deliver(Pop3TestServer.USER, big);
            RecordingMailStore store = new RecordingMailStore(server.store);
            Maildrop drop = Maildrop.load(store, server.account(Pop3TestServer.USER));
            List<String> stored = server.inboxTexts(Pop3TestServer.USER);

            assertThat(read(drop, store, 1)).isEqualTo(stored.get(0));
            assertThat(read(drop, store, 2)).isEqualTo(stored.get(1));
            assertThat(store.readAheads).as("two messages within the bound came in one read").hasSize(1);
            assertThat(read(drop, store, 3)).isEqualTo(stored.get(2));
            assertThat(store.readAheads).as("three messages would pass the bound: a new read for message 3").hasSize(2);
        }
    }

    @Test
    void aMessageWhoseBodyIsAFileIsOpenedOnItsOwnAndTheReadAheadIsKept() throws Exception {
        try (Pop3TestServer server = Pop3TestServer.start(dir)) {
            String file = "Subject: big\r\n\r\n" + ("f".repeat(998) + "\r\n").repeat(SqliteBlobStore.INLINE_MAX_BYTES / 1000 + 1);
            for (int i = 1; i <= 5; i++) server.deliver(Pop3TestServer.USER, i == 2 ? file : "Subject: m" + i + "\r\n\r\nbody\r\n");
            RecordingMailStore store = new RecordingMailStore(server.store);
            Maildrop drop = Maildrop.load(store, server.account(Pop3TestServer.USER));
            List<String> stored = server.inboxTexts(Pop3TestServer.USER);

            for (int i = 1; i <= 5; i++) assertThat(read(drop, store, i)).isEqualTo(stored.get(i - 1));
            assertThat(store.readAheads).as("messages 3-5 came from the first read, not a second").hasSize(1);
        }
    }

    private static String read(Maildrop drop, RecordingMailStore store, int n) throws Exception {
        try (InputStream in = drop.open(store, n).orElseThrow()) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }
}
