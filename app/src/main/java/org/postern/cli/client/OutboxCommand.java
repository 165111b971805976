package org.postern.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code postern client outbox}: what waits to be sent (or filed in Sent), with its last error. */
@Command(name = "outbox", description = "The messages waiting in the outbox: id, state, attempts, recipients, last error.")
final class OutboxCommand implements java.util.concurrent.Callable<Integer> {
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
                List<LocalStore.OutboxEntry> entries = store.outbox();
                if (json.json) {
                    List<Object> out = new ArrayList<>();
                    for (LocalStore.OutboxEntry e : entries) {
                        out.add(Json.obj("id", e.id(), "message_id", e.messageIdHeader(), "sender", e.sender(),
                                "recipients", e.recipients(), "state", e.state().name().toLowerCase(Locale.ROOT),
                                "attempts", e.attempts(), "last_error", e.lastError(), "created", e.created()));
                    }
                    ctx.out().print(Json.write(out));
                    return 0;
                }
                if (entries.isEmpty()) {
                    ctx.out().println("the outbox is empty");
                    return 0;
                }
                for (LocalStore.OutboxEntry e : entries) {
                    ctx.out().println(e.id() + "  " + e.state().name().toLowerCase(Locale.ROOT) + "  " + e.created()
                            + "  to " + String.join(", ", e.recipients()) + "  attempts " + e.attempts()
                            + e.lastError().map(err -> "  last error: " + ClientCommand.oneLine(err)).orElse(""));
                }
            }
            return 0;
        });
    }
}
