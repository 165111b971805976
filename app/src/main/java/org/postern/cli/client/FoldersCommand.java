package org.postern.cli.client;

import java.util.ArrayList;
import java.util.List;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code postern client folders}: the folders of the offline copy with their message and unread counts. */
@Command(name = "folders", description = "The folders of the offline copy, with messages and unread counts.")
final class FoldersCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ClientCommand client;
    @Mixin
    AccountOption account;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        return client.run(ctx -> {
            Account a = ctx.account(account.name());
            try (LocalStore store = ctx.open(a)) {
                List<LocalStore.Folder> folders = store.folders();
                if (json.json) {
                    List<Object> out = new ArrayList<>();
                    for (LocalStore.Folder f : folders) {
                        out.add(Json.obj("name", f.name(), "delimiter", f.delimiter(), "attributes",
                                new ArrayList<>(new java.util.TreeSet<>(f.attributes())), "messages", f.messages(),
                                "unseen", f.unseen()));
                    }
                    ctx.out().print(Json.write(out));
                    return 0;
                }
                if (folders.isEmpty()) {
                    ctx.out().println("no folders yet: run `postern client sync" + account.name().map(n -> " " + n).orElse("") + "`");
                    return 0;
                }
                List<List<String>> rows = new ArrayList<>();
                for (LocalStore.Folder f : folders)
                    rows.add(List.of(f.name(), Long.toString(f.messages()), Long.toString(f.unseen())));
                for (String line : Table.render(List.of(Table.Column.flex("FOLDER", 1), Table.Column.number("MESSAGES"),
                        Table.Column.number("UNREAD")), rows, ctx.width())) ctx.out().println(line);
            }
            return 0;
        });
    }
}
