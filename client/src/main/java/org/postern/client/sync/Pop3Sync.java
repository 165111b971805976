package org.postern.client.sync;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.postern.client.net.ProtocolException;
import org.postern.client.pop3.Pop3Client;
import org.postern.client.store.LocalStore;

/**
 * POP3 sync (docs/decisions/0005-mail-client.md): messages whose UIDL (RFC 1939 §7) was not downloaded before go
 * into the local INBOX; they stay on the server unless {@code deleteAfterDownload}, or until {@code deleteAfterDays}
 * days after their download. Only messages recorded as downloaded are ever deleted, and POP3 commits deletions
 * only at QUIT (RFC 1939 §6), so a cut connection deletes nothing.
 */
public final class Pop3Sync {
    /** Read timeout; a RETR of a large message streams, so this is between reads, not for the whole message. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    static final String INBOX = "INBOX";

    /** What to do with downloaded messages on the server. {@code deleteAfterDays} empty: never by age. */
    public record Options(boolean deleteAfterDownload, OptionalInt deleteAfterDays) {
        public static final Options LEAVE_ON_SERVER = new Options(false, OptionalInt.empty());

        public Options {
            if (deleteAfterDays.isPresent() && deleteAfterDays.getAsInt() < 0) {
                throw new IllegalArgumentException("delete_after_days must be 0 or more, not " + deleteAfterDays.getAsInt());
            }
        }
    }

    public record Report(int downloaded, int deletedOnServer, List<String> warnings) {
        public Report {
            warnings = List.copyOf(warnings);
        }
    }

    private final ServerLogin login;
    private final LocalStore store;
    private final Options options;
    private final Clock clock;

    public Pop3Sync(ServerLogin login, LocalStore store, Options options, Clock clock) {
        this.login = login;
        this.store = store;
        this.options = options;
        this.clock = clock;
    }

    public Report sync(SyncProgress progress) throws IOException {
        List<String> warnings = new ArrayList<>();
        int downloaded = 0, deleted = 0;
        store.ensureFolder(INBOX, Optional.empty(), Set.of());
        try (UidlLog log = UidlLog.open(store.directory());
             Pop3Client c = Pop3Client.connect(login.endpoint(), TIMEOUT)) {
            char[] password = login.password().get();
            try {
                c.login(login.user(), password, login.allowPlaintext());
            } finally {
                Arrays.fill(password, '\0');
            }
            List<Pop3Client.Listing> listing = c.listing();
            for (Pop3Client.Listing l : listing) {
                try {
                    UidlLog.check(l.uid());
                } catch (IllegalArgumentException e) {
                    throw new ProtocolException(e.getMessage());
                }
            }
            Map<String, Instant> seen = log.seen();
            List<Pop3Client.Listing> fresh = listing.stream().filter(l -> !seen.containsKey(l.uid())).toList();
            long done = 0;
            for (Pop3Client.Listing l : fresh) {
                if (l.size() > LocalStore.MAX_MESSAGE_BYTES) {
                    // not recorded as downloaded, so never deleted on the server by the options below
                    warnings.add("message " + l.uid() + " (" + l.size() + " bytes) is larger than the local copy takes ("
                            + LocalStore.MAX_MESSAGE_BYTES + " bytes); it stays on the server only");
                    continue;
                }
                Instant now = clock.instant();
                LocalStore.LocalMessage[] added = new LocalStore.LocalMessage[1];
                c.retrieve(l.number(), body -> added[0] = store.add(INBOX, Optional.empty(), Set.of(), now, body));
                if (added[0] != null) ServerCopies.notToAppend(store, added[0]);
                log.record(l.uid(), now); // after the store's commit: a crash in between downloads it again
                seen.put(l.uid(), now);
                downloaded++;
                progress.progress(INBOX, ++done, fresh.size());
            }
            Set<String> deletedUids = new HashSet<>();
            for (Pop3Client.Listing l : listing) {
                Instant at = seen.get(l.uid());
                if (at != null && due(at)) {
                    c.delete(l.number());
                    deletedUids.add(l.uid());
                    deleted++;
                }
            }
            c.quit(); // RFC 1939 §6: the deletions happen now
            Set<String> left = new HashSet<>();
            for (Pop3Client.Listing l : listing) if (!deletedUids.contains(l.uid())) left.add(l.uid());
            log.keepOnly(left);
        }
        return new Report(downloaded, deleted, warnings);
    }

    private boolean due(Instant downloadedAt) {
        if (options.deleteAfterDownload()) return true;
        if (options.deleteAfterDays().isEmpty()) return false;
        return !downloadedAt.plus(Duration.ofDays(options.deleteAfterDays().getAsInt())).isAfter(clock.instant());
    }
}
