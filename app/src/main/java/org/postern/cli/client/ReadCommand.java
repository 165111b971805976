package org.postern.cli.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.message.MessageView;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code postern client read ID}: one message as a person reads it (headers, text, attachment list), from the
 * offline copy; marks it read (\Seen, sent to the server by the next sync).
 */
@Command(name = "read", description = "Show a message: headers, text and its attachments; marks it read.")
final class ReadCommand extends StoreCommand {
    @Mixin
    JsonOption json;
    @Parameters(paramLabel = "ID", description = "the message's id, as list and search show it")
    long id;
    @Option(names = "--save-attachments", paramLabel = "DIR", description = "write the attachments into DIR")
    Path saveTo;
    @Option(names = "--keep-unread", description = "do not mark the message read")
    boolean keepUnread;

    @Override
    void check() {
        if (saveTo != null && Files.exists(saveTo) && !Files.isDirectory(saveTo))
            throw new CliException("--save-attachments: " + saveTo + " is a file, not a directory");
    }

    @Override
    void run(Context ctx, Account a, LocalStore store) throws IOException {
        LocalStore.LocalMessage m = message(store, id);
        MessageView v = MessageView.read(m.file());
        List<Path> saved = saveTo == null ? List.of() : MessageView.saveAttachments(m.file(), saveTo);
        if (!keepUnread && m.flags().stream().noneMatch(f -> f.equalsIgnoreCase("\\Seen"))) {
            Set<String> flags = new HashSet<>(m.flags());
            flags.add("\\Seen");
            store.setFlags(m.id(), flags);
        }
        if (json.json) {
            ctx.out().print(Json.write(json(m, v, saved)));
            return;
        }
        var out = ctx.out();
        v.date().ifPresent(d -> out.println("Date: " + d));
        out.println("From: " + String.join(", ", v.from()));
        out.println("To: " + String.join(", ", v.to()));
        if (!v.cc().isEmpty()) out.println("Cc: " + String.join(", ", v.cc()));
        if (!v.replyTo().isEmpty()) out.println("Reply-To: " + String.join(", ", v.replyTo()));
        out.println("Subject: " + v.subject());
        out.println("Folder: " + m.folder() + "  Id: " + m.id() + "  Flags: " + String.join(" ", new java.util.TreeSet<>(m.flags())));
        out.println();
        out.print(v.text().endsWith("\n") || v.text().isEmpty() ? v.text() : v.text() + "\n");
        if (!v.attachments().isEmpty()) {
            out.println();
            out.println("Attachments:");
            for (MessageView.Attachment att : v.attachments()) {
                out.println("  [" + att.index() + "] " + att.fileName() + "  (" + att.contentType() + ", "
                        + Rows.size(att.size()) + ")");
            }
        }
        for (Path p : saved) out.println("saved " + p);
    }

    static LocalStore.LocalMessage message(LocalStore store, long id) {
        LocalStore.LocalMessage m = store.message(id).orElseThrow(() -> new CliException("no message " + id
                + " in the offline copy (ids are shown by `postern client list` and `search`)"));
        if (m.state() != LocalStore.LocalMessage.State.SYNCED)
            throw new CliException("message " + id + " was " + m.state().name().toLowerCase(java.util.Locale.ROOT)
                    + " (the next sync tells the server)");
        return m;
    }

    private static Object json(LocalStore.LocalMessage m, MessageView v, List<Path> saved) {
        List<Object> attachments = new ArrayList<>();
        for (MessageView.Attachment att : v.attachments()) {
            attachments.add(Json.obj("index", att.index(), "file_name", att.fileName(), "content_type", att.contentType(),
                    "size", att.size()));
        }
        var o = Rows.json(m);
        // The row's fields keep their types (from/to/cc are strings as in `list`); the rest is added.
        o.put("reply_to", String.join(", ", v.replyTo()));
        o.put("in_reply_to", v.inReplyTo());
        o.put("references", v.references());
        o.put("text", v.text());
        o.put("attachments", attachments);
        o.put("saved", saved.stream().map(Path::toString).toList());
        return o;
    }
}
