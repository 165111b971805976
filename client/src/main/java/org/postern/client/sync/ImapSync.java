package org.postern.client.sync;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.postern.client.imap.ImapClient;
import org.postern.client.imap.ImapClient.RemoteFolder;
import org.postern.client.net.ProtocolException;
import org.postern.client.store.LocalStore;

/**
 * Brings one account's local copy and its IMAP server together (docs/decisions/0005-mail-client.md, "Sync
 * rules"): connect, log in, ENABLE QRESYNC (else CONDSTORE is used through SELECT), LIST and make the local
 * folders match, send the outbox when an {@link OutboxSender} is given (so the Sent folder is filed before it is
 * synced), then each folder: push the offline changes, pull the server's, download new messages, save the
 * folder's state last. A sync cut at any point (a dropped connection, a killed process) leaves a store the next
 * sync completes: every message is committed on its own, and the state that says "up to here" is written only
 * after the folder is complete.
 *
 * <p>Implementation notes. Folders are synced INBOX first, then by name. A folder the server refuses (NO on
 * SELECT) is skipped with a warning and the others are synced; a broken connection ends the sync with the
 * IOException (folders completed so far keep their saved state).
 */
public final class ImapSync {
    /** Read timeout of the IMAP connection: a FETCH of a large message must not time out between literals. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ServerLogin login;
    private final LocalStore store;
    private final Optional<OutboxSender> outbox;
    private final FolderSync.Mode ceiling;

    public ImapSync(ServerLogin login, LocalStore store, Optional<OutboxSender> outbox) {
        this(login, store, outbox, FolderSync.Mode.QRESYNC);
    }

    /** Uses at most {@code ceiling} even when the server offers more: tests run the CONDSTORE and compare paths. */
    ImapSync(ServerLogin login, LocalStore store, Optional<OutboxSender> outbox, FolderSync.Mode ceiling) {
        this.login = login;
        this.store = store;
        this.outbox = outbox;
        this.ceiling = ceiling;
    }

    public SyncReport sync(SyncProgress progress) throws IOException {
        List<String> warnings = new ArrayList<>();
        List<SyncReport.Folder> folders = new ArrayList<>();
        Optional<OutboxSender.Report> sent = Optional.empty();
        try (ImapClient c = ImapClient.connect(login.endpoint(), TIMEOUT)) {
            char[] password = login.password().get();
            try {
                c.login(login.user(), password, login.allowPlaintext());
            } finally {
                Arrays.fill(password, '\0');
            }
            FolderSync.Mode mode = enable(c, ceiling);
            List<RemoteFolder> listed = c.list().stream().filter(ImapSync::selectable)
                    .sorted(Comparator.comparing((RemoteFolder f) -> !f.name().equalsIgnoreCase("INBOX"))
                            .thenComparing(RemoteFolder::name))
                    .toList();
            List<RemoteFolder> remote = new ArrayList<>();
            for (RemoteFolder f : listed) {
                try {
                    store.ensureFolder(f.name(), f.delimiter(), f.attributes());
                    remote.add(f);
                } catch (IllegalArgumentException e) {
                    // a name the local Maildir tree cannot hold ("a/cur", "..", control characters): that folder
                    // is left on the server, the others are synced
                    warnings.add("folder " + f.name().replaceAll("\\p{Cntrl}", "?") + " is not kept locally: " + e.getMessage());
                }
            }
            dropFoldersTheServerLacks(remote, warnings);
            if (outbox.isPresent()) sent = Optional.of(outbox.get().send(Optional.of(c), progress));
            for (RemoteFolder f : remote) {
                try {
                    folders.add(new FolderSync(c, store, mode, f.name(), progress).run());
                } catch (ProtocolException | IllegalArgumentException e) {
                    // a refusal (NO), or something from the server the local copy cannot take (a flag or name it
                    // refuses): this folder waits, the others are synced; the sentence says why
                    warnings.add(f.name() + ": not synced: " + e.getMessage());
                }
                c.drainUnsolicited(); // what arrived meanwhile is picked up by the next sync
            }
            c.logout();
        }
        return new SyncReport(folders, sent, warnings);
    }

    /** RFC 7162 §3.2.3: QRESYNC must be ENABLEd; CONDSTORE needs no ENABLE, SELECT (CONDSTORE) turns it on. */
    private static FolderSync.Mode enable(ImapClient c, FolderSync.Mode ceiling) throws IOException {
        if (ceiling == FolderSync.Mode.PLAIN) return FolderSync.Mode.PLAIN;
        if (ceiling == FolderSync.Mode.QRESYNC && c.has("QRESYNC")) {
            Set<String> on = upper(c.enable("QRESYNC"));
            if (on.contains("QRESYNC")) return FolderSync.Mode.QRESYNC;
        }
        return c.has("CONDSTORE") ? FolderSync.Mode.CONDSTORE : FolderSync.Mode.PLAIN;
    }

    /** RFC 9051 §7.3.1: \Noselect and \NonExistent names cannot be selected; they hold no messages to sync. */
    private static boolean selectable(RemoteFolder f) {
        Set<String> a = upper(f.attributes());
        return !a.contains("\\NOSELECT") && !a.contains("\\NONEXISTENT");
    }

    private static Set<String> upper(Set<String> s) {
        Set<String> out = new HashSet<>();
        for (String x : s) out.add(x.toUpperCase(Locale.ROOT));
        return out;
    }

    /**
     * A local folder the server no longer has goes, unless an offline change still refers to it (as its folder or
     * a move's target): then it is kept, with a warning each sync, so no local change is lost silently.
     */
    private void dropFoldersTheServerLacks(List<RemoteFolder> remote, List<String> warnings) throws IOException {
        Set<String> names = new HashSet<>();
        for (RemoteFolder f : remote) names.add(f.name());
        List<LocalStore.Pending> pending = store.pending();
        for (LocalStore.Folder local : store.folders()) {
            if (names.contains(local.name())) continue;
            long held = pending.stream().filter(p -> p.folder().equals(local.name())
                    || p.targetFolder().filter(local.name()::equals).isPresent()).count();
            if (held == 0) {
                store.dropFolder(local.name());
            } else {
                warnings.add("folder " + local.name() + " is no longer on the server; kept because " + held
                        + " local change(s) refer to it");
            }
        }
    }
}
