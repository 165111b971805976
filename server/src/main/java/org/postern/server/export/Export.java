package org.postern.server.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.postern.server.directory.Account;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MailStore;
import org.postern.server.store.MessageContent;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.ReadTx;
import org.postern.server.store.UidSet;

/**
 * Copies one folder of one account out of the store, as an mbox file or into a Maildir. The message list is
 * read in one short read transaction; each message's bytes are then streamed with {@link MailStore#open}
 * outside it, so a large export never holds the store. Works while the server runs: messages that arrive
 * after the list was read are not included.
 */
public final class Export {
    private Export() {}

    /** What was written: messages expunged while the export ran are not counted (nor written). */
    public record Result(int messages, Path where) {}

    private record Item(MessageMeta meta, MessageContent content) {}

    /** Writes {@code folder} to a new mboxrd file {@code file}; refuses to overwrite an existing file. */
    public static Result toMbox(MailStore store, Account account, MailboxName folder, Path file) {
        List<Item> items = list(store, account, folder);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new ExportException("cannot create the directory for " + file + ": " + e.getMessage(), e);
        }
        OutputStream out;
        try {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new ExportException(file + " exists already: remove it or choose another file name");
        } catch (IOException e) {
            throw new ExportException("cannot create " + file + ": " + e.getMessage(), e);
        }
        boolean done = false;
        int written = 0;
        try (MboxWriter mbox = new MboxWriter(out)) {
            for (Item item : items) {
                try {
                    String sender;
                    try (InputStream in = store.open(item.content())) {
                        sender = ReturnPath.of(in).orElse(MboxWriter.NO_SENDER);
                    }
                    try (InputStream in = store.open(item.content())) {
                        mbox.append(sender, item.meta().internalDate(), in);
                    }
                    written++;
                } catch (NoSuchFileException gone) {
                    // expunged (and its blob deleted) since the list was read: it is not in the folder any more
                }
            }
            mbox.flush();
            done = true;
        } catch (IOException e) {
            throw new ExportException("writing " + file + " failed: " + e.getMessage(), e);
        } finally {
            if (!done) deleteQuietly(file);
        }
        sync(file);
        return new Result(written, file);
    }

    /** Adds the messages of {@code folder} to the Maildir {@code dir} (created if missing). */
    public static Result toMaildir(MailStore store, Account account, MailboxName folder, Path dir) {
        List<Item> items = list(store, account, folder);
        int written = 0;
        try {
            MaildirWriter maildir = MaildirWriter.open(dir);
            for (Item item : items) {
                try (InputStream in = store.open(item.content())) {
                    maildir.deliver(in, item.meta().flags(), item.meta().internalDate());
                    written++;
                } catch (NoSuchFileException gone) {
                    // expunged since the list was read
                }
            }
        } catch (IOException e) {
            throw new ExportException("writing the Maildir " + dir + " failed: " + e.getMessage(), e);
        }
        return new Result(written, dir);
    }

    private static List<Item> list(MailStore store, Account account, MailboxName folder) {
        return store.read(account.id(), tx -> {
            Mailbox box = tx.mailbox(folder).orElseThrow(() -> noFolder(tx, account, folder));
            List<Item> items = new ArrayList<>();
            for (MessageMeta m : tx.messages(box.id(), UidSet.ALL))
                tx.content(box.id(), m.uid()).ifPresent(c -> items.add(new Item(m, c)));
            return items;
        });
    }

    private static ExportException noFolder(ReadTx tx, Account account, MailboxName folder) {
        String names = tx.mailboxes().stream().map(b -> b.name().value()).collect(Collectors.joining(", "));
        return new ExportException(account.address() + " has no folder " + folder.value() + " (its folders: "
                + (names.isEmpty() ? "none" : names) + ")");
    }

    private static void sync(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new ExportException("syncing " + file + " failed: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the export already failed with the original error
        }
    }
}
