package org.postern.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code postern client folders}: the folders of the offline copy with their message and unread counts. */
@Command(name = "folders", description = "The folders of the offline copy, with messages and unread counts.")
final class FoldersCommand extends StoreCommand {
    @Mixin
    JsonOption json;

    @Override
    void run(Context ctx, Account a, LocalStore store) {
        List<LocalStore.Folder> folders = store.folders();
        if (json.printed(ctx, folders, f -> Json.obj("name", f.name(), "delimiter", f.delimiter(), "attributes",
                new ArrayList<>(new TreeSet<>(f.attributes())), "messages", f.messages(), "unseen", f.unseen()))) return;
        if (folders.isEmpty()) {
            ctx.out().println("no folders yet: run `postern client sync" + account.name().map(n -> " " + n).orElse("") + "`");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (LocalStore.Folder f : folders)
            rows.add(List.of(f.name(), Long.toString(f.messages()), Long.toString(f.unseen())));
        for (String line : Table.render(List.of(Table.Column.flex("FOLDER", 1), Table.Column.number("MESSAGES"),
                Table.Column.number("UNREAD")), rows, ctx.width())) ctx.out().println(line);
    }
}
