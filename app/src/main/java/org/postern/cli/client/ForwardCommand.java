package org.postern.cli.client;

import java.util.List;
import org.postern.cli.CliException;
import org.postern.client.account.Account;
import org.postern.client.message.MessageBuilder;
import org.postern.client.message.MessageView;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code postern client forward ID --to ...}: the original attached whole (message/rfc822) under your text. */
@Command(name = "forward", description = "Forward a message (attached whole) with your text: --to is required.")
final class ForwardCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    ClientCommand client;
    @Mixin
    AccountOption account;
    @Mixin
    Composer.Options options;
    @Parameters(paramLabel = "ID")
    long id;

    @Override
    public Integer call() {
        return client.run(ctx -> {
            if (options.to.isEmpty()) throw new CliException("forward needs --to ADDRESS");
            Account a = ctx.account(account.name());
            try (LocalStore store = ctx.open(a)) {
                LocalStore.LocalMessage m = ReadCommand.message(store, id);
                MessageView original = MessageView.read(m.file());
                Composer.compose(ctx, a, store, options,
                        text -> MessageBuilder.forward(original, m.file(), a.address(), List.copyOf(options.to), text));
                Composer.sendNow(ctx, a, store, options.queue, "forward");
            }
            return 0;
        });
    }
}
