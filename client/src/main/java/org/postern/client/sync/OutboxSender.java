package org.postern.client.sync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.client.imap.ImapClient;
import org.postern.client.imap.ImapClient.RemoteFolder;
import org.postern.client.net.AuthenticationException;
import org.postern.client.net.ProtocolException;
import org.postern.client.smtp.SubmissionException;
import org.postern.client.smtp.Submitter;
import org.postern.client.store.LocalStore;
import org.postern.client.store.LocalStore.OutboxEntry;

/**
 * Sends the outbox exactly once as far as the client can tell (docs/decisions/0005-mail-client.md, "Outbox"):
 * {@code QUEUED -> SENDING} committed before the SMTP transaction, {@code SENT} committed on the server's 250,
 * {@code FILED} after the message is in the server's Sent folder (APPENDed, or found there). An entry found in
 * {@code SENDING} (a crash, a cut connection during the transaction) is looked for in Sent by its Message-ID
 * before it is sent again; a {@code SENT} entry is never sent again, only filed, and only if Sent lacks it.
 *
 * <p>The Sent folder is the one LIST marks {@code \Sent} (RFC 6154 §2), else the one named "Sent" (any case),
 * else "Sent" is created. When APPEND answers with APPENDUID (RFC 4315 §3) the message is also stored in the local
 * copy of Sent under that UID, so the next sync does not download it. Without an IMAP connection (a POP3 account)
 * the message is filed in the local Sent folder only, and a {@code SENDING} entry cannot be checked: it is sent
 * again (at least once, as SMTP itself, RFC 5321 §6.1).
 */
public final class OutboxSender {
    /** SMTP read timeout; RFC 5321 §4.5.3.2.6 lets a server take 10 minutes after the final dot. */
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    static final String SENT = "Sent";
    private static final Set<String> SEEN = Set.of("\\Seen");

    private final ServerLogin submission;
    private final LocalStore store;
    private final Clock clock;

    public OutboxSender(ServerLogin submission, LocalStore store, Clock clock) {
        this.submission = submission;
        this.store = store;
        this.clock = clock;
    }

    /** {@code sent}: SMTP transactions that succeeded; {@code filed}: entries done and removed; {@code failed}: left for later. */
    public record Report(int sent, int filed, int failed, List<String> warnings) {
        public Report {
            warnings = List.copyOf(warnings);
        }
    }

    /** Connects to the IMAP server for the Sent folder, then {@link #send(Optional, SyncProgress)}. */
    public Report send(ServerLogin imap, SyncProgress progress) throws IOException {
        try (ImapClient c = ImapClient.connect(imap.endpoint(), ImapSync.TIMEOUT)) {
            char[] password = imap.password().get();
            try {
                c.login(imap.user(), password, imap.allowPlaintext());
            } finally {
                Arrays.fill(password, '\0');
            }
            Report r = send(Optional.of(c), progress);
            c.logout();
            return r;
        }
    }

    /**
     * Works through the outbox in the order it was queued. {@code imap}, logged in, is used for the Sent folder
     * (it leaves that folder selected). A message refused before any recipient took it stays QUEUED with the
     * server's answer as its last error; one taken by some recipients counts as sent, with a warning naming the
     * others; a wrong password stops the run with {@link AuthenticationException}; any other I/O failure stops the
     * run and leaves the entry SENDING, to be looked for in Sent next time. The submission password is asked for
     * only when something is to be submitted (filing needs none).
     */
    public Report send(Optional<ImapClient> imap, SyncProgress progress) throws IOException {
        List<String> warnings = new ArrayList<>();
        int sent = 0, filed = 0, failed = 0;
        List<OutboxEntry> entries = store.outbox();
        if (entries.isEmpty()) return new Report(0, 0, 0, warnings);
        Optional<String> sentFolder = imap.isPresent() ? Optional.of(sentFolder(imap.get())) : Optional.empty();
        char[][] password = {null}; // asked for at the first submission
        try {
            long done = 0;
            for (OutboxEntry e : entries) {
                OutboxEntry.State state = e.state();
                if (state == OutboxEntry.State.SENDING) {
                    if (imap.isPresent() && inSent(imap.get(), sentFolder.get(), e)) {
                        // it went out and was filed before the crash: SENT, then FILED (the store's transitions)
                        store.outboxState(e.id(), OutboxEntry.State.SENT, Optional.empty());
                        state = OutboxEntry.State.FILED;
                        store.outboxState(e.id(), state, Optional.empty());
                    } else {
                        if (imap.isEmpty()) warnings.add("message " + e.messageIdHeader() + " may have been sent"
                                + " already (interrupted before); without IMAP there is no Sent folder to check, so"
                                + " it is sent again");
                        state = OutboxEntry.State.QUEUED;
                    }
                }
                if (state == OutboxEntry.State.QUEUED) {
                    if (password[0] == null) password[0] = submission.password().get();
                    Outcome o = submit(e, password[0], warnings);
                    if (o == Outcome.REFUSED) {
                        failed++;
                        continue;
                    }
                    if (o == Outcome.UNREACHABLE) {
                        failed++;
                        warnings.add("the submission server could not be reached; the outbox is tried again next time");
                        break;
                    }
                    sent++;
                    state = OutboxEntry.State.SENT;
                }
                if (state == OutboxEntry.State.SENT) {
                    file(imap, sentFolder, e);
                    state = OutboxEntry.State.FILED;
                }
                store.outboxRemove(e.id());
                filed++;
                progress.progress("Outbox", ++done, entries.size());
            }
        } finally {
            if (password[0] != null) Arrays.fill(password[0], '\0');
        }
        return new Report(sent, filed, failed, warnings);
    }

