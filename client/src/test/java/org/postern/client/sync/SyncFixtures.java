package org.postern.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postern.client.net.Endpoint;
import org.postern.client.store.LocalStore;
import org.postern.client.testing.TestPostern;
import org.postern.server.store.MessageMeta;

/** Logins for the test server, test messages, and the check that the local copy equals the server. */
final class SyncFixtures {
    private SyncFixtures() {}

    static ServerLogin imap(TestPostern postern) {
        return login(postern.imap());
    }

    static ServerLogin login(Endpoint endpoint) {
        return new ServerLogin(endpoint, TestPostern.USER, TestPostern.PASSWORD::toCharArray, false);
    }

    static ServerLogin submission(TestPostern postern) {
        return login(postern.submission());
    }

    /** A small message (CRLF) with a Message-ID of its own. */
    static String message(String subject, String messageId) {
        return "From: Bob <bob@example.org>\r\nTo: " + TestPostern.USER + "\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + messageId + ">\r\nDate: Sat, 05 Dec 2026 10:00:00 +0000\r\n\r\n"
                + "Text of " + subject + ".\r\n";
    }

    /**
     * Stores {@code count} messages ("message 0" ...; every third \Seen) straight into the user's INBOX through the
     * server's store, 1,000 per transaction: as fast as a big mailbox can be made, and seen by IMAP like any other.
     */
    static void storeMessages(TestPostern postern, int count) {
        var account = postern.account(TestPostern.USER);
        postern.server().store().ensureAccount(account);
        org.postern.server.store.BlobStore blobs = postern.server().store().blobs();
        for (int batch = 0; batch < count; batch += 1000) {
            List<org.postern.server.store.NewMessage> messages = new ArrayList<>();
            for (int i = batch; i < Math.min(count, batch + 1000); i++) {
                String raw = message("message " + i, "m" + i + "@example.org");
                try {
                    var blob = blobs.put(new java.io.ByteArrayInputStream(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                            Long.MAX_VALUE);
                    messages.add(org.postern.server.store.NewMessage.of(blob.ref(), new byte[0],
                            i % 3 == 0 ? org.postern.server.store.Flags.of("\\Seen") : org.postern.server.store.Flags.NONE,
                            java.time.Instant.parse("2026-12-01T00:00:00Z").plusSeconds(i),
                            org.postern.wire.mime.MessageParser.parse(raw)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            postern.server().store().write(account, tx -> {
                var box = tx.mailbox(org.postern.server.store.MailboxName.INBOX).orElseThrow().id();
                for (var m : messages) tx.append(box, m);
                return null;
            });
        }
    }

    /** UID -> flags (without \Recent) as the server's store has them. */
    static Map<Long, java.util.Set<String>> serverState(TestPostern postern, String folder) {
        Map<Long, java.util.Set<String>> out = new TreeMap<>();
        for (MessageMeta m : postern.messages(TestPostern.USER, folder)) out.put(m.uid(), FolderSync.clean(m.flags().names()));
        return out;
    }

    /** UID -> flags of the local copy; every row must have a UID and be SYNCED. */
    static Map<Long, java.util.Set<String>> localState(LocalStore store, String folder) {
        Map<Long, java.util.Set<String>> out = new TreeMap<>();
        for (LocalStore.LocalMessage m : store.list(folder, 0, Integer.MAX_VALUE)) {
            assertThat(m.uid()).as("row %s in %s has a UID", m.id(), folder).isPresent();
            assertThat(out.put(m.uid().get(), FolderSync.clean(m.flags()))).as("UID %s twice in %s", m.uid().get(), folder).isNull();
        }
        assertThat(store.uids(folder)).as("no hidden (deleted/moved) rows left in %s", folder)
                .containsExactlyElementsOf(out.keySet());
        return out;
    }

    static void assertMirrors(LocalStore store, TestPostern postern, String... folders) {
        for (String folder : folders) {
            assertThat(localState(store, folder)).as("local %s equals the server's", folder)
                    .isEqualTo(serverState(postern, folder));
        }
    }

    /**
     * A TCP relay in front of a server port, whose connections a test can cut at any moment (as a dropped network
     * or a killed server does), without stopping the server behind it.
     */
    static final class CutProxy implements AutoCloseable {
        private final ServerSocket listener;
        private final int target;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        CutProxy(int target) throws IOException {
            this.target = target;
            listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return listener.getLocalPort();
        }

        Endpoint endpoint(Endpoint behind) {
            return new Endpoint("127.0.0.1", port(), behind.security(), behind.trust());
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket in = listener.accept();
                    Socket out = new Socket("127.0.0.1", target);
                    sockets.add(in);
                    sockets.add(out);
                    Thread.ofVirtual().start(() -> pump(in, out));
                    Thread.ofVirtual().start(() -> pump(out, in));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private static void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        /** Closes every connection made so far (new ones are still accepted). */
        void cut() {
            for (Socket s : new ArrayList<>(sockets)) closeQuietly(s);
            sockets.clear();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            cut();
        }
    }
}
