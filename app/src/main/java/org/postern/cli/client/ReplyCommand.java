package org.postern.cli.client;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.postern.client.account.Account;
import org.postern.client.message.MessageBuilder;
import org.postern.client.message.MessageView;
import org.postern.client.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code postern client reply ID}: a reply to the sender (Reply-To, else From), the original quoted, In-Reply-To and
 * References set; the original is marked \Answered once the reply is queued.
 */
@Command(name = "reply", description = "Reply to the sender of a message (the original quoted below your text).")
class ReplyCommand extends StoreCommand {
    @Mixin
    Composer.Options options;
    @Parameters(paramLabel = "ID")
    long id;

    boolean all() {
        return false;
    }

    @Override
    void run(Context ctx, Account a, LocalStore store) throws IOException {
        LocalStore.LocalMessage m = ReadCommand.message(store, id);
        MessageView original = MessageView.read(m.file());
        Composer.compose(ctx, a, store, options, text -> MessageBuilder.reply(original, a.address(), all(), text));
        Set<String> flags = new HashSet<>(m.flags());
        if (flags.add("\\Answered")) store.setFlags(m.id(), flags);
        Composer.sendNow(ctx, a, store, options.queue, "reply");
    }

    /** {@code postern client reply-all ID}: as reply, with the original's other recipients in Cc (you left out). */
    @Command(name = "reply-all", description = "Reply to the sender and every other recipient of a message.")
    static final class All extends ReplyCommand {
        @Override
        boolean all() {
            return true;
        }
    }
}