    private enum Outcome { ACCEPTED, REFUSED, UNREACHABLE }

    private Outcome submit(OutboxEntry e, char[] password, List<String> warnings) throws AuthenticationException {
        store.outboxState(e.id(), OutboxEntry.State.SENDING, Optional.empty()); // committed before the transaction
        char[] copy = password.clone(); // the submitter may wipe what it is given
        try {
            Submitter.send(submission.endpoint(), submission.user(), copy, submission.allowPlaintext(), TIMEOUT,
                    e.sender(), e.recipients(), e.file());
        } catch (AuthenticationException wrongPassword) {
            // every entry would fail the same way; the caller may ask for the password again
            store.outboxState(e.id(), OutboxEntry.State.QUEUED, Optional.of(wrongPassword.getMessage()));
            throw wrongPassword;
        } catch (ProtocolException refused) {
            if (refused instanceof SubmissionException partly && !partly.accepted().isEmpty()) {
                // RFC 5321 §3.3: the message went to the recipients the server accepted; sending it again would
                // give them a second copy, so it counts as sent (and is filed), and the refused ones are named.
                store.outboxState(e.id(), OutboxEntry.State.SENT, Optional.of(partly.getMessage()));
                warnings.add("message " + e.messageIdHeader() + " was sent to " + String.join(", ", partly.accepted())
                        + " only; refused: " + partly.refused());
                return Outcome.ACCEPTED;
            }
            // The server answered no (4xx/5xx, or the session failed before any recipient was accepted): nothing
            // went out, queue again with the reason.
            store.outboxState(e.id(), OutboxEntry.State.QUEUED, Optional.of(refused.getMessage()));
            return Outcome.REFUSED;
        } catch (IOException cut) {
            // No answer: it may or may not have been accepted. SENDING says so; the next run checks Sent first.
            store.outboxState(e.id(), OutboxEntry.State.SENDING, Optional.of(String.valueOf(cut.getMessage())));
            return Outcome.UNREACHABLE;
        } finally {
            Arrays.fill(copy, '\0');
        }
        store.outboxState(e.id(), OutboxEntry.State.SENT, Optional.empty()); // on the 250 after the final dot
        return Outcome.ACCEPTED;
    }

    /** SENT -> FILED: APPEND to the server's Sent unless it already holds the message; keep a local copy. */
    private void file(Optional<ImapClient> imap, Optional<String> sentFolder, OutboxEntry e) throws IOException {
        if (imap.isEmpty()) {
            store.ensureFolder(SENT, Optional.empty(), Set.of("\\Sent"));
            try (InputStream in = Files.newInputStream(e.file())) {
                ServerCopies.notToAppend(store, store.add(SENT, Optional.empty(), SEEN, clock.instant(), in));
            }
        } else if (!inSent(imap.get(), sentFolder.get(), e)) {
            String sent = sentFolder.get();
            Optional<ImapClient.AppendUid> uid = imap.get().append(sent, SEEN, Optional.of(clock.instant()), e.file());
            Optional<LocalStore.Folder> local = store.folder(sent);
            if (uid.isPresent() && local.isPresent()
                    && (local.get().uidValidity() == 0 || local.get().uidValidity() == uid.get().uidValidity())
                    && store.byUid(sent, uid.get().uid()).isEmpty()) {
                try (InputStream in = Files.newInputStream(e.file())) {
                    store.add(sent, Optional.of(uid.get().uid()), SEEN, clock.instant(), in);
                }
            }
        }
        store.outboxState(e.id(), OutboxEntry.State.FILED, Optional.empty());
    }

    /** RFC 9051 §6.4.4: SEARCH HEADER matches a substring of the field; the msg-id with its brackets is unique enough. */
    private static boolean inSent(ImapClient c, String sent, OutboxEntry e) throws IOException {
        c.select(sent, Optional.empty());
        return !c.uidSearchHeader("Message-ID", e.messageIdHeader()).isEmpty();
    }

    /** RFC 6154 §2 \Sent, else a folder named Sent, else one created (and kept locally too). */
    private String sentFolder(ImapClient c) throws IOException {
        List<RemoteFolder> folders = c.list();
        for (RemoteFolder f : folders) {
            if (f.attributes().stream().anyMatch(a -> a.equalsIgnoreCase("\\Sent"))) return f.name();
        }
        for (RemoteFolder f : folders) if (f.name().equalsIgnoreCase(SENT)) return f.name();
        c.create(SENT);
        Optional<Character> delimiter = folders.stream().map(RemoteFolder::delimiter).flatMap(Optional::stream).findFirst();
        store.ensureFolder(SENT, delimiter, Set.of());
        return SENT;
    }

}
