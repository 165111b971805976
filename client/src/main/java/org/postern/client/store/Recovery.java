package org.postern.client.store;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.postern.client.message.MessageSummary;

/**
 * What {@link LocalStore#open} repairs, so a crash at any point (or another Maildir tool) never breaks the store.
 * Each repair is reported as one sentence.
 *
 * <ul>
 *   <li>{@code tmp/} files (a write cut before its rename) are removed: nothing refers to them.</li>
 *   <li>A row whose file is gone but whose unique part is found under another name (a flag rename whose commit
 *       was cut, or another tool that changed the flag letters) takes that name; the letters become its flags
 *       (keywords kept), a change recorded as a pending FLAGS like any local change.</li>
 *   <li>A row whose file is gone otherwise (removed by another tool) is dropped with its index entry and pending
 *       changes; sync downloads the message again if the server still has it.</li>
 *   <li>A file in {@code cur/} or {@code new/} without a row is <b>adopted</b>, not removed: a crash between the
 *       rename and the commit leaves a complete, fsync'd message, and a file put there by another tool is mail the
 *       person wants. Its ",U=" gives the UID (unless another row of the folder holds that UID: then it is a
 *       duplicate and removed), its letters the flags; one without a UID is recorded as a pending APPEND, as
 *       {@link LocalStore#add} would have. Files in {@code new/} are moved to {@code cur/} first.</li>
 *   <li>Pending changes of messages that no longer exist are dropped.</li>
 *   <li>Outbox: {@code outbox/tmp} files are removed; a queued file without a row is moved to
 *       {@code outbox/orphaned/} (its envelope, Bcc included, was in the row that never committed, so it cannot be
 *       sent, but it is not thrown away); a row whose file is gone is dropped.</li>
 * </ul>
 */
final class Recovery {
    private final LocalStore store;
    private final StateDb db;
    private final List<String> report = new ArrayList<>();

    Recovery(LocalStore store) {
        this.store = store;
        this.db = store.db;
    }

    List<String> run() throws IOException {
        for (String folder : db.query("SELECT name FROM folder ORDER BY name", rs -> rs.getString(1))) folder(folder);
        int dangling = store.transaction(() -> db.update(
                "DELETE FROM pending WHERE message_id NOT IN (SELECT id FROM message)"));
        if (dangling > 0) report.add(dangling + " pending changes of messages that no longer exist were dropped");
        outbox();
        return List.copyOf(report);
    }

    private void folder(String folder) throws IOException {
        Path maildir = FolderNames.directory(store.mailRoot, folder);
        for (String sub : List.of("cur", "new", "tmp")) Files.createDirectories(maildir.resolve(sub));
        int removed = 0;
        for (Path p : list(maildir.resolve("tmp"))) {
            Files.deleteIfExists(p);
            removed++;
        }
        if (removed > 0) {
            Durable.syncDirectory(maildir.resolve("tmp"));
            report.add(folder + ": " + removed + " unfinished files in tmp/ removed");
        }
        for (Path p : list(maildir.resolve("new"))) { // Maildir: a reader moves new/ mail to cur/ with an info part
            String name = p.getFileName().toString();
            Durable.rename(p, maildir.resolve("cur").resolve(name.contains(":2,") ? name : name + ":2,"));
        }
        long folderId = store.folderId(folder);
        if (unchanged(maildir.resolve("cur"), folderId)) return;
        Map<String, String> byUnique = new HashMap<>();
        Set<String> present = new HashSet<>();
        for (Path p : list(maildir.resolve("cur"))) {
            String name = p.getFileName().toString();
            present.add(name);
            MaildirName.parse(name).ifPresent(n -> byUnique.putIfAbsent(n.unique(), name));
        }
        Set<String> claimed = new HashSet<>();
        for (Row r : store.rows("WHERE m.folder_id = ?", folderId)) {
            if (present.contains(r.file())) {
                claimed.add(r.file());
                continue;
            }
            String renamed = byUnique.get(r.unique());
            if (renamed != null && !claimed.contains(renamed)) {
                claimed.add(renamed);
                takeRenamed(folder, r, renamed);
                continue;
            }
            store.transaction(() -> {
                store.removeRow(r.id());
                return null;
            });
            report.add(folder + ": message " + r.id() + " (" + r.file() + ") was removed from disk by something else; "
                    + "its row is dropped");
        }
        for (String name : present) if (!claimed.contains(name)) adopt(folder, folderId, maildir.resolve("cur").resolve(name));
    }

