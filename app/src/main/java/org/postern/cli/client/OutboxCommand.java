package org.postern.cli.client;

import java.util.List;
import java.util.Locale;
import org.postern.client.account.Account;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code postern client outbox}: what waits to be sent (or filed in Sent), with its last error. */
@Command(name = "outbox", description = "The messages waiting in the outbox: id, state, attempts, recipients, last error.")
final class OutboxCommand extends StoreCommand {
    @Mixin
    JsonOption json;

    @Override
    void run(Context ctx, Account a, LocalStore store) {
        List<LocalStore.OutboxEntry> entries = store.outbox();
        if (json.printed(ctx, entries, e -> Json.obj("id", e.id(), "message_id", e.messageIdHeader(), "sender", e.sender(),
                "recipients", e.recipients(), "state", e.state().name().toLowerCase(Locale.ROOT),
                "attempts", e.attempts(), "last_error", e.lastError(), "created", e.created()))) return;
        if (entries.isEmpty()) {
            ctx.out().println("the outbox is empty");
            return;
        }
        for (LocalStore.OutboxEntry e : entries) {
            ctx.out().println(e.id() + "  " + e.state().name().toLowerCase(Locale.ROOT) + "  " + e.created()
                    + "  to " + String.join(", ", e.recipients()) + "  attempts " + e.attempts()
                    + e.lastError().map(err -> "  last error: " + ClientCommand.oneLine(err)).orElse(""));
        }
    }
}
