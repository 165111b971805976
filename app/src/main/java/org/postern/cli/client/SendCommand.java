package org.postern.cli.client;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.message.MessageBuilder.Draft;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code postern client send} (also {@code compose}): writes a new message and sends it, or with {@code --flush}
 * sends what waits in the outbox.
 */
@Command(name = "send", aliases = "compose", description = "Write a message (in $EDITOR on a terminal, else the text "
        + "from standard input) and send it; --flush sends the outbox.")
final class SendCommand extends StoreCommand {
    @Mixin
    Composer.Options options;
    @Option(names = "--flush", description = "send the messages waiting in the outbox, and nothing new")
    boolean flush;

    @Override
    void run(Context ctx, Account a, LocalStore store) throws IOException {
        if (flush) {
            if (!options.to.isEmpty() || !options.cc.isEmpty() || !options.bcc.isEmpty() || options.subject != null
                    || !options.attach.isEmpty() || options.queue)
                throw new CliException("--flush sends the outbox: it takes no message options");
            int waiting = store.outbox().size();
            if (waiting == 0) {
                ctx.out().println("the outbox is empty");
                return;
            }
            Composer.sendNow(ctx, a, store, false, waiting == 1 ? "1 message" : waiting + " messages");
            return;
        }
        Composer.compose(ctx, a, store, options, text -> new Draft(a.address(), List.of(), List.of(), List.of(),
                "", text, List.of(), Optional.empty(), Optional.empty(), List.of()));
        Composer.sendNow(ctx, a, store, options.queue, "message");
    }
}