    /**
     * Whether {@code cur/} holds exactly the files the folder's rows name: the case of every open after a clean
     * close, checked with names alone (one column read, no stat of each file, no row built) so opening a store of
     * 10,000 messages costs a directory listing, not a scan. Anything else takes the full repair below.
     */
    private boolean unchanged(Path cur, long folderId) throws IOException {
        List<String> files = db.query("SELECT file FROM message WHERE folder_id = ?", rs -> rs.getString(1), folderId);
        Set<String> names = new HashSet<>(files.size() * 2);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(cur)) {
            for (Path p : entries) names.add(p.getFileName().toString());
        }
        return names.size() == files.size() && names.containsAll(files);
    }

    /** The row's file exists under another name: take it, its letters being the new flags (keywords kept). */
    private void takeRenamed(String folder, Row r, String name) {
        Set<String> letters = MaildirName.parse(name).map(MaildirName::flags).orElse(Set.of());
        TreeSet<String> flags = new TreeSet<>(r.flags());
        flags.removeAll(MaildirName.letterFlags());
        flags.addAll(letters);
        boolean changed = !flags.equals(r.flags());
        store.transaction(() -> {
            db.update("UPDATE message SET file = ?, flags = ? WHERE id = ?", name, MaildirName.join(flags), r.id());
            if (changed && r.uid().isPresent() && r.state().equals("SYNCED") && db.queryLong(
                    "SELECT id FROM pending WHERE message_id = ? AND kind = 'FLAGS'", r.id()).isEmpty()) {
                store.addPending("FLAGS", r.id(), folder, r.uid(), Optional.empty());
            }
            return null;
        });
        report.add(folder + ": message " + r.id() + " found renamed to " + name
                + (changed ? "; its flags are now " + flags : ""));
    }

    private void adopt(String folder, long folderId, Path file) throws IOException {
        String name = file.getFileName().toString();
        Optional<MaildirName> parsedName = MaildirName.parse(name);
        if (parsedName.isEmpty()) return; // a dot file of some tool: not mail
        MaildirName n = parsedName.get();
        if (n.uid().isPresent() && store.byUid(folder, n.uid().get()).isPresent()) {
            Durable.delete(file);
            report.add(folder + ": " + name + " duplicates UID " + n.uid().get() + " and was removed");
            return;
        }
        MessageSummary.Parsed parsed;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            parsed = MessageSummary.read(in);
        }
        Instant internalDate = Files.getLastModifiedTime(file).toInstant();
        store.transaction(() -> {
            long id = store.insertMessage(folderId, n.uid(), name, n.flags(), internalDate,
                    parsed.message().structure().size(), parsed.summary());
            if (n.uid().isEmpty()) store.addPending("APPEND", id, folder, Optional.empty(), Optional.empty());
            return id;
        });
        report.add(folder + ": " + name + " had no row and was adopted"
                + (n.uid().isEmpty() ? " as a local message to upload" : " with UID " + n.uid().get()));
    }

    private void outbox() throws IOException {
        for (Path p : list(store.outboxTmp)) {
            Files.deleteIfExists(p);
            report.add("outbox: unfinished " + p.getFileName() + " removed");
        }
        Set<String> rows = new HashSet<>(db.query("SELECT file FROM outbox", rs -> rs.getString(1)));
        for (Path p : list(store.outboxQueue)) {
            String name = p.getFileName().toString();
            if (rows.remove(name)) continue;
            Path orphaned = store.dir.resolve("outbox").resolve("orphaned");
            Files.createDirectories(orphaned);
            Durable.rename(p, orphaned.resolve(name));
            report.add("outbox: " + name + " was never queued (no envelope); moved to " + orphaned);
        }
        for (String missing : rows) {
            store.transaction(() -> db.update("DELETE FROM outbox WHERE file = ?", missing));
            report.add("outbox: the file of an entry (" + missing + ") is gone; the entry is dropped");
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
