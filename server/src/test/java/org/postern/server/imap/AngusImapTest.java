package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.smtp.TestTls;

/**
 * Eclipse Angus Mail's IMAP provider as an independent client: STARTTLS and implicit TLS, folders, reading a
 * message, flags, IDLE woken by an SMTP delivery, and CONDSTORE (HIGHESTMODSEQ, changed-since).
 */
class AngusImapTest {
    @TempDir
    Path dir;

    private static Store store(ImapTestServer server, boolean implicitTls) throws Exception {
        String protocol = implicitTls ? "imaps" : "imap";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put(p + "host", "127.0.0.1");
        props.put(p + "port", String.valueOf(implicitTls ? server.imapsPort() : server.imapPort()));
        props.put(p + "ssl.socketFactory", TestTls.clientFactory());
        props.put(p + "ssl.checkserveridentity", "true");
        props.put(p + "connectiontimeout", "10000");
        props.put(p + "timeout", "20000");
        if (!implicitTls) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        Store store = Session.getInstance(props).getStore(protocol);
        store.connect(ImapTestServer.USER, ImapTestServer.PASSWORD);
        return store;
    }

    @Test
    void angusReadsFlagsAndListsOverStartTls() throws Exception {
        try (ImapTestServer server = ImapTestServer.start(dir)) {
            server.deliver(ImapTestServer.USER, PythonImaplibTest.message("hello", "the body text"));
            Store store = store(server, false);
            try {
                assertThat(Arrays.stream(store.getDefaultFolder().list()).map(Folder::getName))
                        .contains("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive");
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                Message m = inbox.getMessage(1);
                assertThat(m.getSubject()).isEqualTo("hello");
                assertThat(((String) m.getContent()).strip()).isEqualTo("the body text");
                assertThat(m.isSet(Flags.Flag.SEEN)).isTrue();
                m.setFlag(Flags.Flag.FLAGGED, true);
                inbox.close(false);
            } finally {
                store.close();
            }
            assertThat(server.messages(ImapTestServer.USER, "INBOX").getFirst().flags().toString()).isEqualTo("\\Flagged \\Seen");
        }
    }

    @Test
    void angusIdleWakesOnADeliveryAndCondstoreReportsTheChange() throws Exception {
        try (ImapTestServer server = ImapTestServer.start(dir)) {
            server.deliver(ImapTestServer.USER, PythonImaplibTest.message("first", "1"));
            Store store = store(server, true);
            try {
                IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                long modSeq = inbox.getHighestModSeq();
                assertThat(modSeq).isPositive();
                CompletableFuture<Void> idle = CompletableFuture.runAsync(() -> {
                    try {
                        inbox.idle(true);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                // deliver until the IDLE has surely started: each delivery wakes it, the first one after it returns it
                while (!idle.isDone()) {
                    server.deliver(ImapTestServer.USER, PythonImaplibTest.message("later", "2"));
                    try {
                        idle.get(200, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException stillIdling) {
                        // not yet: the next delivery will
                    }
                }
                assertThat(inbox.getMessageCount()).isGreaterThanOrEqualTo(2);
                inbox.getMessage(1).setFlag(Flags.Flag.ANSWERED, true);
                Message[] changed = inbox.getMessagesByUIDChangedSince(1, UIDFolder.LASTUID, modSeq);
                assertThat(changed).extracting(msg -> inbox.getUID(msg)).contains(1L);
                inbox.close(false);
            } finally {
                store.close();
            }
        }
    }
}
