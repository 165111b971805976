package org.postern.cli.client;

import java.io.IOException;
import java.util.List;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.message.MessageBuilder;
import org.postern.client.message.MessageView;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code postern client forward ID --to ...}: the original attached whole (message/rfc822) under your text. */
@Command(name = "forward", description = "Forward a message (attached whole) with your text: --to is required.")
final class ForwardCommand extends StoreCommand {
    @Mixin
    Composer.Options options;
    @Parameters(paramLabel = "ID")
    long id;

    @Override
    void check() {
        if (options.to.isEmpty()) throw new CliException("forward needs --to ADDRESS");
    }

    @Override
    void run(Context ctx, Account a, LocalStore store) throws IOException {
        LocalStore.LocalMessage m = ReadCommand.message(store, id);
        MessageView original = MessageView.read(m.file());
        Composer.compose(ctx, a, store, options,
                text -> MessageBuilder.forward(original, m.file(), a.address(), List.copyOf(options.to), text));
        Composer.sendNow(ctx, a, store, options.queue, "forward");
    }
}
