package org.postern.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.net.Endpoint;
import org.postern.client.store.LocalStore;
import org.postern.client.testing.ScriptedServer;

/** ImapSync against scripted servers: what a real Postern never sends. */
class ImapSyncScriptedTest {
    private static final String CAPS = "IMAP4rev1 ENABLE QRESYNC CONDSTORE UIDPLUS";

    /** Answers the command {@code c} expects with {@code lines} and a tagged OK; returns the command line. */
    private static String answer(ScriptedServer.Conversation c, String regex, String... lines) throws IOException {
        String command = c.expect("A\\d+ " + regex);
        String tag = command.substring(0, command.indexOf(' '));
        StringBuilder out = new StringBuilder();
        for (String l : lines) out.append(l).append("\r\n");
        c.send(out + tag + " OK done\r\n");
        return command;
    }

    @Test
    void aVanishedSetCoveringEveryPossibleUidIsReadAsASetNotListed(@TempDir Path dir) throws Exception {
        try (LocalStore store = LocalStore.open(dir);
             ScriptedServer server = ScriptedServer.start(c -> {
                 c.send("* OK [CAPABILITY " + CAPS + "] ready\r\n");
                 answer(c, "LOGIN .*", "* CAPABILITY " + CAPS);
                 answer(c, "ENABLE QRESYNC", "* ENABLED QRESYNC");
                 answer(c, "LIST .*", "* LIST () \"/\" INBOX");
                 // RFC 7162 §3.2.5.1 allows VANISHED (EARLIER) to name UIDs the client never had; this one names all
                 answer(c, "SELECT INBOX \\(QRESYNC \\(7 10 5\\)\\)", "* 1 EXISTS", "* OK [UIDVALIDITY 7] ok",
                         "* OK [UIDNEXT 9] ok", "* OK [HIGHESTMODSEQ 12] ok", "* VANISHED (EARLIER) 1:4294967295");
                 answer(c, "UID SEARCH UID 6:\\*", "* SEARCH");
                 answer(c, "LOGOUT", "* BYE bye");
                 c.awaitClose();
             })) {
            store.ensureFolder("INBOX", Optional.of('/'), Set.of());
            store.add("INBOX", Optional.of(5L), Set.of(), Instant.parse("2026-12-01T00:00:00Z"),
                    new ByteArrayInputStream("Subject: five\r\n\r\nfive\r\n".getBytes(StandardCharsets.US_ASCII)));
            store.saveSyncState("INBOX", 7, 6, 10);
            ServerLogin login = new ServerLogin(server.endpoint(Endpoint.Security.PLAINTEXT), "u", "p"::toCharArray, true);

            SyncReport r = new ImapSync(login, store, Optional.empty()).sync(SyncProgress.NONE);

            assertThat(server.failure()).isEmpty();
            assertThat(r.folders()).singleElement().satisfies(f -> assertThat(f.expungedLocally()).isEqualTo(1));
            assertThat(store.uids("INBOX")).isEmpty();
            assertThat(store.folder("INBOX").orElseThrow().highestModseq()).isEqualTo(12);
        }
    }

    /**
     * Decision 0005: without UIDPLUS a delete is \Deleted only, and EXPUNGE only when no other message is \Deleted;
     * here another one is, so nothing is expunged, and the local row stays hidden so it is not downloaded again.
     */
    @Test
    void withoutUidplusADeleteIsNotExpungedWhileAnotherMessageIsMarkedDeleted(@TempDir Path dir) throws Exception {
        String caps = "IMAP4rev1";
        try (LocalStore store = LocalStore.open(dir);
             ScriptedServer server = ScriptedServer.start(c -> {
                 c.send("* OK [CAPABILITY " + caps + "] ready\r\n");
                 answer(c, "LOGIN .*", "* CAPABILITY " + caps);
                 answer(c, "LIST .*", "* LIST () \"/\" INBOX");
                 answer(c, "SELECT INBOX", "* 2 EXISTS", "* OK [UIDVALIDITY 7] ok", "* OK [UIDNEXT 5] ok");
                 answer(c, "UID SEARCH ALL", "* SEARCH 3 4");
                 answer(c, "UID FETCH 3:4 \\(UID FLAGS\\)", "* 1 FETCH (UID 3 FLAGS ())", "* 2 FETCH (UID 4 FLAGS (\\Deleted))");
                 answer(c, "UID STORE 3 \\+FLAGS.SILENT \\(\\\\Deleted\\)");
                 answer(c, "UID SEARCH DELETED", "* SEARCH 3 4");
                 answer(c, "UID SEARCH UID 3", "* SEARCH 3");
                 answer(c, "LOGOUT", "* BYE bye");
                 c.awaitClose();
             })) {
            store.ensureFolder("INBOX", Optional.of('/'), Set.of());
            LocalStore.LocalMessage three = null;
            for (long uid : new long[] {3, 4}) {
                LocalStore.LocalMessage m = store.add("INBOX", Optional.of(uid), uid == 4 ? Set.of("\\Deleted") : Set.of(),
                        Instant.parse("2026-12-01T00:00:00Z"),
                        new ByteArrayInputStream(("Subject: " + uid + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII)));
                if (uid == 3) three = m;
            }
            store.saveSyncState("INBOX", 7, 5, 0);
            store.delete(three.id());
            ServerLogin login = new ServerLogin(server.endpoint(Endpoint.Security.PLAINTEXT), "u", "p"::toCharArray, true);

            SyncReport r = new ImapSync(login, store, Optional.empty()).sync(SyncProgress.NONE);

            assertThat(server.failure()).as("no EXPUNGE was sent").isEmpty();
            assertThat(r.allWarnings()).anySatisfy(w -> assertThat(w).contains("no UIDPLUS"));
            assertThat(store.pending()).isEmpty();
            assertThat(store.uids("INBOX")).as("kept, so it is not downloaded again").containsExactly(3L, 4L);
            assertThat(store.list("INBOX", 0, 10)).extracting(LocalStore.LocalMessage::subject).containsExactly("4");
        }
    }
}
